// Every matmul kernel shape (schedule × threads per side × tile × bounds checks), run directly, against a float64
// matmul written here: sizes leave partial tiles and slabs, plus the split token reduction aᵀb.
// Error normwise (max |got - want| / max |want|) ≤ 1e-5: k ≤ 300 f32 products per output. Also with output
// rows written as vec4s (what plans for known sizes do where n is a multiple of 4), each tile's default schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matmulKernel, type MatmulSchedule, type MatmulThreads, type MatmulTile } from '../../codegen/wgsl/matmul.js';
import { rng } from '../../runtime/random.js';
import { dim } from '../../runtime/shape.js';
import { createStorage, createUniform, packUniforms, readF32, uploadF32, workgroupCounts } from '../../runtime/webgpu/buffers.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await acquireDevice();
});
afterAll(() => ctx?.destroy());

async function run(m: number, k: number, n: number, splits: number, { vec4, ...v }: { schedule?: MatmulSchedule; threads: MatmulThreads; tile: MatmulTile; interior?: boolean; slab?: 16 | 32; workgroupMemory?: number; vec4?: boolean }) {
  const [M, K, N] = [dim('M'), dim('K'), dim('N')];
  const kernel = matmulKernel({
    name: 'mm',
    header: [],
    a: { id: 'a', shape: splits ? [K, M] : [M, K] },
    b: { id: 'b', shape: [K, N] },
    write: 'c',
    shape: [M, N],
    ...(splits ? { transposeA: true, splits } : {}),
    ...v,
    ...(vec4 ? { vec4Rows: () => true } : {}),
  });
  const env = new Map([['M', m], ['K', k], ['N', n]]);
  const next = rng(m * 7 + k);
  const a = Float32Array.from({ length: m * k }, () => next() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => next() - 0.5);
  const parts = splits || 1;
  const { device } = ctx;
  const bufs: Record<string, GPUBuffer> = { a: createStorage(device, 'a', 4 * a.length), b: createStorage(device, 'b', 4 * b.length), c: createStorage(device, 'c', 4 * m * n * parts) };
  uploadF32(device, bufs.a, a);
  uploadF32(device, bufs.b, b);
  const uniform = createUniform(device, 'sizes', packUniforms(kernel, env));
  const staging = device.createBuffer({ size: 4 * m * n * parts, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code: kernel.wgsl }), entryPoint: 'main' } });
    const entries = [...kernel.reads, kernel.writes].map((id) => bufs[id]).concat(uniform).map((buffer, binding) => ({ binding, resource: { buffer } }));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    pass.dispatchWorkgroups(...workgroupCounts(kernel, env, ctx.limits.maxComputeWorkgroupsPerDimension));
    pass.end();
    encoder.copyBufferToBuffer(bufs.c, 0, staging, 0, staging.size);
    device.queue.submit([encoder.finish()]);
    const c = await readF32(staging, m * n * parts);
    let err = 0;
    let scale = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let want = 0;
        for (let t = 0; t < k; t++) want += (splits ? a[t * m + i] : a[i * k + t]) * b[t * n + j];
        let got = 0;
        for (let s = 0; s < parts; s++) got += c[(s * m + i) * n + j];
        err = Math.max(err, Math.abs(got - want));
        scale = Math.max(scale, Math.abs(want));
      }
    }
    return err / scale;
  } finally {
    for (const buf of [...Object.values(bufs), uniform, staging]) buf.destroy();
  }
}

