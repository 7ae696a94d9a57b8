// The IR: a block as a topologically ordered list of typed tensor ops. A node's id is its index.
// Every node keeps the span of the source it came from, and `name` when a let/output bound it.
import type { Span } from '../dsl/span.js';
import { divDim, type Dim } from '../runtime/shape.js';

export type { Dim } from '../runtime/shape.js';

export type Id = number;
/** All tensors are f32 on the GPU and f64 in the interpreter; only the shape is typed. */
export type Shape = readonly Dim[];

export type UnaryFn =
  | 'neg'
  | 'relu'
  | 'elu'
  | 'sigmoid'
  | 'silu'
  | 'gelu'
  | 'softplus'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs';
export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'min' | 'max';
/** `lse` is log Σ exp (softmax's normaliser), computed in one stable online pass. */
export type ReduceKind = 'sum' | 'mean' | 'norm' | 'max' | 'lse';

interface Base {
  readonly id: Id;
  readonly shape: Shape;
  readonly span: Span;
  /** The DSL name bound to this value (let/output/input/param), for dumps and generated names. */
  readonly name?: string;
  /**
   * Computed inside each kernel that reads it, at load time, instead of in a kernel and buffer
   * of its own (set by fuse-elementwise; only on elementwise and view ops).
   */
  readonly inline?: boolean;
  /**
   * Computed by the kernel of this matmul or outer reduction, as a row reduction of its left
   * operand, instead of in a kernel of its own (set by fuse-row-reductions; only on reduce).
   */
  readonly host?: Id;
  /**
   * Computed by one kernel with the matmuls of the same `group`: the id of its first member,
   * which emits the kernel (set by group-matmuls; only on matmul).
   */
  readonly group?: Id;
  /**
   * Written by the kernel of this matmul (and of the matmuls of its group), from the
   * accumulators, instead of in a kernel of its own or at load time (`inline` then says which
   * where codegen leaves the epilogue out): the value is an elementwise chain (with a head split
   * or merge) of the products, which are then never stored (set by fuse-epilogue).
   */
  readonly epilogueOf?: Id;
  /**
   * Computed inside the kernel of this outer reduction and never stored: a matmul group whose
   * epilogue value the reduction alone reads, and that value (set by fuse-kv-projections).
   */
  readonly reducedIn?: Id;
  /**
   * Computed inside the kernel of this later matmul, whose left operand is this matmul's product
   * split into heads (through elementwise values): the kernel multiplies a tile of this product,
   * then that tile (one head) by its own right operand, so this product is never stored (set by
   * chain-matmuls; codegen keeps it where a head is the tile's width at the sizes given).
   */
  readonly chainedInto?: Id;
}

export type Node =
  /** A tensor given per run (`input`) or a weight (`param`). */
  | (Base & { readonly op: 'input'; readonly role: 'input' | 'param'; readonly name: string })
  /** A scalar literal; shape `[]`. */
  | (Base & { readonly op: 'const'; readonly value: number })
  | (Base & { readonly op: 'unary'; readonly fn: UnaryFn; readonly x: Id })
  /** Elementwise with numpy broadcasting (shapes right-aligned; a dim of 1 stretches). */
  | (Base & { readonly op: 'binary'; readonly fn: BinaryFn; readonly a: Id; readonly b: Id })
  /** `[..., m, k] @ [..., k, n] -> [..., m, n]`; leading (batch) dims broadcast. */
  | (Base & { readonly op: 'matmul'; readonly a: Id; readonly b: Id })
  /** Reduce one axis; `keep` leaves it as size 1. `norm` is the L2 norm, `max` the largest value. */
  | (Base & { readonly op: 'reduce'; readonly kind: ReduceKind; readonly x: Id; readonly axis: number; readonly keep: boolean })
  /**
   * Sum or mean over tokens of outer products: `[..., N, m], [..., N, n] -> [..., m, n]`,
   * `Σ_j a_j b_jᵀ` (the KV state); leading dims broadcast. Made by hadamard-decompose.
   */
  | (Base & { readonly op: 'outer_reduce'; readonly kind: 'sum' | 'mean'; readonly a: Id; readonly b: Id })
  /** `[..., m] (x) [..., n] -> [..., m, n]`; leading dims broadcast. */
  | (Base & { readonly op: 'outer'; readonly a: Id; readonly b: Id })
  /** Swap the last two axes. */
  | (Base & { readonly op: 'transpose'; readonly x: Id })
  /** `[..., N, C] -> [..., heads, N, C/heads]`, head h takes channels `h*d .. h*d+d-1`. */
  | (Base & { readonly op: 'split_heads'; readonly x: Id; readonly heads: number })
  /** `[..., heads, N, d] -> [..., N, heads*d]`, the inverse of split_heads. */
  | (Base & { readonly op: 'merge_heads'; readonly x: Id })
  /**
   * Depthwise k×k convolution over the token grid: `[..., N, C]` with tokens row-major on a grid
   * `width` wide, kernel `[k, k, C]` (k odd), zero padding; result `[..., N, C]`.
   */
  | (Base & { readonly op: 'dwconv'; readonly x: Id; readonly w: Id; readonly width: number })
  /**
   * Non-overlapping size×size patches of the token grid (`width` tokens to a row) as tokens:
   * `[..., N, C] -> [..., N/size², size²·C]`, channel `(ky·size + kx)·C + c` of patch token p
   * holding x at grid row `(p / (width/size))·size + ky`, column `(p % (width/size))·size + kx`.
   * `patches(x) @ w` is a stride-`size` convolution (PVT's spatial reduction).
   */
  | (Base & { readonly op: 'patches'; readonly x: Id; readonly size: number; readonly width: number })
  /**
   * Softmax attention `softmax(q kᵀ · scale, -1) v` in one kernel (flash-attention pass): q
   * `[..., Nq, d]`, k `[..., Nk, d]`, v `[..., Nk, dv]` with equal leading dims; result
   * `[..., Nq, dv]`. The `[Nq, Nk]` scores are never stored.
   */
  | (Base & { readonly op: 'attention'; readonly q: Id; readonly k: Id; readonly v: Id; readonly scale: number })
  /**
   * Causal scan over tokens: `S_t = (a_t 1ᵀ) ⊙ S_{t-1} + k_t v_tᵀ` (a = 1 with no decay), result
   * `q_tᵀ S_t`. q, k: `[..., N, dk]`, v: `[..., N, dv]` (or a scalar, dv = 1), decay broadcasts
   * to `[..., N, dk]`; result `[..., N, dv]`. `form` is how the GPU runs it (chunk-scan pass).
   */
  | (Base & {
      readonly op: 'scan';
      readonly q: Id;
      readonly k: Id;
      readonly v: Id;
      readonly decay?: Id;
      readonly chunk: number;
      readonly form: 'recurrent' | 'chunked';
    });

