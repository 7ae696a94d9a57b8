// The roofline of the adapter the benchmark runs on: what a plain WGSL copy kernel reaches in
// bandwidth and what the project's tiled matmul kernel reaches in FLOP rate. Each benchmark row is
// then also a fraction of these (docs/benchmarks.md, Method).
import { generatePlan } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { createStorage, createUniform, packUniforms, uploadF32, workgroupCounts } from '../runtime/webgpu/buffers.js';
import { keepBusy, median, WARMUP_MS } from '../runtime/webgpu/device.js';
import type { GpuContext } from '../runtime/webgpu/index.js';
import type { KernelSpec } from '../runtime/plan.js';

export type Timing = 'timestamps' | 'wall';

export interface Roofline {
  /** Bytes read + written per copy, the kernel's median time, and the rate. */
  readonly copy: { readonly bytes: number; readonly ms: number; readonly spread: [number, number]; readonly gbps: number };
  /** Square matmul S×S @ S×S: 2·S³ flops. */
  readonly matmul: { readonly size: number; readonly ms: number; readonly spread: [number, number]; readonly gflops: number };
  /** The FP32 multiply-add peak: `workgroups` of FMA_THREADS threads, FMA_FLOPS flops each. */
  readonly fma: { readonly workgroups: number; readonly ms: number; readonly spread: [number, number]; readonly gflops: number };
  readonly timing: Timing;
}

export { median };
export const range = (xs: readonly number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];

/**
 * Times `reps` dispatches of one kernel, one compute pass each, after an untimed one: each by
 * timestamp queries, or ('wall') all together by wall clock.
 */
export async function timeDispatch(gpu: GpuContext, wgsl: string, buffers: readonly GPUBuffer[], counts: readonly [number, number, number], reps: number, timing: Timing, warmupMs = WARMUP_MS): Promise<number[]> {
  const { device } = gpu;
  const module = device.createShaderModule({ code: wgsl });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return timePasses(gpu, [{ pipeline, group, counts }], reps, timing, warmupMs);
}

/** One dispatch of a compute pass. */
export interface Dispatched {
  readonly pipeline: GPUComputePipeline;
  readonly group: GPUBindGroup;
  readonly counts: readonly [number, number, number];
}

/**
 * Times `reps` compute passes, each of `dispatches` in order, after keeping the GPU busy with
 * them for `warmupMs`: each pass by timestamp queries, or ('wall') all together by wall clock.
 */
export async function timePasses(gpu: GpuContext, dispatches: readonly Dispatched[], reps: number, timing: Timing, warmupMs = WARMUP_MS): Promise<number[]> {
  const { device } = gpu;
  const encodePass = (encoder: GPUCommandEncoder, timestampWrites?: GPUComputePassTimestampWrites) => {
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : {});
    for (const d of dispatches) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.group);
      pass.dispatchWorkgroups(...d.counts);
    }
    pass.end();
  };
  const submit = async (encode: (e: GPUCommandEncoder) => void) => {
    const encoder = device.createCommandEncoder();
    encode(encoder);
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await keepBusy(
    (repeats) =>
      submit((e) => {
        for (let i = 0; i < repeats; i++) encodePass(e);
      }),
    warmupMs,
  );
  if (timing === 'wall') {
    // One submission of `reps` passes: the wall time per pass, a single figure.
    const t0 = performance.now();
    await submit((e) => {
      for (let i = 0; i < reps; i++) encodePass(e);
    });
    return [(performance.now() - t0) / reps];
  }
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const resolved = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    await submit((e) => {
      for (let i = 0; i < reps; i++) encodePass(e, { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 });
      e.resolveQuerySet(querySet, 0, 2 * reps, resolved, 0);
      e.copyBufferToBuffer(resolved, 0, readback, 0, 16 * reps);
    });
    await readback.mapAsync(GPUMapMode.READ);
    const ns = new BigInt64Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return Array.from({ length: reps }, (_, i) => Number(ns[2 * i + 1] - ns[2 * i]) / 1e6);
  } finally {
    querySet.destroy();
    resolved.destroy();
    readback.destroy();
  }
}

const COPY_WORKGROUP = 256;
const COPY_WGSL = `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(${COPY_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * ${COPY_WORKGROUP}u + gid.x;
  if (i < arrayLength(&dst)) {
    dst[i] = src[i];
  }
}`;

/**
 * Times one kernel of a plan (or `wgsl` in its place, same bindings) at sizes `env`: a buffer of
 * `floats[id]` floats per binding, the ones it reads filled with a fixed pattern (values do not
 * change the time; this one keeps denormals and zeros out of it), all destroyed after.
 */
export async function timeKernel(gpu: GpuContext, kernel: KernelSpec, floats: Readonly<Record<string, number>>, env: ReadonlyMap<string, number>, reps: number, timing: Timing, wgsl = kernel.wgsl): Promise<number[]> {
  const ids = [...kernel.reads, kernel.writes];
  const bufs = new Map(ids.map((id) => [id, createStorage(gpu.device, id, 4 * floats[id])]));
  const uniform = createUniform(gpu.device, 'sizes', packUniforms(kernel, env));
  try {
    for (const id of kernel.reads) uploadF32(gpu.device, bufs.get(id)!, Float32Array.from({ length: floats[id] }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5));
    return await timeDispatch(gpu, wgsl, [...ids.map((id) => bufs.get(id)!), uniform], workgroupCounts(kernel, env, gpu.limits.maxComputeWorkgroupsPerDimension), reps, timing);
  } finally {
    for (const b of bufs.values()) b.destroy();
    uniform.destroy();
  }
}

