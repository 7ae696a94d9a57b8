// runtime/chunks.ts without a GPU: which kernels of the fused SAGA plan run in which phase, the
// order of a chunked run's steps, and the sizes and errors of chunkRun.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { chunkDims, chunkPhases, chunkRun, chunkSchedule } from '../../runtime/chunks.js';
import type { TokenChunking } from '../../runtime/plan.js';

const plan = generatePlan(compileSource(readFileSync('examples/saga.saga', 'utf8'), 'saga.saga').optimized[0]);
const chunking = plan.chunks as TokenChunking;
const names = (ks: readonly number[]) => ks.map((i) => plan.kernels[i].name);
const tensors = (B: number, N: number) => {
  const t: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const s of plan.tensors) {
    const shape = s.shape.map((d) => (d.sym === 'B' ? B : d.sym === 'N' ? N : 8 * (d.num / d.den)));
    t[s.name] = { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
  }
  return t;
};

describe('chunkPhases', () => {
  it('puts the projections and the KV reduction before the combine, q and the read-out after', () => {
    const { reduce, finish } = chunkPhases(plan, chunking);
    expect(names(reduce)).toEqual(['outer_mean_s_projected', 'outer_mean_s']);
    expect(names(finish)).toEqual(['matmul_s_w_o', 'matmul_t9', 'matmul_y']);
  });
});

describe('chunkRun and chunkSchedule', () => {
  it('within batch elements: chunk by chunk the reductions and one combine for S and z, then per element the copies and the outputs', () => {
    const run = chunkRun(plan, tensors(2, 64), 32);
    expect([run.batch, run.perBatch, run.chunks, run.wholeElements]).toEqual([2, 2, 4, false]);
    expect(Object.fromEntries(run.env)).toMatchObject({ B: 1, N: 32, C: 8 });
    expect([...run.sliced].sort()).toEqual(['x', 'y']);
    const steps = chunkSchedule(plan.kernels.length, run, chunkPhases(plan, chunking));
    const text = steps.map((s) => (s.kind === 'kernel' ? `${plan.kernels[s.kernel].name}@${s.chunk}` : s.kind === 'combine' ? `+${s.reductions.map((r) => chunking.reductions[r].buffer).join(',')}@${s.batch}${s.first ? '!' : ''}` : `copy ${chunking.reductions[s.reduction].buffer}@${s.batch}`));
    const reduce = (c: number) => ['outer_mean_s_projected', 'outer_mean_s'].map((k) => `${k}@${c}`);
    const finish = (c: number) => ['matmul_s_w_o', 'matmul_t9', 'matmul_y'].map((k) => `${k}@${c}`);
    expect(text).toEqual([
      ...reduce(0), '+s,z@0!', ...reduce(1), '+s,z@0',
      ...reduce(2), '+s,z@1!', ...reduce(3), '+s,z@1',
      'copy s@0', 'copy z@0', ...finish(0), ...finish(1),
      'copy s@1', 'copy z@1', ...finish(2), ...finish(3),
    ]);
  });

  it('whole batch elements: every kernel, chunk after chunk', () => {
    const run = chunkRun(plan, tensors(4, 64), 128);
    expect([run.chunks, run.wholeElements]).toEqual([2, true]);
    expect(Object.fromEntries(chunkDims(run.full, chunking, 128))).toMatchObject({ B: 2, N: 64 });
    const steps = chunkSchedule(plan.kernels.length, run);
    expect(steps).toHaveLength(2 * plan.kernels.length);
    expect(steps.every((s) => s.kind === 'kernel')).toBe(true);
    expect(steps.map((s) => (s.kind === 'kernel' ? s.chunk : -1))).toEqual([...Array(plan.kernels.length).fill(0), ...Array(plan.kernels.length).fill(1)]);
  });

  it('names what does not fit: a chunk dividing neither N nor B·N by whole elements', () => {
    expect(() => chunkRun(plan, tensors(4, 64), 96)).toThrow('tokenChunk 96 does not divide N = 64 into whole chunks or whole batch elements (a multiple of 64 dividing B·N = 256)');
    expect(() => chunkRun(plan, tensors(4, 64), 192)).toThrow(/a multiple of 64 dividing B·N = 256/);
    expect(() => chunkRun(plan, tensors(4, 64), 0)).toThrow(/tokenChunk 0 does not divide/);
  });
});
