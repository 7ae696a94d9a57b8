// Device limits and device loss, on whatever adapter this is: limits are lowered through the
// executor's `limits` option (each no higher than the device's), so the paths that spread a
// dispatch or refuse work run on lavapipe too. Results are checked against the float64
// interpreter (1e-4 normwise); refusals must come before any GPU work, naming the limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../../compiler/ir.js';
import { SagaError } from '../../../runtime/errors.js';
import { interpret } from '../../../runtime/interpreter.js';
import { randomTensor, rng } from '../../../runtime/random.js';
import { evalShape } from '../../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../../runtime/tensor.js';
import { acquireDevice, Executor, workgroupBytes, type GpuContext } from '../../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../../..');
const r = compileSource(readFileSync(join(root, 'examples/saga.saga'), 'utf8'), 'examples/saga.saga');

function tensors(g: Graph, env: Record<string, number>): Record<string, Tensor> {
  const next = rng(11);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

describe('device limits', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('spreads a dispatch over more grid dimensions when one is limited to 16 workgroups', async () => {
    const t = tensors(r.graphs[0], { B: 2, N: 300, C: 12 });
    const want = interpret(r.graphs[0], t).y.data;
    for (const g of [r.optimized[0], r.graphs[0]]) {
      const ex = await Executor.create(gpu, generatePlan(g), { limits: { maxComputeWorkgroupsPerDimension: 16 } });
      const run = await ex.run(t);
      // Some kernel needed more than 16 workgroups and got them as x*y*z.
      expect(run.report.kernels.some((k) => k.workgroups.filter((c) => c > 1).length >= 2)).toBe(true);
      expect(run.report.kernels.every((k) => k.workgroups.every((c) => c <= 16))).toBe(true);
      expect(maxRelativeError(run.outputs.y.data, want)).toBeLessThan(1e-4);
    }
  });

  it('refuses a dispatch beyond every dimension, naming the kernel and the limit', async () => {
    const ex = await Executor.create(gpu, generatePlan(r.optimized[0]), { limits: { maxComputeWorkgroupsPerDimension: 2 } });
    await expect(ex.run(tensors(r.graphs[0], { B: 1, N: 4096, C: 64 }))).rejects.toThrow(/kernel \w+ needs \d+ x \d+ x \d+ workgroups, over this device's 2 per dimension/);
  });

  it('refuses a buffer over the binding limit before any GPU work, naming the buffer', async () => {
    const ex = await Executor.create(gpu, generatePlan(r.graphs[0]), { limits: { maxStorageBufferBindingSize: 1 << 16 } });
    // The unfused gate g is B·2·N·d·d floats: 1·2·64·32·32·4 = 512 KiB > 64 KiB.
    const e = await ex.run(tensors(r.graphs[0], { B: 1, N: 64, C: 64 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SagaError);
    expect((e as Error).message).toMatch(/buffer '\w+' needs \d+ bytes, more than this device can bind \(maxStorageBufferBindingSize 65536/);
    expect(gpu.uncaptured).toEqual([]);
  });

  it('refuses a kernel whose workgroup memory is over the limit when it is created', async () => {
    const plan = generatePlan(r.optimized[0], { matmulTile: 128, kvProjections: false });
    const needs = Math.max(...plan.kernels.map((k) => workgroupBytes(k.wgsl)));
    expect(needs).toBe(16384);
    await expect(Executor.create(gpu, plan, { limits: { maxComputeWorkgroupStorageSize: 8192 } })).rejects.toThrow(/kernel matmul_\w+ needs \d+ bytes of workgroup memory, over this device's maxComputeWorkgroupStorageSize 8192/);
    // The 64 tile fits 8.25 KiB (a slab padded by a row), 12.25 KiB with the slabs of two
    // weights (the joint projections); the default (128x64, 12.25 KiB) the 16 KiB every WebGPU
    // adapter has.
    const small = generatePlan(r.optimized[0], { matmulTile: 64, kvProjections: false });
    expect([...new Set(small.kernels.filter((k) => k.name.startsWith('matmul_')).map((k) => workgroupBytes(k.wgsl)))].sort()).toEqual([12544, 8448]);
    await expect(Executor.create(gpu, small, { limits: { maxComputeWorkgroupStorageSize: 12544 } })).resolves.toBeInstanceOf(Executor);
    expect(Math.max(...generatePlan(r.optimized[0], { kvProjections: false }).kernels.map((k) => workgroupBytes(k.wgsl)))).toBe(12544);
    // The KV reduction computing its projections inside (the default) takes 32 KiB: refused on an
    // adapter with the 16 KiB WebGPU guarantees, naming the option that avoids it.
    const inside = generatePlan(r.optimized[0]);
    expect(Math.max(...inside.kernels.map((k) => workgroupBytes(k.wgsl)))).toBe(32768);
    const refused = await Executor.create(gpu, inside, { limits: { maxComputeWorkgroupStorageSize: 16384 } }).then(
      () => undefined,
      (e: unknown) => e as SagaError,
    );
    expect(refused?.message).toMatch(/kernel outer_mean_s_projected needs 32768 bytes of workgroup memory, over this device's maxComputeWorkgroupStorageSize 16384/);
    expect(refused?.hint).toMatch(/kvProjections = false/);
  });
});

describe('a lost device', () => {
  it('is reported as a sagac error, and a reacquired device runs the plan again', async () => {
    const gpu = await acquireDevice();
    const plan = generatePlan(r.optimized[0]);
    const t = tensors(r.graphs[0], { B: 1, N: 33, C: 6 });
    const want = interpret(r.graphs[0], t).y.data;
    const ex = await Executor.create(gpu, plan);
    expect(maxRelativeError((await ex.run(t)).outputs.y.data, want)).toBeLessThan(1e-4);

    gpu.device.destroy(); // what a driver reset looks like to the page
    await gpu.device.lost;
    await expect(ex.run(t)).rejects.toThrow(/the WebGPU device was lost \(destroyed/);
    await expect(Executor.create(gpu, plan)).rejects.toThrow(SagaError);

    const again = await gpu.reacquire();
    try {
      const ex2 = await Executor.create(again, plan);
      expect(maxRelativeError((await ex2.run(t)).outputs.y.data, want)).toBeLessThan(1e-4);
    } finally {
      again.destroy();
    }
  });
});
