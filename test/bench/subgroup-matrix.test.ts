// The subgroup-matrix probe (bench/subgroup-matrix.ts, bench/scripts/subgroup-matrix-probe.mjs).
// Its products need an adapter with subgroup matrices (the H200 run is their check); what this
// machine can check: the hi + lo split on lavapipe's shader-f16, x = hi + lo / 2048 within
// 2^-22·|x| over the f16 range, and the command line (a line and exit 0 without subgroup
// matrices, exit 2 on a bad argument).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitKernel } from '../../bench/subgroup-matrix.js';
import { createStorage, readF16, uploadF32 } from '../../runtime/webgpu/buffers.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../..');

describe('the f16 hi + lo split', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  async function split(x: Float32Array, scale: number): Promise<[Float32Array, Float32Array]> {
    const { device } = gpu;
    const src = createStorage(device, 'x', x.byteLength);
    uploadF32(device, src, x);
    const bytes = 2 * Math.ceil(x.length / 2) * 2;
    const hi = createStorage(device, 'hi', bytes), lo = createStorage(device, 'lo', bytes);
    const module = device.createShaderModule({ code: splitKernel({ mode: 'bits', scale }) });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [src, hi, lo].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const staging = [hi, lo].map(() => device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    const e = device.createCommandEncoder();
    const pass = e.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(Math.ceil(x.length / 256));
    pass.end();
    e.copyBufferToBuffer(hi, 0, staging[0], 0, bytes);
    e.copyBufferToBuffer(lo, 0, staging[1], 0, bytes);
    device.queue.submit([e.finish()]);
    const out = await Promise.all(staging.map((s) => readF16(s, x.length)));
    for (const b of [src, hi, lo, ...staging]) b.destroy();
    return [out[0], out[1]];
  }

  it('x = hi + lo / 2048 within 2^-22·|x| (+ 2^-36 where lo is subnormal), hi an f16 of x within 2^-11', async () => {
    // lavapipe offers shader-f16 (bench/results/adapter-features-2026-12-03.txt).
    expect(gpu.device.features.has('shader-f16')).toBe(true);
    // Signed values from 2^-13 to 2^14, and ones whose low bits are exactly zero or a half-way tie.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const x = Float32Array.from({ length: 4096 }, (_, i) => (i % 2 ? -1 : 1) * 2 ** (random() * 27 - 13));
    x.set([1, -1.5, 1 + 2 ** -10, 1 + 2 ** -11, 1 + 2 ** -11 + 2 ** -20, 3.14159265, 16384.123, 2 ** -13]);
    const [hi, lo] = await split(x, 2048);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(hi[i] - x[i])).toBeLessThanOrEqual(2 ** -11 * Math.abs(x[i]));
      const err = Math.abs(hi[i] + lo[i] / 2048 - x[i]);
      expect(err).toBeLessThanOrEqual(2 ** -22 * Math.abs(x[i]) + 2 ** -36);
      worst = Math.max(worst, err / Math.abs(x[i]));
    }
    // The split carries float32's precision, where f16 alone carries 2^-11.
    expect(worst).toBeLessThan(2 ** -20);
    // Exact in 11 bits: no lo. A tie rounds away from zero in magnitude.
    expect([hi[0], lo[0], hi[2], lo[2]]).toEqual([1, 0, 1 + 2 ** -10, 0]);
    expect(hi[3]).toBe(1 + 2 ** -10);
    expect(hi[3] + lo[3] / 2048).toBe(1 + 2 ** -11);
  });
});

describe("acquireDevice's further features", () => {
  it('requests the ones the adapter has and leaves out the rest, without an error', async () => {
    const gpu = await acquireDevice({ features: ['subgroups', 'chromium-experimental-subgroup-matrix' as GPUFeatureName] });
    try {
      // lavapipe offers subgroups (adapter-features-2026-12-03.txt) and no subgroup matrices.
      expect(gpu.adapter.features.has('subgroups')).toBe(true);
      expect(gpu.device.features.has('subgroups')).toBe(true);
      expect(gpu.device.features.has('chromium-experimental-subgroup-matrix')).toBe(gpu.adapter.features.has('chromium-experimental-subgroup-matrix'));
    } finally {
      gpu.destroy();
    }
  });
});

describe('bench/scripts/subgroup-matrix-probe.mjs', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['bench/scripts/subgroup-matrix-probe.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  it('says what the adapter offers, and that it has nothing to measure without subgroup matrices', () => {
    const r = run('--shapes', '64x64x64', '--reps', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^adapter: .+; toggles enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia; timing (timestamps|wall), median of 1$/m);
    expect(r.stdout).toMatch(/^subgroup-matrix configurations \(MxNxK\): /m);
    // This machine's lavapipe has none; an adapter with them measures instead.
    if (/configurations \(MxNxK\): none$/m.test(r.stdout)) expect(r.stdout).toMatch(/nothing to measure\n$/);
    else expect(r.stdout).toMatch(/^64x64x64 sagac float32 matmul/m);
  }, 120_000);

  it('refuses a bad argument in one line, exit 2', () => {
    for (const args of [['--shapes', '100x64x64'], ['--shapes', '64x64'], ['--reps', '0'], ['--sizes', '64'], ['--variants', '{not json']]) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^subgroup-matrix-probe: /);
      expect(r.stdout).toBe('');
    }
  });
});
