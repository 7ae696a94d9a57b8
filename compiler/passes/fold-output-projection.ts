// The output projection folded into the state: linear attention's read-out `o = (q @ s) / den`
// followed by `merge_heads(o) @ w_o` is, head by head, `(q_h @ (s_h @ w_o,h)) / den_h` summed over
// the heads, where w_o,h are the d rows of w_o that head h's channels meet. `s_h @ w_o,h` is a
// d×C product per batch element and head (no tokens), so the N×d×d flops of q @ s and the stored
// o disappear: one token-sized product instead of two.
//
//   before:  %31 = matmul %11, %27 : [B, 2, N, d]          (q @ s)
//            %34 = div %31, %33 : [B, 2, N, d]              (o = (q @ s) / (den + eps))
//            %35 = merge_heads %34 : [B, N, C]
//            %36 = matmul %35, %8 : [B, N, C]               (y = merge_heads(o) @ w_o)
//   after:   %39 = transpose %38 : [2, d, C]                (w_o's rows by head: transpose(split_heads(w_oᵀ)))
//            %40 = matmul %27, %39 : [B, 2, d, C]           (s @ w_o,h)
//            %41 = matmul %11, %40 : [B, 2, N, C]           (q @ (s @ w_o,h))
//            %42 = div %41, %33 : [B, 2, N, C]
//            %43 = sum %42, axis=1 : [B, N, C]              (y; one head: merge_heads instead)
//
// It matches a matmul by a 2-D weight of a head merge of `q @ s` times or divided by per-row
// values (last dim 1: scaling a row commutes with the product; adding to it would not), where s
// has no token axis and nothing else reads the values in between. fuse-epilogue then writes y
// from q @ (s @ w_o,h)'s kernel, which adds up the heads in registers ([B, heads, N, C] is never
// stored).
import { divDim, dimEquals, formatShape, isLiteral, lit, shapeEquals, type Dim } from '../../runtime/shape.js';
import { broadcast } from '../shapes.js';
import type { Graph, Id, NodeOf, Shape } from '../ir.js';
import type { Pass, Rewrite } from './pass.js';
import { readersOf, rebuild, type Builder } from './rewrite.js';

interface Scaling {
  readonly node: NodeOf<'binary'>;
  /** Whether the scaled value (the chain from q @ s) is the left operand. */
  readonly left: boolean;
}

interface Match {
  /** q @ s. */
  readonly product: NodeOf<'matmul'>;
  /** The row scalings after it, in order (each a mul or div by a value with last dim 1). */
  readonly scalings: readonly Scaling[];
  readonly heads: number;
}

const perRow = (shape: Shape) => shape.length === 0 || isLiteral(shape[shape.length - 1], 1);

function match(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, outputs: ReadonlySet<Id>, y: NodeOf<'matmul'>): Match | undefined {
  const w = graph.nodes[y.b];
  const merged = graph.nodes[y.a];
  if (w.shape.length !== 2 || merged.op !== 'merge_heads') return undefined;
  const only = (id: Id, reader: Id) => !outputs.has(id) && (readers.get(id) ?? []).every((r) => r === reader);
  if (!only(merged.id, y.id)) return undefined;
  // From the merged value back to q @ s through row scalings.
  const scalings: Scaling[] = [];
  let cur = graph.nodes[merged.x];
  let reader: Id = merged.id;
  while (cur.op !== 'matmul') {
    if (!only(cur.id, reader) || cur.op !== 'binary' || !(cur.fn === 'div' || cur.fn === 'mul')) return undefined;
    const [a, b] = [graph.nodes[cur.a], graph.nodes[cur.b]];
    // x / r or x * r or r * x, r one value per row: the scaled side keeps the node's shape.
    const left = shapeEquals(a.shape, cur.shape) && perRow(b.shape);
    if (!left && (cur.fn === 'div' || !(shapeEquals(b.shape, cur.shape) && perRow(a.shape)))) return undefined;
    scalings.unshift({ node: cur, left });
    reader = cur.id;
    cur = left ? a : b;
  }
  if (!only(cur.id, reader)) return undefined;
  const q = graph.nodes[cur.a].shape;
  const s = graph.nodes[cur.b].shape;
  const rows = q[q.length - 2];
  const heads = cur.shape[cur.shape.length - 3];
  // s must hold no token axis (else s @ w_o,h would cost what it saves); heads a known count.
  if (!rows || !heads || s.some((d) => dimEquals(d, rows)) || heads.sym !== null || heads.den !== 1) return undefined;
  const columns = ratio(w.shape[1], s[s.length - 1]);
  if (columns === undefined || columns > MAX_COLUMNS_PER_CHANNEL) return undefined;
  return { product: cur, scalings, heads: heads.num };
}

/**
 * Output columns per head channel (C' / d) up to which the fold pays. It saves q @ s, the fraction
 * d / (d + C') of the flops q @ s and the output projection take together, and its kernel pays for
 * running each head's tile in turn. H200, block at 1280² (bench/scripts/pass-ab.mjs, C' = C):
 * 1 head (C' = d) 12% and 13% faster at batch 1 and 8, 2 heads 4% and 6%, 5 heads 1% faster and
 * 2% slower, 8 heads 5% and 7% slower.
 */
