// Matmul outputs written four floats a store (MatmulChoices.vec4Rows), and the KV reduction's
// computed operands read four floats a load (Loaders.load4): where the sizes a plan is made for
// make those rows multiples of 4 floats, the bindings are array<vec4<f32>>. Every bundled example
// at such sizes, epilogues that split or merge heads, and vec4 loads, on WebGPU against the
// float64 interpreter (1e-4 normwise), whole and in token chunks; the plan refuses sizes where the
// rows are not; f16 storage and plans without sizes keep scalar reads and stores.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkload } from '../../bench/workloads.js';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import type { Plan } from '../../runtime/plan.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const examples = readdirSync('examples')
  .filter((f) => f.endsWith('.saga'))
  .sort();

function compiled(file: string) {
  const c = compileSource(readFileSync(`examples/${file}`, 'utf8'), file);
  if (!c.ok) throw new Error(`${file} does not compile`);
  return c;
}

function inputs(g: Graph, env: Record<string, number>): Record<string, Tensor> {
  const next = rng(11);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

/** Kernels whose written buffer is declared as vec4s, by name. */
const vectored = (plan: Plan) => plan.kernels.filter((k) => /var<storage, read_write> \w+: array<vec4<f32>>;/.test(k.wgsl)).map((k) => k.name).sort();
const planAt = (file: string, env: Record<string, number>, extra: object = {}) => generatePlan(compiled(file).optimized[0], { dims: new Map(Object.entries(env)), ...extra });

describe('vec4 rows in the plan', () => {
  it('where the rows are a multiple of 4 at the sizes given: C = 24 (d = 12) every matmul output, C = 20 (d = 10) not the head-split ones', () => {
    expect(vectored(planAt('saga.saga', { B: 2, N: 64, C: 24 }, { kvProjections: false }))).toEqual(['matmul_s_w_o', 'matmul_t25', 'matmul_t26', 'matmul_t9', 'matmul_y', 'outer_mean_s_partial']);
    // t25 and t26 (a ⊙ k, b ⊙ v) are written split into heads of d = 10; the KV partials are d x d.
    expect(vectored(planAt('saga.saga', { B: 2, N: 64, C: 20 }, { kvProjections: false }))).toEqual(['matmul_s_w_o', 'matmul_t9', 'matmul_y']);
    expect(vectored(planAt('saga.saga', { B: 2, N: 64, C: 22 }, { kvProjections: false }))).toEqual([]);
  });

  it("reads a matmul's b and the projected KV reduction's weights as vec4s where their rows are: C = 24 all, C = 20 (d = 10) not the KV reduction's", () => {
    const reads = (C: number) => Object.fromEntries(planAt('saga.saga', { B: 2, N: 64, C }).kernels.map((k) => [k.name, [...k.wgsl.matchAll(/var<storage, read> (\w+): array<vec4<f32>>;/g)].map((m) => m[1])]));
    expect(reads(24)).toEqual({ outer_mean_s_projected: ['w_k', 'w_a', 'w_v', 'w_b'], matmul_s_w_o: [], matmul_t9: ['w_q'], matmul_y: ['s_w_o'] });
    expect(reads(20)).toEqual({ outer_mean_s_projected: [], matmul_s_w_o: [], matmul_t9: ['w_q'], matmul_y: ['s_w_o'] });
  });

  it('requires the widths it vectored, once each, and is not vectored without sizes or with f16 storage', () => {
    const plan = planAt('saga.saga', { B: 2, N: 64, C: 24 }, { kvProjections: false });
    expect(plan.requires?.map((r) => r.what)).toEqual([
      'kernel matmul_t9 reads or writes rows of C floats four at a time (the plan was made for sizes where C is a multiple of 4)',
      'kernel matmul_t25 reads or writes rows of C/2 floats four at a time (the plan was made for sizes where C/2 is a multiple of 4)',
    ]);
    expect(vectored(generatePlan(compiled('saga.saga').optimized[0]))).toEqual([]);
    expect(vectored(planAt('saga.saga', { B: 2, N: 64, C: 24 }, { precision: 'f16' }))).toEqual([]);
  });
});

describe('vec4 rows on WebGPU', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    ctx = await acquireDevice();
  });
  afterAll(() => ctx?.device.destroy());

  it.each(examples)('%s at B = 2, N = 64, C = 24: every output against the float64 interpreter, whole and in chunks of 16 tokens', async (file) => {
    const c = compiled(file);
    const env = { B: 2, N: 64, C: 24 };
    const plan = planAt(file, env);
    expect(vectored(plan).length).toBeGreaterThan(0);
    const t = inputs(c.graphs[0], env);
    const want = interpret(c.graphs[0], t);
    const exec = await Executor.create(ctx, plan);
    try {
      const whole = (await exec.run(t)).outputs;
      for (const [name, w] of Object.entries(want)) expect(maxRelativeError(whole[name].data, w.data), name).toBeLessThan(1e-4);
      if (plan.chunks && 'dim' in plan.chunks) {
        const chunked = (await exec.run(t, { tokenChunk: 16 })).outputs;
        for (const [name, w] of Object.entries(want)) expect(maxRelativeError(chunked[name].data, w.data), `${name} in chunks`).toBeLessThan(1e-4);
      }
    } finally {
      exec.destroy();
    }
  });

  it('epilogues that split heads (stored a ⊙ k, b ⊙ v) and merge them (5 heads, no fold): against the float64 interpreter', async () => {
    const check = async (graphs: { unfused: Graph; fused: Graph }, env: Record<string, number>, options: object, kernels: string[]) => {
      const plan = generatePlan(graphs.fused, { dims: new Map(Object.entries(env)), ...options });
      expect(vectored(plan)).toEqual(expect.arrayContaining(kernels));
      const t = inputs(graphs.unfused, env);
      const exec = await Executor.create(ctx, plan);
      try {
        expect(maxRelativeError((await exec.run(t)).outputs.y.data, interpret(graphs.unfused, t).y.data)).toBeLessThan(1e-4);
      } finally {
        exec.destroy();
      }
    };
    const saga = compiled('saga.saga');
    // matmul_t25 and matmul_t26 write [B, heads, N, d] from [B, N, C] products (d = 12).
    await check({ unfused: saga.graphs[0], fused: saga.optimized[0] }, { B: 2, N: 64, C: 24 }, { kvProjections: false }, ['matmul_t25', 'matmul_t26']);
    // The bench's block at 224², stage 3 (5 heads, d = 64): q @ s writes [B, N, 5·d] (merge_heads).
    await check(compileWorkload('block', 5), { B: 1, N: 196, C: 320 }, {}, ['matmul_t35']);
  });

  it('the KV reduction reads its computed operands four channels a load (the core workload; stored-projection plans)', async () => {
    const readsVec4 = (plan: Plan) => plan.kernels.filter((k) => /var<storage, read> \w+: array<vec4<f32>>;/.test(k.wgsl)).map((k) => k.name).sort();
    const core = compileWorkload('core', 2);
    const at = (C: number) => generatePlan(core.fused, { dims: new Map([['B', 2], ['N', 64], ['C', C]]) });
    // matmul_y (q @ s) reads s as vec4s: its rows are q @ s's output rows (d = 12).
    expect(readsVec4(at(24))).toEqual(['matmul_y', 'outer_mean_s_partial']);
    // C = 20: d = 10, the operands' rows are not multiples of 4; the output rows of q @ s (C) still are.
    expect(readsVec4(at(20))).toEqual([]);
    for (const [graphs, env, options] of [
      [core, { B: 2, N: 64, C: 24 }, {}],
      ...['key_gate.saga', 'linear.saga', 'value_gate.saga'].map((f) => [{ unfused: compiled(f).graphs[0], fused: compiled(f).optimized[0] }, { B: 2, N: 64, C: 24 }, { kvProjections: false }] as const),
    ] as const) {
      const plan = generatePlan(graphs.fused, { dims: new Map(Object.entries(env)), ...options });
      expect(readsVec4(plan).length).toBeGreaterThan(0);
      const t = inputs(graphs.unfused, env);
      const want = interpret(graphs.unfused, t);
      const exec = await Executor.create(ctx, plan);
      try {
        const got = (await exec.run(t)).outputs;
        for (const [name, w] of Object.entries(want)) expect(maxRelativeError(got[name].data, w.data), name).toBeLessThan(1e-4);
      } finally {
        exec.destroy();
      }
    }
  });

  it('keeps f32 loads where the matmul reads the same buffer as a plain operand', async () => {
    const src = ['block t {', '  input x: [B, N, C]', '  input g: [B, N, C]', '  output y = mean(outer(x, x * sigmoid(g)), N)', '}'].join('\n');
    const c = compileSource(src, 't.saga');
    if (!c.ok) throw new Error('t.saga does not compile');
    const env = { B: 1, N: 64, C: 8 };
    const plan = generatePlan(c.optimized[0], { dims: new Map(Object.entries(env)) });
    // x is the plain left operand and inside the right one: the right one keeps f32 loads too.
    expect(plan.kernels[0].wgsl).toContain('var<storage, read> x: array<f32>;');
    expect(plan.kernels[0].wgsl).toContain('var<storage, read> g: array<f32>;');
    const t = inputs(c.graphs[0], env);
    const exec = await Executor.create(ctx, plan);
    try {
      expect(maxRelativeError((await exec.run(t)).outputs.y.data, interpret(c.graphs[0], t).y.data)).toBeLessThan(1e-4);
    } finally {
      exec.destroy();
    }
  });

  it('refuses a plan made for C = 24 at C = 22, naming the kernel and the width', async () => {
    const c = compiled('linear.saga');
    const exec = await Executor.create(ctx, planAt('linear.saga', { B: 1, N: 64, C: 24 }));
    try {
      await expect(exec.run(inputs(c.graphs[0], { B: 1, N: 64, C: 22 }))).rejects.toThrow(/kernel matmul_t5 reads or writes rows of C floats four at a time .*C\/4 is not a whole number when C = 22/);
    } finally {
      exec.destroy();
    }
  });
});