const VARIANTS = [
  { schedule: 'simple', threads: 16, tile: 64, interior: false, slab: 16 },
  { schedule: 'pipelined', threads: 16, tile: 64, interior: false, slab: 16 },
  { schedule: 'unrolled', threads: 16, tile: 64, interior: false, slab: 16 },
  { schedule: 'pipelined', threads: 16, tile: 64, interior: true, slab: 16 },
  { schedule: 'simple', threads: 16, tile: 128, interior: true, slab: 16 },
  { schedule: 'simple', threads: 8, tile: 64, interior: false, slab: 16 },
  { schedule: 'unrolled', threads: 8, tile: 64, interior: false, slab: 16 },
  { schedule: 'pipelined', threads: 8, tile: 64, interior: false, slab: 16 },
  { schedule: 'simple', threads: 16, tile: 128, interior: false, slab: 16 },
  { schedule: 'pipelined', threads: 16, tile: 128, interior: false, slab: 16 },
  { schedule: 'pipelined', threads: 16, tile: '128x64', interior: true, slab: 16 },
  { schedule: 'simple', threads: 16, tile: '128x64', interior: false, slab: 16 },
  { schedule: 'unrolled', threads: 16, tile: '128x64', interior: true, slab: 16 },
  // A 32-deep slab (slower on the H200, kept for bench/matmul.ts); padded with room for it.
  { schedule: 'pipelined', threads: 16, tile: 64, interior: true, slab: 32 },
  { schedule: 'simple', threads: 16, tile: '128x64', interior: false, slab: 32, workgroupMemory: 32768 },
  // 8 threads across, 16 down: 8x8 outputs a thread.
  { schedule: 'pipelined', threads: '8x16', tile: '128x64', interior: true, slab: 16 },
  { schedule: 'simple', threads: '8x16', tile: '128x64', interior: false, slab: 16 },
  { schedule: 'pipelined', threads: '8x16', tile: 64, interior: false, slab: 16 },
  // 512 threads: 16 across, 32 down.
  { schedule: 'pipelined', threads: '16x32', tile: '256x64', interior: true, slab: 16 },
  { schedule: 'simple', threads: '16x32', tile: 128, interior: false, slab: 16, workgroupMemory: 32768 },
] as const;

describe.each(VARIANTS)('matmul $schedule, threads $threads, tile $tile, interior $interior, slab $slab', (v) => {
  it.each([
    [70, 33, 45, 0],
    [130, 64, 129, 0],
    [1, 300, 3, 0],
    [64, 300, 40, 4],
    [17, 1000, 9, 7],
    [256, 96, 192, 0],
    [128, 160, 64, 2],
  ])('m=%i k=%i n=%i splits=%i matches a float64 matmul', async (m, k, n, splits) => {
    expect(await run(m, k, n, splits, v)).toBeLessThan(1e-5);
  });
});

const VEC4_VARIANTS = [
  { threads: 16, tile: '128x64', interior: true, vec4: true },
  { threads: 16, tile: '128x64', interior: false, vec4: true },
  { schedule: 'simple', threads: 16, tile: '128x64', interior: true, vec4: true },
  { threads: 16, tile: 64, interior: true, vec4: true },
  { threads: 16, tile: 128, interior: false, vec4: true },
  { threads: '8x16', tile: '128x64', interior: true, vec4: true },
  { threads: '8x16', tile: '128x64', interior: false, vec4: true },
] as const;

describe.each(VEC4_VARIANTS)('matmul with vec4 output rows, schedule $schedule, threads $threads, tile $tile, interior $interior', (v) => {
  it.each([
    [70, 33, 48, 0],
    [130, 64, 132, 0],
    [1, 300, 4, 0],
    [64, 300, 40, 4],
    [256, 96, 192, 0],
    [128, 160, 64, 2],
  ])('m=%i k=%i n=%i splits=%i matches a float64 matmul', async (m, k, n, splits) => {
    expect(await run(m, k, n, splits, v)).toBeLessThan(1e-5);
  });
});

it('refuses 8 threads per side for a 128 tile (16x16 outputs per thread)', () => {
  const [M, K, N] = [dim('M'), dim('K'), dim('N')];
  expect(() => matmulKernel({ name: 'mm', header: [], a: { id: 'a', shape: [M, K] }, b: { id: 'b', shape: [K, N] }, write: 'c', shape: [M, N], tile: 128, threads: 8 })).toThrow(/16 threads down its rows/);
});