export const MAX_COLUMNS_PER_CHANNEL = 2;

/** a / b where both are multiples of the same symbol (or numbers), else undefined. */
function ratio(a: Dim, b: Dim): number | undefined {
  return a.sym === b.sym ? (a.num * b.den) / (a.den * b.num) : undefined;
}

export const foldOutputProjection: Pass = {
  name: 'fold-output-projection',
  summary: 'merge_heads((q @ s) / den) @ w_o → Σ_heads (q @ (s @ w_o,h)) / den: no q @ s product, no stored o',
  run(graph) {
    const readers = readersOf(graph);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    const matches = new Map<Id, Match>();
    for (const n of graph.nodes) {
      const m = n.op === 'matmul' ? match(graph, readers, outputs, n) : undefined;
      if (m) matches.set(n.id, m);
    }
    const rewrites: Rewrite[] = [];
    const result = rebuild(graph, (n, b) => {
      const m = matches.get(n.id);
      if (!m || n.op !== 'matmul') return undefined;
      const folded = fold(graph, b, n, m);
      if (!folded) return undefined;
      const name = (x: Id) => graph.nodes[x].name ?? `%${x}`;
      const s = m.product.b;
      const w = n.b;
      rewrites.push({
        pass: 'fold-output-projection',
        span: n.span,
        message:
          `merge_heads(…) @ ${name(w)} folded into the state: ${name(m.product.a)} @ (${name(s)} @ ${name(w)}'s rows by head, ` +
          `${formatShape(b.node(folded.s2).shape, graph.dimAliases)})` +
          `${m.heads > 1 ? `, summed over ${m.heads} heads` : ''}; no ${name(m.product.a)} @ ${name(s)}`,
      });
      return folded.out;
    });
    return { graph: result, rewrites, diagnostics: [] };
  },
};

/** The folded form of y in the new graph, or undefined where a shape does not line up (nodes emitted then are dead code). */
function fold(graph: Graph, b: Builder, y: NodeOf<'matmul'>, m: Match): { readonly out: Id; readonly s2: Id } | undefined {
  const at = { span: y.span };
  const w = b.map(y.b);
  const [rowsW, cols] = b.node(w).shape;
  const s = b.map(m.product.b);
  const sShape = b.node(s).shape;
  const d = divDim(rowsW, m.heads);
  if (!dimEquals(sShape[sShape.length - 1], d)) return undefined;
  // Head h's rows of w as [heads, d, C']: transpose(split_heads(wᵀ)); one head: w itself.
  let wh = w;
  if (m.heads > 1) {
    const t = b.emit({ op: 'transpose', x: w, shape: [cols, rowsW], ...at });
    const split = b.emit({ op: 'split_heads', x: t, heads: m.heads, shape: [lit(m.heads), cols, d], ...at });
    wh = b.emit({ op: 'transpose', x: split, shape: [lit(m.heads), d, cols], ...at });
  }
  const batched = (x: Shape, z: Shape, last: readonly Dim[]) => {
    const lead = broadcast(x.slice(0, -2), z.slice(0, -2), 'multiply');
    return lead.ok ? [...lead.shape, ...last] : undefined;
  };
  const s2Shape = batched(sShape, b.node(wh).shape, [sShape[sShape.length - 2], cols]);
  if (!s2Shape) return undefined;
  const [sName, wName] = [graph.nodes[m.product.b].name, graph.nodes[y.b].name];
  const s2 = b.emit({ op: 'matmul', a: s, b: wh, shape: s2Shape, ...at, ...(sName && wName ? { name: `${sName}_${wName}` } : {}) });
  const q = b.map(m.product.a);
  const pShape = batched(b.node(q).shape, s2Shape, [b.node(q).shape[b.node(q).shape.length - 2], cols]);
  if (!pShape) return undefined;
  let v = b.emit({ op: 'matmul', a: q, b: s2, shape: pShape, span: m.product.span });
  for (const { node, left } of m.scalings) {
    const r = b.map(left ? node.b : node.a);
    const shape = broadcast(b.node(v).shape, b.node(r).shape, node.fn);
    if (!shape.ok) return undefined;
    v = b.emit({ op: 'binary', fn: node.fn, a: left ? v : r, b: left ? r : v, shape: shape.shape, span: node.span });
  }
  const named = y.name ? { name: y.name } : {};
  const out =
    m.heads === 1
      ? b.emit({ op: 'merge_heads', x: v, shape: [...pShape.slice(0, -3), pShape[pShape.length - 2], cols], ...at, ...named })
      : b.emit({ op: 'reduce', kind: 'sum', x: v, axis: pShape.length - 3, keep: false, shape: [...pShape.slice(0, -3), ...pShape.slice(-2)], ...at, ...named });
  return shapeEquals(b.node(out).shape, y.shape) ? { out, s2 } : undefined;
}