export type Op = Node['op'];
export type NodeOf<K extends Op> = Extract<Node, { op: K }>;
/** A table with one handler per op: adding an op is a compile error until every table handles it. */
export type ByOp<R> = { readonly [K in Op]: (n: NodeOf<K>) => R };

export interface Output {
  readonly name: string;
  readonly value: Id;
  readonly span: Span;
}

export interface Graph {
  readonly block: string;
  readonly span: Span;
  readonly nodes: readonly Node[];
  readonly outputs: readonly Output[];
  /** Symbols that size the block (`N`, `C`), in order of first appearance in inputs/params. */
  readonly symbols: readonly string[];
  /** User `dim` names, keyed by the canonical form they stand for (`C/2` -> `d`), for printing. */
  readonly dimAliases: ReadonlyMap<string, string>;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled IR case: ${JSON.stringify(x)}`);
}

/** Ids a node reads, in operand order. */
export function operands(n: Node): Id[] {
  switch (n.op) {
    case 'input':
    case 'const':
      return [];
    case 'unary':
    case 'reduce':
    case 'transpose':
    case 'split_heads':
    case 'merge_heads':
    case 'patches':
      return [n.x];
    case 'binary':
    case 'matmul':
    case 'outer':
    case 'outer_reduce':
      return [n.a, n.b];
    case 'dwconv':
      return [n.x, n.w];
    case 'attention':
      return [n.q, n.k, n.v];
    case 'scan':
      return n.decay === undefined ? [n.q, n.k, n.v] : [n.q, n.k, n.v, n.decay];
    default:
      return assertNever(n);
  }
}

/** Rows of patches a `patches` node cuts its grid into, tokens / (size·width): must be whole at run time. */
export function patchRows(nodes: readonly Node[], n: NodeOf<'patches'>): Dim {
  const x = nodes[n.x].shape;
  return divDim(x[x.length - 2], n.size * n.width);
}

/** Whether `id` is one of `targets` or an inline value computed (through inline values) from one. */
export function inlineReaches(graph: Graph, id: Id, targets: readonly Id[]): boolean {
  const n = graph.nodes[id];
  return targets.includes(id) || (Boolean(n.inline) && operands(n).some((o) => inlineReaches(graph, o, targets)));
}

/** Ops a consumer can compute at load time from the element's coordinates. */
export const INLINABLE: ReadonlySet<Op> = new Set<Op>(['const', 'unary', 'binary', 'outer', 'transpose', 'split_heads', 'merge_heads', 'patches']);

export const inputsOf = (g: Graph) => g.nodes.filter((n): n is NodeOf<'input'> => n.op === 'input' && n.role === 'input');
export const paramsOf = (g: Graph) => g.nodes.filter((n): n is NodeOf<'input'> => n.op === 'input' && n.role === 'param');
