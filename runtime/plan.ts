// A compiled block as data: buffers, WGSL kernels and how to launch them. Codegen writes it,
// the WebGPU executor runs it; it holds only JSON-able values so it can be shipped as is.
import type { TensorSpec } from './bind.js';
import type { Dim, SizeExpr } from './shape.js';

export interface BufferSpec {
  /** Unique buffer name, derived from the DSL (`x`, `w_q`, `v7_q`). */
  readonly id: string;
  readonly shape: readonly Dim[];
  /** The IR value it holds, for memory reports: `%25 = outer %20, %24 (g)`. */
  readonly holds: string;
  /** The id of the IR value it holds whole (absent for inputs and partial sums). */
  readonly node?: number;
}

export type Dispatch =
  /**
   * One invocation per element: `count` invocations in workgroups of `workgroupSize`, spread over
   * x, y and z; the kernel linearises `((wid.z * nwg.y + wid.y) * nwg.x + wid.x)` and
   * bounds-checks against the count.
   */
  | { readonly kind: 'linear'; readonly count: SizeExpr }
  /**
   * Tiles of a batch of matrices: `ceil(cols / tile[0])` workgroups along x, and
   * `ceil(rows / tile[1]) * batch` along y and z together (the kernel reads `wid.z * nwg.y + wid.y`
   * and skips the excess), so the executor may spread that count over y and z past 65535.
   */
  | {
      readonly kind: 'tiles';
      readonly cols: SizeExpr;
      readonly rows: SizeExpr;
      readonly batch: SizeExpr;
      readonly tile: readonly [number, number];
    };

export interface KernelSpec {
  /** Named after the IR value it computes, e.g. `matmul_q`. */
  readonly name: string;
  readonly wgsl: string;
  /** Storage buffers read, in binding order (0..n-1), each once; `writes` is bound at n. */
  readonly reads: readonly string[];
  readonly writes: string;
  /** Further results, bound after `writes` (a row reduction its matmul computes alongside). */
  readonly alsoWrites?: readonly string[];
  /** u32 values of the uniform after the written buffers (binding n+1 with one result), in order (packed into vec4s by the executor). */
  readonly uniforms: readonly SizeExpr[];
  readonly workgroupSize: number;
  readonly dispatch: Dispatch;
}

/** How the chunks' results of a reduction over the tokens make the whole's. */
export type TokenReduction = 'sum' | 'mean' | 'max' | 'norm' | 'lse';

/** A block that can run token chunk by token chunk (compiler/token-chunks.ts, docs/memory.md). */
export interface TokenChunking {
  /** The token dim (`N`) and the batch dim before it in the inputs (`B`), if any. */
  readonly dim: string;
  readonly batch?: string;
  /** The reductions over the tokens, by the buffer holding each: the only values crossing chunks. */
  readonly reductions: readonly { readonly buffer: string; readonly kind: TokenReduction }[];
}

export interface Plan {
  readonly block: string;
  /** Storage type of every tensor buffer (arithmetic is f32 either way); absent means f32. */
  readonly precision?: 'f16';
  /** Inputs and params in declaration order. */
  readonly tensors: readonly TensorSpec[];
  readonly buffers: readonly BufferSpec[];
  readonly kernels: readonly KernelSpec[];
  /** Output name -> buffer id. */
  readonly outputs: readonly { readonly name: string; readonly buffer: string }[];
  /**
   * Sizes that must be whole numbers beyond the buffers' shapes (a patch grid needs whole rows of
   * patches: N / (size·width)), or with `equals` that exact value (a chained kernel's head width);
   * the executor checks them after binding the dims.
   */
  readonly requires?: readonly { readonly size: Dim; readonly what: string; readonly hint: string; readonly equals?: number }[];
  /** How the block runs in token chunks (RunOptions.tokenChunk), or why it cannot. */
  readonly chunks?: TokenChunking | { readonly why: string };
}
