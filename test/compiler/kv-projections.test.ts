// fuse-kv-projections: which KV reductions compute their projections inside (both operands
// epilogue values of projection groups of one input, or inline values of one projection, read by
// nothing else), that the gated keys
// and values then get no buffer, and that the one kernel computes the block: the WebGPU plan
// against the float64 interpreter of the unoptimised graph, 1e-4 normwise, at token counts that
// leave partial 64-token steps and ranges, several heads and batch elements, and without heads.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

function compile(source: string) {
  const r = compileSource(source, 't.saga', { verify: true });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return { unfused: r.graphs[0], fused: r.optimized[0], rewrites: r.rewrites };
}

function inputs(g: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
  const next = rng(5);
  const C = env.get('C')!;
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, n.role === 'param' ? 1 / Math.sqrt(C) : 1)]));
}

const saga = readFileSync('examples/saga.saga', 'utf8');
const linear = readFileSync('examples/linear.saga', 'utf8');
/** Gated linear attention without heads: the values are [B, N, C], not split. */
const HEADLESS = `block t {
  input x: [B, N, C]
  param w_q: [C, C]
  param w_k: [C, C]
  param w_a: [C, C]
  param b_a: [C]
  param w_v: [C, C]
  let q = relu(x @ w_q)
  let k = relu(x @ w_k) * sigmoid(x @ w_a + b_a)
  let s = mean(outer(k, x @ w_v), N)
  output y = q @ s
}`;

const reduced = (g: Graph) => g.nodes.filter((n) => n.reducedIn !== undefined).map((n) => n.name ?? `%${n.id}`);

describe('fuse-kv-projections', () => {
  it("computes SAGA's four projections and both gated values inside the KV reduction: no buffer for a ⊙ k, b ⊙ v", () => {
    const { fused, rewrites } = compile(saga);
    expect(rewrites.filter((w) => w.pass === 'fuse-kv-projections').map((w) => w.message)).toEqual([
      "x @ w_k, x @ w_a, x @ w_v, x @ w_b computed inside s's KV reduction kernel: %25 and %26 never stored",
    ]);
    expect(reduced(fused)).toHaveLength(6);
    const plan = generatePlan(fused);
    expect(plan.kernels.map((k) => k.name)).toEqual(['outer_mean_s_projected', 'outer_mean_s', 'matmul_s_w_o', 'matmul_t9', 'matmul_y']);
    // The buffers over tokens are x, q (t9), y and den: none for the gated values.
    expect(plan.buffers.filter((b) => b.shape.some((d) => d.sym === 'N')).map((b) => b.id)).toEqual(['x', 't9', 'y', 'den']);
    // 8 storage buffers a kernel at most, 9 for the KV reduction (x, 4 weights, 2 biases, S's and z's partials).
    for (const k of plan.kernels) expect(k.reads.length + 1 + (k.alsoWrites?.length ?? 0)).toBeLessThanOrEqual(k.name.endsWith('_projected') ? 9 : 8);
  });

  it('leaves the reduction alone where a gated value has another reader', () => {
    const { fused, rewrites } = compile(saga.replace('output y = merge_heads(o) @ w_o', 'output y = merge_heads(o) @ w_o\n  output ak = a * k'));
    expect(rewrites.filter((w) => w.pass === 'fuse-kv-projections')).toEqual([]);
    expect(reduced(fused)).toEqual([]);
  });

  it("computes linear attention's k = elu(split_heads(x @ w_k)) + 1 and v from the accumulators: no buffer for k or v", () => {
    const { fused, rewrites } = compile(linear);
    expect(rewrites.filter((w) => w.pass === 'fuse-kv-projections').map((w) => w.message)).toEqual([
      "x @ w_k, x @ w_v computed inside s's KV reduction kernel: k and v never stored",
    ]);
    expect(reduced(fused)).toEqual(['%10', 'k', '%14', 'v']);
    const plan = generatePlan(fused);
    expect(plan.kernels.map((k) => k.name)).toEqual(['outer_mean_s_projected', 'outer_mean_s', 'matmul_s_w_o', 'matmul_t5', 'matmul_y']);
    expect(plan.buffers.filter((b) => b.shape.some((d) => d.sym === 'N')).map((b) => b.id)).toEqual(['x', 't5', 'y', 'den']);
  });

  it('leaves an inline value alone where a value between it and the projection has another reader', () => {
    // kh (the split heads of x @ w_k) is read by k and by the output.
    const source = linear
      .replace('let k = elu(split_heads(x @ w_k, heads)) + 1', 'let kh = split_heads(x @ w_k, heads)\n  let k = elu(kh) + 1')
      .replace('output y = merge_heads(o) @ w_o', 'output y = merge_heads(o) @ w_o\n  output y2 = merge_heads(kh)');
    expect(compile(source).rewrites.filter((w) => w.pass === 'fuse-kv-projections')).toEqual([]);
  });

  it('fuses a block without heads', () => {
    const { fused } = compile(HEADLESS);
    expect(reduced(fused).length).toBeGreaterThan(0);
  });
});

