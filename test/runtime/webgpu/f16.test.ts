// f16 storage with f32 arithmetic (--precision f16), where the adapter has shader-f16: the
// half-float conversions against the IEEE bit patterns, every example within the f16 criterion of
// the self-check, and a clear refusal on a device without the feature.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import { SELFTEST_FLOOR_F16, selfTest } from '../../../runtime/selftest.js';
import { fromHalf, toHalf } from '../../../runtime/webgpu/buffers.js';
import { acquireDevice, Executor, type GpuContext } from '../../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../../..');

describe('half floats', () => {
  it('known bit patterns', () => {
    expect([1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8, 0, 1e6, -1e6].map(toHalf)).toEqual([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0400, 0x0001, 0, 0x7c00, 0xfc00]);
    expect(toHalf(NaN) & 0x7c00).toBe(0x7c00);
    expect(Object.is(fromHalf(toHalf(-0)), -0)).toBe(true);
  });

  it('every half round-trips, and f32 values round to the nearest half', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromHalf(h);
      if (!Number.isNaN(v)) expect(toHalf(v)).toBe(h);
    }
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const err = Math.abs(fromHalf(toHalf(x)) - Math.fround(x));
        // Half a unit in the last place of the result: 2^(e-11), or 2^-25 below the normals.
        const ulp = Math.abs(x) < 6.103515625e-5 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 10);
        return err <= ulp / 2 + 1e-12;
      }),
      { numRuns: 20000 },
    );
  });
});

describe('f16 storage on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  // The focused feature map divides by ‖φ(x)³‖, whose stored value leaves f16's range (under
  // 6e-8 or over 65504) for ordinary inputs: the self-check must catch that, not pass it.
  const outOfRange = 'saga_focused.saga';
  it('flags saga_focused, whose intermediates leave f16 range, at its first wrong kernel', async () => {
    if (!gpu.device.features.has('shader-f16')) return;
    const r = compileSource(readFileSync(join(root, 'examples', outOfRange), 'utf8'), outOfRange);
    const report = await selfTest(gpu, {
      unfused: { graph: r.graphs[0], plan: generatePlan(r.graphs[0], { precision: 'f16' }) },
      fused: { graph: r.optimized[0], plan: generatePlan(r.optimized[0], { precision: 'f16' }) },
    });
    expect(report.pass).toBe(false);
    expect(report.kernels.find((k) => !k.pass)?.error).not.toBeLessThan(SELFTEST_FLOOR_F16);
  });

  // A fast subset on lavapipe (each normaliser, a gate-free map, decays, the local term);
  // `sagac selftest --precision f16` runs them all.
  const examples = ['saga.saga', 'saga_n3.saga', 'linear.saga', 'gla.saga', 'retnet.saga', 'saga_local.saga'];
  expect(examples.every((f) => readdirSync(join(root, 'examples')).includes(f))).toBe(true);
  it.each(examples)('%s passes the self-check with f16 storage', async (file) => {
    if (!gpu.device.features.has('shader-f16')) return expect(gpu.adapter.features.has('shader-f16')).toBe(false);
    const r = compileSource(readFileSync(join(root, 'examples', file), 'utf8'), file);
    for (let i = 0; i < r.graphs.length; i++) {
      const report = await selfTest(gpu, {
        unfused: { graph: r.graphs[i], plan: generatePlan(r.graphs[i], { precision: 'f16' }) },
        fused: { graph: r.optimized[i], plan: generatePlan(r.optimized[i], { precision: 'f16' }) },
      });
      expect(report.kernels.filter((k) => !k.pass)).toEqual([]);
      expect(report.pass).toBe(true);
      // f16 storage costs precision: well above f32's ~1e-7, within the documented floor.
      expect(Math.max(...report.outputs.map((o) => o.fused))).toBeGreaterThan(1e-5);
      expect(Math.max(...report.outputs.map((o) => o.fused))).toBeLessThan(SELFTEST_FLOOR_F16);
    }
  });

  it('halves the storage and is refused, naming the feature, on a device without shader-f16', async () => {
    const r = compileSource(readFileSync(join(root, 'examples/saga.saga'), 'utf8'), 'saga.saga');
    const plan = generatePlan(r.optimized[0], { precision: 'f16' });
    expect(plan.kernels.every((k) => k.wgsl.includes('enable f16;') && !/var<storage[^;]*array<f32>/.test(k.wgsl))).toBe(true);
    const plain = await acquireDevice({ f16: false });
    try {
      await expect(Executor.create(plain, plan)).rejects.toThrow(/compiled for f16 storage, and this device has no shader-f16 feature/);
    } finally {
      plain.destroy();
    }
  });
});
