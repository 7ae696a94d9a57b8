// Host-side tensors: row-major data plus a concrete shape.

export interface Tensor<D extends Float32Array | Float64Array = Float32Array | Float64Array> {
  readonly shape: readonly number[];
  readonly data: D;
}

export type Tensor32 = Tensor<Float32Array>;
export type Tensor64 = Tensor<Float64Array>;

export type TensorMap = Readonly<Record<string, Tensor>>;

/**
 * A tensor already on the GPU: f32 values of `shape`, row-major from offset 0 of `buffer` (which
 * needs STORAGE usage to be read, COPY_SRC for you to read it back).
 */
export interface GpuTensor<R extends number = number> {
  readonly shape: readonly number[] & { readonly length: R };
  readonly buffer: GPUBuffer;
}

/** What a run takes: host tensors, or GPU buffers the caller already filled. */
export type RunTensors = Readonly<Record<string, Tensor | GpuTensor>>;

export const isGpuTensor = (t: Tensor | GpuTensor): t is GpuTensor => 'buffer' in t;

/**
 * Normwise relative error: `max_i |actual_i - expected_i| / max_i |expected_i|`.
 * Per-element ratios explode where the reference is near zero, so we scale by the largest
 * reference magnitude instead (the infinity-norm relative error).
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxDiff)) maxDiff = d; // NaN propagates as NaN
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / Math.max(maxRef, Number.MIN_VALUE);
}
