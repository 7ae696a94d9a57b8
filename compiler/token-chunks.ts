// Whether a block can run token chunk by token chunk, so that its intermediates are chunk-sized:
// every value is either token-wise (row n depends only on the inputs' row n) or token-free, and
// the only ops from token-wise to token-free are reductions over the tokens whose chunk results
// combine exactly (a sum, mean, max, norm or log-sum-exp of the chunks' own). The executor then
// runs the reductions' kernels chunk by chunk into accumulators, and the rest of the block chunk
// by chunk from them (docs/memory.md, "Token chunks").
import type { Span } from '../dsl/span.js';
import type { TokenReduction } from '../runtime/plan.js';
import { formatShape } from '../runtime/shape.js';
import { assertNever, operands, type Graph, type Id, type Node, type Shape } from './ir.js';


export interface TokenChunks {
  /** The token dim (`N`). */
  readonly dim: string;
  /** The batch dim before it in the inputs (`B`), if any. */
  readonly batch?: string;
  /** Reductions over the tokens: their values are the only ones crossing from chunks to the whole. */
  readonly reductions: ReadonlyMap<Id, TokenReduction>;
}

export interface NotChunkable {
  readonly why: string;
  readonly span: Span;
}

/** The token dim by default: the second-to-last axis of the first input (`N` of `x: [B, N, C]`). */
export function defaultTokenDim(graph: Graph): string | undefined {
  const x = graph.nodes.find((n) => n.op === 'input' && n.role === 'input');
  return x && x.shape.length >= 2 ? (x.shape[x.shape.length - 2].sym ?? undefined) : undefined;
}

class Refusal {
  constructor(readonly why: string, readonly span: Span) {}
}