describe('fuse-kv-projections on WebGPU vs the float64 interpreter (1e-4)', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  const cases: [string, string, Record<string, number>, number?][] = [
    // N = 1000: the last 64-token step of each range is partial; 3 heads of d = 32.
    ['saga, 3 heads, B = 2, N = 1000', saga.replace('const heads = 2', 'const heads = 3'), { B: 2, N: 1000, C: 96 }],
    // d = 80: two state tiles a side, the second partial; 7 token ranges of 143 tokens.
    ['saga, 1 head of d = 80, N = 1001, 7 ranges', saga.replace('const heads = 2', 'const heads = 1'), { B: 1, N: 1001, C: 80 }, 7],
    ['no heads, B = 3, N = 130', HEADLESS, { B: 3, N: 130, C: 48 }],
    // Under 128 tokens: one range, the kernel writes S and z (divided by N) with no partials.
    ['saga, 2 heads, B = 2, N = 49, one token range', saga, { B: 2, N: 49, C: 64 }],
    ['no heads, B = 2, N = 100, one token range', HEADLESS, { B: 2, N: 100, C: 48 }],
    // Linear attention: k and v computed from the accumulators (an inline chain, not an epilogue).
    ['linear, 2 heads of d = 40, B = 2, N = 1000', linear, { B: 2, N: 1000, C: 80 }],
  ];
  it('with one token range the projected kernel writes S and z itself: no partials, no second kernel', () => {
    const plan = generatePlan(compile(saga).fused, { dims: new Map(Object.entries({ B: 2, N: 49, C: 64 })) });
    expect(plan.kernels.map((k) => k.name).filter((k) => k.startsWith('outer_'))).toEqual(['outer_mean_s_projected']);
    expect(plan.buffers.map((b) => b.id).filter((id) => id.endsWith('_partial'))).toEqual([]);
    const kernel = plan.kernels.find((k) => k.name === 'outer_mean_s_projected')!;
    expect([kernel.writes, ...(kernel.alsoWrites ?? [])]).toEqual(['s', 'z']);
  });

  it('even token ranges at a split count that is no power of 2: 7 ranges of 16 steps (2 or 3 each)', async () => {
    const { unfused, fused } = compile(saga.replace('const heads = 2', 'const heads = 3'));
    const env = new Map(Object.entries({ B: 2, N: 1000, C: 96 }));
    const tensors = inputs(unfused, env);
    const plan = generatePlan(fused, { dims: env, tuning: { outer_mean_s_projected: { splits: 7, ranges: 'even' } } });
    expect(plan.kernels.find((k) => k.name === 'outer_mean_s_projected')!.wgsl).toContain('let kv_tbegin = ((kv_split * kv_steps) / 7u) * 64u;');
    const ex = await Executor.create(gpu, plan);
    const got = (await ex.run(tensors)).outputs;
    for (const [name, t] of Object.entries(interpret(unfused, tensors))) expect(maxRelativeError(got[name].data, t.data), name).toBeLessThanOrEqual(1e-4);
  });

  for (const [what, source, dims, splits] of cases) {
    it(what, async () => {
      const { unfused, fused } = compile(source);
      expect(reduced(fused).length).toBeGreaterThan(0);
      const env = new Map(Object.entries(dims));
      const tensors = inputs(unfused, env);
      const want = interpret(unfused, tensors);
      const ex = await Executor.create(gpu, generatePlan(fused, splits ? { splits } : { dims: env }));
      const got = (await ex.run(tensors)).outputs;
      for (const [name, t] of Object.entries(want)) expect(maxRelativeError(got[name].data, t.data), name).toBeLessThanOrEqual(1e-4);
    });
  }
});
