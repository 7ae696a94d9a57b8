// A compiled block as data: buffers, WGSL kernels and how to launch them. Codegen writes it,
// the WebGPU executor runs it; it holds only JSON-able values so it can be shipped as is.
import type { TensorSpec } from './bind.js';
import type { Dim, SizeExpr } from './shape.js';

export interface BufferSpec {
  /** Unique buffer name, derived from the DSL (`x`, `w_q`, `v7_q`). */
  readonly id: string;
  readonly shape: readonly Dim[];
}

export type Dispatch =
  /** One invocation per element: `count` invocations in workgroups of `workgroupSize`, spread over x and y. */
  | { readonly kind: 'linear'; readonly count: SizeExpr }
  /** A 3-D grid of `ceil(size[i] / tile[i])` workgroups. */
  | { readonly kind: 'grid'; readonly size: readonly [SizeExpr, SizeExpr, SizeExpr]; readonly tile: readonly [number, number, number] };

export interface KernelSpec {
  /** Named after the IR value it computes, e.g. `matmul_q`. */
  readonly name: string;
  readonly wgsl: string;
  /** Storage buffers in binding order (0..n-1); `writes` is the last of them. */
  readonly reads: readonly string[];
  readonly writes: string;
  /** u32 values of the uniform at binding n, in order (packed into vec4s by the executor). */
  readonly uniforms: readonly SizeExpr[];
  readonly workgroupSize: number;
  readonly dispatch: Dispatch;
}

export interface Plan {
  readonly block: string;
  /** Inputs and params in declaration order. */
  readonly tensors: readonly TensorSpec[];
  readonly buffers: readonly BufferSpec[];
  readonly kernels: readonly KernelSpec[];
  /** Output name -> buffer id. */
  readonly outputs: readonly { readonly name: string; readonly buffer: string }[];
}