/** Copy bandwidth: a vec4 copy of the largest power-of-two buffer up to 1 GiB the device binds. */
export async function copyBandwidth(gpu: GpuContext, reps: number, timing: Timing): Promise<Roofline['copy']> {
  const limit = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize, 2 ** 30);
  const bytes = 2 ** Math.floor(Math.log2(limit));
  const src = createStorage(gpu.device, 'copy_src', bytes);
  const dst = createStorage(gpu.device, 'copy_dst', bytes);
  try {
    const groups = bytes / 16 / COPY_WORKGROUP;
    const x = Math.min(groups, 32768);
    const ms = await timeDispatch(gpu, COPY_WGSL, [src, dst], [x, Math.ceil(groups / x), 1], reps, timing);
    const t = median(ms);
    return { bytes: 2 * bytes, ms: t, spread: range(ms), gbps: (2 * bytes) / (t * 1e6) };
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/**
 * FLOP rate of the project's own matmul kernel (codegen/wgsl/matmul.ts, via a one-line block),
 * on square matrices doubled from 256 until one takes 50 ms or reaches 4096; the best rate.
 */
export async function matmulRate(gpu: GpuContext, reps: number, timing: Timing): Promise<Roofline['matmul']> {
  const r = compileSource('block mm {\n  input x: [S, S]\n  param w: [S, S]\n  output y = x @ w\n}\n', 'roofline.saga');
  const plan = generatePlan(r.graphs[0]);
  if (plan.kernels.length !== 1) throw new Error(`roofline: x @ w compiled to ${plan.kernels.length} kernels, expected 1`);
  const kernel = plan.kernels[0];
  let best: Roofline['matmul'] | undefined;
  for (let S = 256; S <= 4096 && 4 * S * S <= gpu.limits.maxStorageBufferBindingSize; S *= 2) {
    const env = new Map([['S', S]]);
    const ms = await timeKernel(gpu, kernel, Object.fromEntries(plan.buffers.map((b) => [b.id, S * S])), env, reps, timing);
    const t = median(ms);
    const gflops = (2 * S ** 3) / (t * 1e6);
    if (!best || gflops > best.gflops) best = { size: S, ms: t, spread: range(ms), gflops };
    if (t >= 50) break;
  }
  if (!best) throw new Error('roofline: the device cannot bind a 256×256 matrix');
  return best;
}

const FMA_THREADS = 256;
const FMA_CHAINS = 16;
const FMA_STEPS = 256;
/** Flops a thread of the FMA kernel does: FMA_STEPS steps of FMA_CHAINS vec4 multiply-adds. */
export const FMA_FLOPS = FMA_STEPS * FMA_CHAINS * 4 * 2;

// Independent chains, so the multiply-adds issue back to back; the store (never taken) keeps the
// compiler from dropping them.
const chains = Array.from({ length: FMA_CHAINS }, (_, i) => i);
const FMA_WGSL = `@group(0) @binding(0) var<storage, read_write> sink: array<f32>;

@compute @workgroup_size(${FMA_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = f32(gid.x + gid.y) * 1e-9;
  let m = vec4<f32>(0.999, 0.998, 0.997, 0.996) + s;
  let c = vec4<f32>(1e-3, 2e-3, 3e-3, 4e-3);
${chains.map((i) => `  var a${i} = vec4<f32>(${i}.0 + s);`).join('\n')}
  for (var i = 0u; i < ${FMA_STEPS}u; i = i + 1u) {
${chains.map((i) => `    a${i} = fma(a${i}, m, c);`).join('\n')}
  }
  let t = ${chains.map((i) => `a${i}`).join(' + ')};
  if (t.x == 12345.0) { sink[gid.x] = t.y + t.z + t.w; }
}`;

/**
 * The adapter's FP32 multiply-add rate (no memory traffic): workgroups doubled from 64 until a
 * dispatch takes 10 ms or 2^20 of them; the best rate. What no kernel of ours can beat.
 */
export async function fmaPeak(gpu: GpuContext, reps: number, timing: Timing): Promise<Roofline['fma']> {
  const sink = createStorage(gpu.device, 'fma_sink', 4 * FMA_THREADS * 32768);
  let best: Roofline['fma'] | undefined;
  try {
    for (let workgroups = 64; workgroups <= 2 ** 20; workgroups *= 2) {
      const x = Math.min(workgroups, 32768);
      const ms = await timeDispatch(gpu, FMA_WGSL, [sink], [x, workgroups / x, 1], reps, timing);
      const t = median(ms);
      const gflops = (workgroups * FMA_THREADS * FMA_FLOPS) / (t * 1e6);
      if (!best || gflops > best.gflops) best = { workgroups, ms: t, spread: range(ms), gflops };
      if (t >= 10) break;
    }
  } finally {
    sink.destroy();
  }
  return best!;
}
