// GPU buffers for one run: sizing against the device's limits, f64 -> f32 upload, uniform packing,
// launch sizes, and read-back.
import { SagaError } from '../errors.js';
import type { Dispatch, KernelSpec } from '../plan.js';
import { evalSize, type Bindings } from '../shape.js';

/** Bytes of an f32 buffer of `count` elements; WebGPU refuses zero-sized bindings, so at least 4. */
export function f32Bytes(count: number): number {
  return Math.max(4, count * 4);
}

/** Bytes of a buffer of `count` elements of the plan's storage type, a multiple of 4. */
export function storageBytes(count: number, precision: 'f32' | 'f16' = 'f32'): number {
  return precision === 'f16' ? Math.max(4, Math.ceil(count / 2) * 4) : f32Bytes(count);
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** IEEE half bits of `x`, rounded to nearest even (overflow to ±Infinity, NaN kept). */
export function toHalf(x: number): number {
  f32View[0] = x;
  const b = u32View[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** The value of IEEE half bits `h`. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Uploads host data as f16 (rounded to nearest even), padded to a multiple of 4 bytes. */
export function uploadF16(device: GPUDevice, buffer: GPUBuffer, data: Float32Array | Float64Array): void {
  const h = new Uint16Array(2 * Math.ceil(data.length / 2));
  for (let i = 0; i < data.length; i++) h[i] = toHalf(data[i]);
  device.queue.writeBuffer(buffer, 0, h.buffer, 0, h.byteLength);
}

/** Maps a MAP_READ staging buffer of f16 values and widens its first `count` to f32. */
export async function readF16(staging: GPUBuffer, count: number): Promise<Float32Array> {
  await staging.mapAsync(GPUMapMode.READ);
  try {
    const h = new Uint16Array(staging.getMappedRange(), 0, count);
    return Float32Array.from(h, fromHalf);
  } finally {
    staging.unmap();
  }
}

/** Refuses a buffer the device could not bind, naming it and the limit. */
export function checkBufferSize(id: string, bytes: number, limits: Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>): void {
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > limit) {
    throw new SagaError(
      `buffer '${id}' needs ${bytes} bytes, more than this device can bind (maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}, maxBufferSize ${limits.maxBufferSize})`,
      'use smaller sizes, or a device with larger limits',
    );
  }
}

export function createStorage(device: GPUDevice, label: string, bytes: number): GPUBuffer {
  return device.createBuffer({ label, size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
}

/** Uploads host data as f32 (float64 tensors are rounded here, once). */
export function uploadF32(device: GPUDevice, buffer: GPUBuffer, data: Float32Array | Float64Array): void {
  const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
  device.queue.writeBuffer(buffer, 0, f32.buffer, f32.byteOffset, f32.byteLength);
}

/** A kernel's uniform values evaluated under `env`, as the `array<vec4<u32>, n>` it declares. */
export function packUniforms(kernel: KernelSpec, env: Bindings): Uint32Array {
  const words = new Uint32Array(4 * Math.max(1, Math.ceil(kernel.uniforms.length / 4)));
  kernel.uniforms.forEach((e, i) => {
    const v = evalSize(e, env);
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new SagaError(`kernel ${kernel.name}: size ${v} does not fit in a u32`, 'use smaller sizes');
    }
    words[i] = v;
  });
  return words;
}

export function createUniform(device: GPUDevice, label: string, words: Uint32Array): GPUBuffer {
  const buffer = device.createBuffer({ label, size: words.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, words.byteLength);
  return buffer;
}

/**
 * Workgroup counts for a dispatch. Linear launches and matmul row tiles that exceed the
 * per-dimension limit (65535 by default) spill into the next dimension; the kernels linearise
 * the workgroup id and skip the excess.
 */
export function workgroupCounts(kernel: KernelSpec, env: Bindings, maxPerDim: number): [number, number, number] {
  const d: Dispatch = kernel.dispatch;
  const spread = (total: number): [number, number] => {
    const a = Math.max(1, Math.min(total, maxPerDim));
    return [a, Math.max(1, Math.ceil(total / a))];
  };
  let counts: [number, number, number];
  if (d.kind === 'linear') {
    const [x, rest] = spread(Math.ceil(evalSize(d.count, env) / kernel.workgroupSize));
    const [y, z] = spread(rest);
    counts = [x, y, z];
  } else {
    const x = Math.ceil(evalSize(d.cols, env) / d.tile[0]);
    const [y, z] = spread(Math.ceil(evalSize(d.rows, env) / d.tile[1]) * evalSize(d.batch, env));
    counts = [x, y, z];
  }
  if (counts.some((c) => c > maxPerDim)) {
    throw new SagaError(`kernel ${kernel.name} needs ${counts.join(' x ')} workgroups, over this device's ${maxPerDim} per dimension`, 'use smaller sizes');
  }
  return counts;
}

/** Maps a MAP_READ staging buffer and copies its first `count` floats out. */
export async function readF32(staging: GPUBuffer, count: number): Promise<Float32Array> {
  await staging.mapAsync(GPUMapMode.READ);
  try {
    return new Float32Array(staging.getMappedRange()).slice(0, count);
  } finally {
    staging.unmap();
  }
}