/** The token axes of every value and the reductions over them, or why the block needs every token at once. */
export function tokenChunks(graph: Graph, dim = defaultTokenDim(graph)): TokenChunks | NotChunkable {
  if (dim === undefined) return { why: 'its first input has no token axis (second to last)', span: graph.span };
  const nodes = graph.nodes;
  const f = (s: Shape) => formatShape(s, graph.dimAliases);
  /** Index of the token axis in a shape, or null; refuses N twice or a multiple of N. */
  const tokenAxis = (n: Node): number | null => {
    const at = n.shape.flatMap((d, i) => (d.sym === dim ? [i] : []));
    if (at.length === 0) return null;
    const d = n.shape[at[0]];
    if (at.length > 1) throw new Refusal(`%${n.id} ${f(n.shape)} has ${dim} on two axes (every token against every other)`, n.span);
    if (d.num !== 1 || d.den !== 1) throw new Refusal(`%${n.id} ${f(n.shape)} has ${f([d])} on an axis, not ${dim}`, n.span);
    return at[0];
  };
  const axes: (number | null)[] = [];
  /** Whether a value is computed from a reduction over the tokens (so is not known until every chunk ran). */
  const afterReduction: boolean[] = [];
  const reductions = new Map<Id, TokenReduction>();
  /** The token inputs' batch dim, null for `[N, ...]` inputs, undefined before the first. */
  let batch: string | null | undefined;
  const fromEnd = (id: Id) => nodes[id].shape.length - (axes[id] ?? 0);
  try {
    for (const n of nodes) {
      const axis = tokenAxis(n);
      const local = (why: string, ok: boolean) => {
        if (!ok) throw new Refusal(n.op === 'input' ? why : `%${n.id} (${n.op}) ${why}`, n.span);
      };
      let reduction: TokenReduction | undefined;
      switch (n.op) {
        case 'input': {
          if (axis === null) {
            local(`${n.role} ${n.name} ${f(n.shape)} has a batch axis but no ${dim}`, batch === undefined || !n.shape.some((d) => d.sym === batch));
            break;
          }
          const b = axis === 1 ? n.shape[0] : undefined;
          const plain = b !== undefined && b.sym !== null && b.sym !== dim && b.num === 1 && b.den === 1;
          local(`${n.role} ${n.name} ${f(n.shape)} needs ${dim} first, or second after a batch axis`, axis === 0 || plain);
          // Every token input laid out alike: [B, N, ...] or [N, ...].
          const layout = plain ? b!.sym! : null;
          local(`${n.role} ${n.name} ${f(n.shape)} is laid out unlike the inputs before it`, batch === undefined || layout === batch);
          batch = layout;
          break;
        }
        case 'const':
        case 'unary':
        case 'transpose':
          break;
        case 'binary':
          for (const o of [n.a, n.b]) if (axes[o] !== null) local(`broadcasts ${dim} to another axis`, axis !== null && fromEnd(o) === n.shape.length - axis);
          break;
        case 'split_heads':
        case 'merge_heads':
          local(`splits or merges heads along ${dim}`, axes[n.x] === null || axes[n.x] === nodes[n.x].shape.length - 2);
          break;
        case 'outer':
          for (const o of [n.a, n.b]) local(`takes an outer product along ${dim}`, axes[o] === null || fromEnd(o) > 1);
          break;
        case 'matmul': {
          const [a, b] = [axes[n.a], axes[n.b]];
          const ra = nodes[n.a].shape.length;
          const rb = nodes[n.b].shape.length;
          if (a === ra - 1 && b === rb - 2) reduction = 'sum';
          else if (b === null) local(`multiplies along ${dim}`, a === null || a < ra - 1);
          else local(`multiplies by a matrix with ${dim} in its rows or columns`, b < rb - 2 && a !== null && fromEnd(n.a) === fromEnd(n.b));
          break;
        }
        case 'reduce':
          if (axes[n.x] === n.axis) reduction = n.kind;
          break;
        case 'outer_reduce':
          local(`sums outer products over another axis than ${dim}`, axes[n.a] === nodes[n.a].shape.length - 2 && axes[n.b] === nodes[n.b].shape.length - 2);
          reduction = n.kind;
          break;
        case 'dwconv':
          throw new Refusal(`a depthwise convolution (%${n.id}) reads neighbouring tokens`, n.span);
        case 'patches':
          throw new Refusal(`patches (%${n.id}) merge neighbouring tokens`, n.span);
        case 'attention':
          throw new Refusal(`softmax attention (%${n.id}) reads every token for each`, n.span);
        case 'scan':
          throw new Refusal(`a causal scan (%${n.id}) carries its state from token to token`, n.span);
        default:
          assertNever(n);
      }
      const after = operands(n).some((o) => afterReduction[o]);
      if (reduction !== undefined) {
        local(`reduces over ${dim} a value computed from another reduction over ${dim} (that needs two passes over the tokens)`, !after);
        local(`reduces over ${dim} to ${f(n.shape)}, not batch first`, !batch || n.shape[0]?.sym === batch);
        reductions.set(n.id, reduction);
      } else if (axis === null && operands(n).some((o) => axes[o] !== null)) {
        local(`drops ${dim} other than by a reduction over it`, false);
      }
      // Chunks never span two batch elements: nothing may mix them.
      const hasBatch = (id: Id) => Boolean(batch) && nodes[id].shape.some((d) => d.sym === batch);
      if (n.op !== 'input' && !hasBatch(n.id)) local(`drops the batch axis ${batch}`, !operands(n).some(hasBatch));
      axes.push(axis);
      afterReduction.push(after || reduction !== undefined);
    }
    for (const o of graph.outputs) {
      const a = axes[o.value];
      const shape = nodes[o.value].shape;
      const ok = a === 0 ? !batch : a === 1 && Boolean(batch) && shape[0].sym === batch;
      if (!ok) throw new Refusal(`output ${o.name} ${f(shape)} is not laid out token by token (${batch ? `${batch}, ` : ''}${dim} first)`, o.span);
    }
  } catch (e) {
    if (e instanceof Refusal) return { why: e.why, span: e.span };
    throw e;
  }
  if (batch === undefined) return { why: `no input has the token axis ${dim}`, span: graph.span };
  return { dim, ...(batch ? { batch } : {}), reductions };
}
