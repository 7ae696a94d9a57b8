// What a generated block module imports (`sagac/runtime`): the device, the executor, shape binding
// and the tensor types. No parser, no codegen, no Node-only module: it runs in a browser as is.
import { SagaError } from './errors.js';
import type { GpuTensor, Tensor32 } from './tensor.js';

export { bindSymbols, checkRequires, type TensorSpec } from './bind.js';
export { chunkDims, fitTokenChunk, runStorageBytes, tokenChunkCandidates } from './chunks.js';
export { SagaError } from './errors.js';
export { selfTest, SELFTEST_FLOOR, SELFTEST_K, type SelfTestBlock, type SelfTestReport } from './selftest.js';
export type { BlockPlan } from './params.js';
export type { BufferSpec, Dispatch, KernelSpec, Plan } from './plan.js';
export { readSafetensors, writeSafetensors, type Safetensors } from './safetensors.js';
export type { Bindings, Dim, SizeExpr } from './shape.js';
export { maxRelativeError, type GpuTensor, type RunTensors, type Tensor, type Tensor32, type Tensor64, type TensorMap } from './tensor.js';
export {
  acquireDevice,
  Executor,
  formatCompilationErrors,
  GpuContext,
  type AdapterDescription,
  type DeviceOptions,
  type RunOptions,
  type RunResult,
  type RunTimings,
} from './webgpu/index.js';

type Tuple<N extends number, T extends number[] = []> = T['length'] extends N ? T : Tuple<N, [...T, number]>;

/**
 * An f32 tensor of rank `R`: `Float32Tensor<3>` has `shape: readonly [number, number, number]`.
 * @example
 *   const x: Float32Tensor<2> = { shape: [2, 3], data: new Float32Array(6) };
 */
export interface Float32Tensor<R extends number = number> {
  readonly shape: number extends R ? readonly number[] : Readonly<Tuple<R>>;
  readonly data: Float32Array;
}

/** A kernel's name and WGSL source, as a generated module lists them. */
export interface KernelSource {
  readonly name: string;
  readonly wgsl: string;
}

/**
 * Output `name` of a run, checked to have rank `rank` (a generated module's typed view of it).
 * @example
 *   const y = takeOutput(result.outputs, 'y', 3); // Float32Tensor<3>
 */
export function takeOutput<R extends number>(outputs: Readonly<Record<string, Tensor32>>, name: string, rank: R): Float32Tensor<R> {
  const t = outputs[name];
  if (t === undefined) throw new SagaError(`the run produced no output '${name}'`);
  if (!hasRank(t, rank)) throw new SagaError(`output '${name}' has rank ${t.shape.length}, expected ${rank}`);
  return t;
}

/**
 * Output `name` of a run left on the GPU, checked to have rank `rank`.
 * @example
 *   const y = takeBuffer(result.buffers ?? {}, 'y', 3); // GpuTensor<3>
 */
export function takeBuffer<R extends number>(buffers: Readonly<Record<string, GpuTensor>>, name: string, rank: R): GpuTensor<R> {
  const t = buffers[name];
  if (t === undefined) throw new SagaError(`the run left no output '${name}' on the GPU`);
  if (!hasGpuRank(t, rank)) throw new SagaError(`output '${name}' has rank ${t.shape.length}, expected ${rank}`);
  return t;
}

function hasGpuRank<R extends number>(t: GpuTensor, rank: R): t is GpuTensor<R> {
  return t.shape.length === rank;
}

function hasRank<R extends number>(t: Tensor32, rank: R): t is Tensor32 & Float32Tensor<R> {
  return t.shape.length === rank;
}
