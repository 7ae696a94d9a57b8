// GPU buffers for one run: sizing against the device's limits, f64 -> f32 upload, uniform packing,
// launch sizes, and read-back.
import { SagaError } from '../errors.js';
import type { Dispatch, KernelSpec } from '../plan.js';
import { evalSize, type Bindings } from '../shape.js';

/** Bytes of an f32 buffer of `count` elements; WebGPU refuses zero-sized bindings, so at least 4. */
export function f32Bytes(count: number): number {
  return Math.max(4, count * 4);
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
