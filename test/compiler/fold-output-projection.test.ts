// fold-output-projection: where merge_heads((q @ s) / den) @ w_o becomes Σ_heads (q @ (s @ w_o,h))
// / den (no q @ s, no stored o), where it does not, and that the plans compute the block: the
// WebGPU plan against the float64 interpreter of the unoptimised graph, 1e-4 normwise, at sizes
// that leave partial tiles and slabs (d = 40, N = 1000), a non-square w_o, a scaling on the left.
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
  return { unfused: r.graphs[0], fused: r.optimized[0], rewrites: r.rewrites.filter((w) => w.pass === 'fold-output-projection') };
}

function inputs(g: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
  const next = rng(9);
  return Object.fromEntries(
    [...inputsOf(g), ...paramsOf(g)].map((n) => {
      const shape = evalShape(n.shape, env);
      return [n.name, randomTensor(shape, next, n.role === 'param' ? 1 / Math.sqrt(shape[0]) : 1)];
    }),
  );
}

const saga = readFileSync('examples/saga.saga', 'utf8');
const heads = (h: number) => saga.replace('const heads = 2', `const heads = ${h}`);

describe('fold-output-projection', () => {
  it("folds SAGA's output projection into the state: q @ (s @ w_o by head), heads summed in the kernel", () => {
    const { fused, rewrites } = compile(saga);
    expect(rewrites.map((w) => w.message)).toEqual(["merge_heads(…) @ w_o folded into the state: q @ (s @ w_o's rows by head, [B, 2, d, C]), summed over 2 heads; no q @ s"]);
    const y = fused.nodes[fused.outputs[0].value];
    expect(y.op === 'reduce' && y.kind === 'sum' && y.axis === 1 && y.epilogueOf !== undefined).toBe(true);
    const plan = generatePlan(fused);
    expect(plan.kernels.map((k) => k.name)).toEqual(['outer_mean_s_projected', 'outer_mean_s', 'matmul_s_w_o', 'matmul_t9', 'matmul_y']);
    // Over the tokens: x, q (t9), den and y; the per-head products [B, 2, N, C] are never stored.
    expect(plan.buffers.filter((b) => b.shape.some((d) => d.sym === 'N')).map((b) => b.id)).toEqual(['x', 't9', 'y', 'den']);
  });

  it('unrollHeads writes the sum over heads head by head instead of as a loop', () => {
    const y = (unrollHeads: boolean) => generatePlan(compile(saga).fused, { unrollHeads }).kernels.find((k) => k.name === 'matmul_y')!.wgsl;
    expect(y(false)).toContain('for (var mm_h = 0u; mm_h < 2u; mm_h = mm_h + 1u) {');
    expect(y(true)).not.toContain('for (var mm_h');
    expect([...y(true).matchAll(/let mm_h = (\d)u;/g)].map((m) => m[1])).toEqual(['0', '1']);
  });

  it('one head: the folded product is written merged, no sum', () => {
    const { fused, rewrites } = compile(heads(1));
    expect(rewrites).toHaveLength(1);
    expect(fused.nodes[fused.outputs[0].value].op).toBe('merge_heads');
  });

  it("leaves the block as written where it would not pay or not hold", () => {
    // 5 heads: C / d = 5 output columns per head channel (MAX_COLUMNS_PER_CHANNEL is 2).
    expect(compile(heads(5)).rewrites).toEqual([]);
    // o read by something else: q @ s is needed anyway.
    expect(compile(saga.replace('output y = merge_heads(o) @ w_o', 'output y = merge_heads(o) @ w_o\n  output o2 = o')).rewrites).toEqual([]);
    // Adding to the rows does not commute with the product.
    expect(compile(saga.replace('let o = (q @ s) / (den + eps)', 'let o = (q @ s) + den')).rewrites).toEqual([]);
    // A state over the tokens would cost what the fold saves.
    const tokenState = `block t {
  input x: [B, N, C]
  param w_o: [C, C]
  let a = relu(x)
  let s = transpose(a) @ a
  output y = merge_heads(split_heads(x @ s, 1)) @ w_o
}`;
    expect(compile(tokenState).rewrites).toEqual([]);
  });
});

describe('fold-output-projection on WebGPU vs the float64 interpreter (1e-4)', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  const cases: [string, string, Record<string, number>, { kvProjections?: boolean; unrollHeads?: boolean }?][] = [
    // d = 40: slabs of 16 leave a partial one per head; N = 1000 a partial row tile.
    ['saga, 2 heads of d = 40, B = 2, N = 1000', saga, { B: 2, N: 1000, C: 80 }],
    ['saga, 2 heads, the KV projections stored', saga, { B: 3, N: 130, C: 96 }, { kvProjections: false }],
    ['saga, 2 heads written head by head (unrollHeads)', saga, { B: 2, N: 200, C: 80 }, { unrollHeads: true }],
    // One head, w_o [C, 2C]: C' = 2d, two column tiles and a partial one.
    ['saga, 1 head, w_o [C, 2C], a scaling on the left', heads(1).replace('param w_o: [C, C]', 'param w_o: [C, 2 * C]').replace('let o = (q @ s) / (den + eps)', 'let o = 0.5 * ((q @ s) / (den + eps))'), { B: 2, N: 300, C: 72 }],
  ];
  for (const [what, source, dims, options] of cases) {
    it(what, async () => {
      const { unfused, fused, rewrites } = compile(source);
      expect(rewrites).toHaveLength(1);
      const env = new Map(Object.entries(dims));
      const tensors = inputs(unfused, env);
      const want = interpret(unfused, tensors);
      const ex = await Executor.create(gpu, generatePlan(fused, { dims: env, ...options }));
      const got = (await ex.run(tensors)).outputs;
      for (const [name, t] of Object.entries(want)) expect(maxRelativeError(got[name].data, t.data), name).toBeLessThanOrEqual(1e-4);
    });
  }
});
