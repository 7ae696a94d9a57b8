// chain-matmuls: where a matmul's left operand (an elementwise value of another matmul's product,
// split into heads) is computed by that product's kernel from its tiles, and that the one kernel
// computes the block: the WebGPU plan against the float64 interpreter of the block as written,
// 1e-4 normwise, at token counts that leave partial tiles, with 128- and 64-row tiles, a bias
// between the products, and batch > 1. Codegen keeps the chain only where a head is the tile's
// width at the sizes given; the plan refuses other sizes with an error naming the kernel.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan, type KernelParams } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { verify } from '../../compiler/verify.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const saga = readFileSync('examples/saga.saga', 'utf8');
const withHeads = (h: number, source = saga) => source.replace(/const heads = \d+/, `const heads = ${h}`);

function compile(source: string) {
  const r = compileSource(source, 't.saga', { verify: true });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return { unfused: r.graphs[0], fused: r.optimized[0], rewrites: r.rewrites.filter((w) => w.pass === 'chain-matmuls') };
}
const chained = (g: Graph) => g.nodes.filter((n) => n.chainedInto !== undefined).map((n) => [n.id, n.chainedInto]);
const dimsOf = (B: number, N: number, C: number) => new Map([['B', B], ['N', N], ['C', C]]);

describe('chain-matmuls marks', () => {
  it("SAGA's q projection, chained into q @ s (which hosts den)", () => {
    const { fused, rewrites } = compile(withHeads(5));
    const q = fused.nodes.find((n) => n.op === 'matmul' && n.chainedInto !== undefined)!;
    const second = fused.nodes[q.chainedInto!];
    expect(second.op === 'matmul' && fused.nodes.some((r) => r.host === second.id)).toBe(true);
    expect(q.op === 'matmul' && fused.nodes[q.b].name).toBe('w_q');
    expect(rewrites.map((w) => w.message)).toEqual(['q @ s computed by the kernel of x @ w_q from its tiles, one head each: the product is never stored (where a head is a tile\'s width)']);
  });

  it('not where the product or a value between is read by anything else', () => {
    // q also an output; q read by a second expression.
    expect(chained(compile(withHeads(5).replace('output y = merge_heads(o) @ w_o', 'output y = merge_heads(o) @ w_o\n  output q2 = q')).fused)).toEqual([]);
    expect(chained(compile(withHeads(5).replace('output y = merge_heads(o) @ w_o', 'output y = merge_heads(o + q) @ w_o')).fused)).toEqual([]);
  });

  it('not without a head split between the products', () => {
    const headless = `block t {
  input x: [B, N, C]
  param w_q: [C, C]
  param w_s: [C, C]
  output y = relu(x @ w_q) @ w_s
}`;
    expect(chained(compile(headless).fused)).toEqual([]);
  });

  it('verify rejects a chain mark on a matmul no later matmul reads', () => {
    const { fused } = compile(withHeads(5));
    const y = fused.nodes.length - 1;
    const bad = { ...fused, nodes: fused.nodes.map((n) => (n.op === 'matmul' && n.chainedInto !== undefined ? { ...n, chainedInto: y } : n)) };
    expect(() => verify(bad, 'test')).toThrow(/chained into %\d+: must be a matmul whose product a later matmul's inline left operand is computed from/);
  });
});

describe('chained plans', () => {
  it('one kernel for the q projection and the read-out where a head is 64 wide, none otherwise', () => {
    const { fused } = compile(withHeads(5));
    const names = (dims?: Map<string, number>) => generatePlan(fused, dims ? { dims } : {}).kernels.map((k) => k.name);
    expect(names(dimsOf(8, 6400, 320))).toEqual(['outer_mean_s_projected', 'outer_mean_s', 'matmul_t9_t35', 'matmul_y']);
    // Without sizes, or a head of 32: the product is stored and read back.
    expect(names()).toContain('matmul_t9');
    expect(names(dimsOf(8, 6400, 160))).toContain('matmul_t9');
    // No buffer holds q.
    const plan = generatePlan(fused, { dims: dimsOf(8, 6400, 320) });
    expect(plan.buffers.map((b) => b.id)).not.toContain('t9');
    expect(plan.requires?.find((r) => r.equals !== undefined)?.what).toBe('kernel matmul_t9_t35 multiplies one head of C/5 columns a tile (the plan was made for sizes where C/5 is 64)');
  });
});

describe('chained plans on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  function tensorsFor(g: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
    const next = rng(11);
    const C = env.get('C')!;
    return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, n.role === 'param' ? 1 / Math.sqrt(C) : 1)]));
  }

  // [label, source, B, N, C, chained kernel, tuning]: a 64-row tile where the grid is small (as
  // the sizes choose it), 128-row tiles with a partial last one, a bias between the products.
  // Small grids would split the projection's k (no chain then): kSplits 1 keeps N small here.
  type Case = [string, string, number, number, number, string, Record<string, KernelParams>];
  const cases: Case[] = [
    ['5 heads, 64-row tiles as the sizes choose, B = 2, N = 900', withHeads(5), 2, 900, 320, 'matmul_t9_t35', {}],
    ['5 heads, 128-row tiles, B = 2, N = 300', withHeads(5), 2, 300, 320, 'matmul_t9_t35', { matmul_t9_t35: { tile: '128x64', kSplits: 1 } }],
    ['4 heads, B = 1, N = 100', withHeads(4), 1, 100, 256, 'matmul_t9_t35', { matmul_t9_t35: { kSplits: 1 } }],
    ['a bias on q', withHeads(5).replace('param w_q: [C, C]', 'param w_q: [C, C]\n  param b_q: [C]').replace('x @ w_q, heads', 'x @ w_q + b_q, heads'), 1, 200, 320, 'matmul_t10_t37', { matmul_t10_t37: { kSplits: 1 } }],
  ];
  it.each(cases)('%s: matches the float64 interpreter (1e-4)', async (_label, source, B, N, C, kernel, tuning) => {
    const { unfused, fused } = compile(source);
    const dims = dimsOf(B, N, C);
    const plan = generatePlan(fused, { dims, tuning });
    expect(plan.kernels.map((k) => k.name)).toContain(kernel);
    const tensors = tensorsFor(unfused, dims);
    // The block as written up to N = 300; at 900 its N×d×d gate (150 MB in float64) is left to
    // the decomposed graph, whose equality with it test/compiler/passes.test.ts checks.
    const want = interpret(N <= 300 ? unfused : fused, tensors).y.data;
    const executor = await Executor.create(gpu, plan);
    expect(maxRelativeError((await executor.run(tensors)).outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
  });

  it('refuses sizes where a head is not the tile width, naming the kernel', async () => {
    const { unfused, fused } = compile(withHeads(5));
    const executor = await Executor.create(gpu, generatePlan(fused, { dims: dimsOf(1, 128, 320), tuning: { matmul_t9_t35: { kSplits: 1 } } }));
    await expect(executor.run(tensorsFor(unfused, dimsOf(1, 128, 160)))).rejects.toThrow(/kernel matmul_t9_t35 multiplies one head of C\/5 columns a tile .*: C\/5 is 32 here/);
  });
});
