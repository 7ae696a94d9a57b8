// Matmuls split over k when the plan knows its sizes and the grid is small (kSplitsFor): partial
// products in [splits, ...] buffers, added by a second kernel. Plain, grouped (group-matmuls) and
// fused-loader matmuls, on WebGPU against the float64 interpreter of the block as written, 1e-4
// normwise.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan, kSplitsFor } from '../../codegen/wgsl/index.js';
import { workgroupBytes } from '../../codegen/wgsl/print.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const saga = compileSource(readFileSync('examples/saga.saga', 'utf8'), 'saga.saga');

function inputs(g: Graph, env: Record<string, number>): Record<string, Tensor> {
  const next = rng(5);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

describe('kSplitsFor', () => {
  it('doubles the ranges of k while the grid is under 64 workgroups and each range keeps 128 of k', () => {
    // 224², stage 4, batch 1: 8 workgroups of 128x64 (x @ w_q), 16 for two grouped projections;
    // stage 3 (k = 320): 10; batch 8: 32; 1280², stage 4, batch 1: 104, not split.
    expect([kSplitsFor(8, 512), kSplitsFor(16, 512), kSplitsFor(10, 320), kSplitsFor(32, 512), kSplitsFor(104, 512), kSplitsFor(1, 100)]).toEqual([4, 4, 2, 2, 1, 1]);
  });
});

describe('the tile at known sizes', () => {
  it('is 64x64 where the 128x64 grid has under 128 workgroups or k is short, 128x64 otherwise and without sizes', () => {
    if (!saga.ok) throw new Error('examples/saga.saga does not compile');
    const bytes = (dims?: Record<string, number>) => {
      const plan = generatePlan(saga.optimized[0], { ...(dims ? { dims: new Map(Object.entries(dims)) } : {}), kvProjections: false });
      const k = (name: string) => workgroupBytes(plan.kernels.find((x) => x.name === name)!.wgsl);
      return [k('matmul_t9'), k('matmul_t25')];
    };
    // 1280², stage 4, batch 1: x @ w_q has 13 x 8 = 104 tiles of 128x64. a ⊙ k (x @ w_k and
    // x @ w_a jointly) is always in 64x64 tiles, its slabs for two weights as large as 128x64's.
    expect(bytes({ B: 1, N: 1600, C: 512 })).toEqual([8448, 12544]);
    expect(bytes({ B: 8, N: 1600, C: 512 })).toEqual([12544, 12544]);
    expect(bytes()).toEqual([12544, 12544]);
    // 1280², stage 1 (C = 64): x @ w_q has k = 64 (SHORT_K), 64x64 tiles; y = q @ (s @ w_o)
    // (fold-output-projection; k = d = 64 too, but it hosts den and loads q) keeps 128x64.
    const plan = generatePlan(saga.optimized[0], { dims: new Map([['B', 8], ['N', 102400], ['C', 64]]) });
    const tile = (name: string) => workgroupBytes(plan.kernels.find((x) => x.name === name)!.wgsl);
    expect([tile('matmul_t9'), tile('matmul_y')]).toEqual([8448, 12544]);
  });
});

describe('split-k plans on WebGPU', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    ctx = await acquireDevice();
  });
  afterAll(() => ctx?.device.destroy());

  it('SAGA at B = 1, N = 100, C = 256: the projections and grouped projections split in two', async () => {
    // a ⊙ k and b ⊙ v are not joint epilogues here (they would have split): grouped pairs. The
    // output projection is folded into q @ (s @ w_o) (k = d = 128 per head): never split.
    if (!saga.ok) throw new Error('examples/saga.saga does not compile');
    const env = { B: 1, N: 100, C: 256 };
    // Stored: the projections the KV reduction would otherwise compute inside (fuse-kv-projections).
    const plan = generatePlan(saga.optimized[0], { dims: new Map(Object.entries(env)), kvProjections: false });
    const inside = generatePlan(saga.optimized[0], { dims: new Map(Object.entries(env)) });
    expect(inside.kernels.filter((k) => k.name.endsWith('_partial') && k.name.startsWith('matmul_')).map((k) => k.name).sort()).toEqual(['matmul_t9_partial']);
    const split = plan.kernels.filter((k) => k.name.endsWith('_partial') && k.name.startsWith('matmul_')).map((k) => k.name).sort();
    expect(split).toEqual(['matmul_t12_t17_partial', 'matmul_t15_t21_partial', 'matmul_t9_partial']);
    expect(plan.buffers.find((b) => b.id === 't9_partial')?.shape[0].num).toBe(2);
    // Without sizes nothing is split.
    expect(generatePlan(saga.optimized[0]).kernels.some((k) => k.name.startsWith('matmul_') && k.name.endsWith('_partial'))).toBe(false);
    await expectInterpreterY(plan, env);
  });

  it('takes k ranges and slab schedules from a tuning entry (set by hand, not searched)', async () => {
    if (!saga.ok) throw new Error('examples/saga.saga does not compile');
    const env = { B: 1, N: 100, C: 256 };
    const dims = new Map(Object.entries(env));
    const base = generatePlan(saga.optimized[0], { dims });
    const tuned = generatePlan(saga.optimized[0], {
      dims,
      tuning: { matmul_t9: { kSplits: 4 }, outer_mean_s_projected: { schedule: 'simple' }, matmul_y: { schedule: 'simple' } },
    });
    // k = C = 256 in four ranges (the default at these sizes is two).
    expect(base.buffers.find((b) => b.id === 't9_partial')?.shape[0].num).toBe(2);
    expect(tuned.buffers.find((b) => b.id === 't9_partial')?.shape[0].num).toBe(4);
    // simple: the slab is loaded inside the k loop, nothing prefetched before it.
    const kv = (p: typeof base) => p.kernels.find((k) => k.name === 'outer_mean_s_projected')!.wgsl;
    expect(kv(base)).toMatch(/if \(kv_k0 \+ 16u < u\[\d\]\.\w\) \{/);
    expect(kv(tuned)).not.toMatch(/if \(kv_k0 \+ 16u < u\[\d\]\.\w\) \{/);
    // matmul_y (a 64 tile here, pipelined by default) loads each slab after the barrier when told to.
    const y = (p: typeof base) => p.kernels.find((k) => k.name === 'matmul_y')!.wgsl;
    expect(y(base)).toContain('mm_k0 + 16u < mm_kend');
    expect(y(tuned)).not.toContain('mm_k0 + 16u < mm_kend');
    await expectInterpreterY(tuned, env);
  });

  it('takes slab depth, threads and the unrolled schedule from a tuning entry', async () => {
    if (!saga.ok) throw new Error('examples/saga.saga does not compile');
    const env = { B: 1, N: 100, C: 256 };
    const tuned = generatePlan(saga.optimized[0], {
      dims: new Map(Object.entries(env)),
      tuning: { matmul_y: { threads: 8 }, matmul_t9: { slab: 32, schedule: 'unrolled' } },
    });
    const k = (name: string) => tuned.kernels.find((x) => x.name === name)!;
    // Eight threads a side: a 64x64 tile of 8x8 outputs a thread.
    expect(k('matmul_y').workgroupSize).toBe(64);
    expect(k('matmul_y').dispatch).toMatchObject({ tile: [64, 64] });
    // 32-deep slabs, their steps written out (no step loop).
    expect(k('matmul_t9_partial').wgsl).toContain('mm_k0 + 32u');
    expect(k('matmul_t9_partial').wgsl).not.toContain('for (var mm_p');
    await expectInterpreterY(tuned, env);
  });

  /** The plan's y on WebGPU against the float64 interpreter of SAGA as written, 1e-4 normwise. */
  async function expectInterpreterY(plan: ReturnType<typeof generatePlan>, env: Record<string, number>) {
    if (!saga.ok) throw new Error('examples/saga.saga does not compile');
    const t = inputs(saga.graphs[0], env);
    const want = interpret(saga.graphs[0], t).y.data;
    const exec = await Executor.create(ctx, plan);
    try {
      expect(maxRelativeError((await exec.run(t)).outputs.y.data, want)).toBeLessThan(1e-4);
    } finally {
      exec.destroy();
    }
  }
});
