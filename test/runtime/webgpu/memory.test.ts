// The memory report of a run: every buffer the executor allocated, checked against sizes worked
// out here from the shapes, and what fusion saves on the SAGA example.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../../compiler/ir.js';
import { randomTensor, rng } from '../../../runtime/random.js';
import { evalShape } from '../../../runtime/shape.js';
import type { Tensor } from '../../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../../runtime/webgpu/index.js';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

function tensorsFor(g: Graph, dims: Record<string, number>): Record<string, Tensor> {
  const env = new Map(Object.entries(dims));
  const next = rng(3);
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, 0.5)]));
}

describe('memory report', () => {
  it('lists every buffer with its size, and every dispatch with its workgroups', async () => {
    const r = compileSource('block t {\n  input x: [N, C]\n  param w: [C, 3]\n  output y = relu(x @ w) + 1\n}\n', 't.saga');
    const g = r.graphs[0];
    const plan = generatePlan(g);
    const run = await (await Executor.create(gpu, plan)).run(tensorsFor(g, { N: 70, C: 5 }));
    const storage = run.report.buffers.filter((b) => b.usage !== 'uniform' && b.usage !== 'staging');
    const expected: Record<string, number> = { x: 70 * 5 * 4, w: 5 * 3 * 4 };
    for (const b of storage) expect(b.bytes).toBe(expected[b.name] ?? 70 * 3 * 4);
    expect(storage.map((b) => b.name).sort()).toEqual(plan.buffers.map((b) => b.id).sort());
    expect(storage.find((b) => b.name === 'x')?.usage).toBe('input');
    expect(storage.find((b) => b.name === 'w')?.usage).toBe('param');
    expect(run.report.buffers.filter((b) => b.usage === 'staging').map((b) => b.bytes)).toEqual([70 * 3 * 4]);
    expect(run.report.totalBytes).toBe(run.report.buffers.reduce((s, b) => s + b.bytes, 0));
    expect(run.report.peakBytes).toBe(run.report.totalBytes);
    expect(run.report.kernels.map((k) => k.name)).toEqual(plan.kernels.map((k) => k.name));
    // The elementwise kernels run one invocation per output element, 64 to a workgroup.
    for (const k of run.report.kernels.filter((k) => !k.name.startsWith('matmul'))) expect(k.workgroups).toEqual([Math.ceil((70 * 3) / 64), 1, 1]);
  });

  it('keeps buffers between runs when asked, with the same results, and reallocates for new sizes', async () => {
    const r = compileSource(readFileSync(join(import.meta.dirname, '../../../examples/saga.saga'), 'utf8'), 'saga.saga');
    const plan = generatePlan(r.optimized[0]);
    const fresh = await Executor.create(gpu, plan);
    const kept = await Executor.create(gpu, plan, { keepBuffers: true });
    for (const N of [9, 9, 31, 9]) {
      const tensors = tensorsFor(r.graphs[0], { B: 1, N, C: 6 });
      const [a, b] = await Promise.all([fresh.run(tensors), kept.run(tensors)]);
      expect(Array.from(b.outputs.y.data)).toEqual(Array.from(a.outputs.y.data));
    }
    // Overlapping runs on one executor are serialised, not interleaved.
    const t1 = tensorsFor(r.graphs[0], { B: 1, N: 5, C: 6 });
    const t2 = tensorsFor(r.graphs[0], { B: 1, N: 7, C: 6 });
    const [o1, o2] = await Promise.all([kept.run(t1), kept.run(t2)]);
    expect(Array.from(o1.outputs.y.data)).toEqual(Array.from((await fresh.run(t1)).outputs.y.data));
    expect(Array.from(o2.outputs.y.data)).toEqual(Array.from((await fresh.run(t2)).outputs.y.data));
    kept.destroy();
  });

  it('times each kernel with timestamp queries when asked (lavapipe has them)', async () => {
    const r = compileSource('block t {\n  input x: [N, C]\n  param w: [C, C]\n  output y = sigmoid(x @ w)\n}\n', 't.saga');
    const plan = generatePlan(r.optimized[0]);
    const ex = await Executor.create(gpu, plan);
    const tensors = tensorsFor(r.graphs[0], { N: 50, C: 4 });
    expect((await ex.run(tensors)).kernelMs).toBeUndefined();
    const profiled = await ex.run(tensors, { profile: true });
    expect(gpu.device.features.has('timestamp-query')).toBe(true);
    expect(profiled.kernelMs?.map((k) => k.name)).toEqual(plan.kernels.map((k) => k.name));
    for (const k of profiled.kernelMs ?? []) expect(k.ms).toBeGreaterThanOrEqual(0);
  });

  it('fused SAGA allocates nothing of size N×d×d and no gated copy of K or V; unfused does', async () => {
    const r = compileSource(readFileSync(join(import.meta.dirname, '../../../examples/saga.saga'), 'utf8'), 'saga.saga');
    const [B, N, C, heads] = [1, 64, 8, 2];
    const d = C / heads;
    const tensors = tensorsFor(r.graphs[0], { B, N, C });
    const unfused = (await (await Executor.create(gpu, generatePlan(r.graphs[0]))).run(tensors)).report;
    const fused = (await (await Executor.create(gpu, generatePlan(r.optimized[0]))).run(tensors)).report;
    const gateBytes = B * heads * N * d * d * 4;
    expect(unfused.buffers.filter((b) => b.bytes >= gateBytes).map((b) => b.name)).toContain('g');
    expect(fused.buffers.filter((b) => b.bytes >= gateBytes)).toEqual([]);
    expect(fused.buffers.map((b) => b.holds).join('\n')).not.toMatch(/= (mul|div|sigmoid|relu|split_heads|outer) /);
    expect(fused.peakBytes).toBeLessThan(unfused.peakBytes / 2);
  });
});
