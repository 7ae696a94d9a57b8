// Row reductions ride along in the kernel of a matmul or outer reduction that already loads
// their operand, instead of re-reading it in a kernel of their own:
//
//   %27 = outer_mean %25, %26 : [B, 2, d, d]          (s: the KV reduction loads a*k tile by tile)
//   %29 = mean %25, axis=2, keep : [B, 2, 1, d] in %27  (z: sums the same tiles over the tokens)
//
//   %32 = matmul %11, %27 : [B, 2, N, d]              (q @ s loads q tile by tile)
//   %31 = sum %30, axis=3, keep : [B, 2, N, 1] in %32   (den = Σ_i q_i z_i: q · z per row)
//
// Two shapes fire: a sum or mean over the tokens of an outer reduction's left operand (the
// normaliser z of N1, next to the state S), and a sum or mean over the last axis of
// `left operand * w`, w broadcast over the rows (the denominator q · z, next to q @ S). The
// host kernel writes the reduction as a second output. Not when the host would bind more than
// 8 storage buffers, when the weight w is computed after the host, or when a reader of the
// reduction runs before it.
import { operands, type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import { isLiteral, shapeEquals } from '../../runtime/shape.js';
import type { Pass, Rewrite } from './pass.js';
import { MAX_KERNEL_READS } from './fuse-elementwise.js';
import { bufferReads, readersOf } from './rewrite.js';


/** The weight w when `r` reduces `host`'s left operand (1 for a plain sum), or undefined. */
function rowWeight(graph: Graph, r: NodeOf<'reduce'>, host: Node): { w: Id | null } | undefined {
  const x = graph.nodes[r.x];
  const lead = r.shape.slice(0, r.keep ? -2 : -1);
  if (host.op === 'outer_reduce') {
    const a = graph.nodes[host.a].shape;
    // Sum over the tokens (axis -2) of exactly the left operand, batch for batch.
    if (r.x !== host.a || r.axis !== a.length - 2 || !shapeEquals(a.slice(0, -2), host.shape.slice(0, -2))) return undefined;
    return shapeEquals(lead, host.shape.slice(0, -2)) ? { w: null } : undefined;
  }
  if (host.op !== 'matmul' || x.op !== 'binary' || x.fn !== 'mul' || !x.inline) return undefined;
  const a = graph.nodes[host.a].shape;
  if (r.axis !== a.length - 1 || !shapeEquals(x.shape, a) || !shapeEquals(a.slice(0, -2), host.shape.slice(0, -2)) || !shapeEquals(lead, host.shape.slice(0, -2))) return undefined;
  const w = x.a === host.a ? x.b : x.b === host.a ? x.a : undefined;
  if (w === undefined) return undefined;
  // w must be constant along the rows (a vector over k per batch), and not a copy of the rows.
  const ws = graph.nodes[w].shape;
  const rowAxis = ws.length - 2;
  if (ws.length >= 2 && !isLiteral(ws[rowAxis], 1)) return undefined;
  if (ws.length > a.length) return undefined;
  return { w };
}

/** The nodes whose kernels read `id`: its readers, through inline ones to theirs. */
function usesOf(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, id: Id): Id[] {
  return (readers.get(id) ?? []).flatMap((r) => (graph.nodes[r].inline ? usesOf(graph, readers, r) : [r]));
}

export const fuseRowReductions: Pass = {
  name: 'fuse-row-reductions',
  summary: 'compute a sum over a matmul operand inside that matmul (z with S, den with q @ S)',
  run(graph) {
    const readers = readersOf(graph);
    const hosted = new Map<Id, Id>();
    /** Hosts already carrying a reduction (one each). */
    const taken = new Set<Id>();
    const rewrites: Rewrite[] = [];
    for (const r of graph.nodes) {
      if (r.op !== 'reduce' || (r.kind !== 'sum' && r.kind !== 'mean')) continue;
      for (const host of graph.nodes) {
        if ((host.op !== 'matmul' && host.op !== 'outer_reduce') || taken.has(host.id)) continue;
        const found = rowWeight(graph, r, host);
        if (!found) continue;
        const extra = found.w === null ? [] : [found.w];
        // The host runs at its place in the order: w must be ready, r's readers must come later.
        if ([...bufferReads(graph, extra)].some((id) => id >= host.id)) continue;
        if (usesOf(graph, readers, r.id).some((id) => id <= host.id)) continue;
        if (bufferReads(graph, [...operands(host), ...extra]).size + 1 > MAX_KERNEL_READS) continue;
        hosted.set(r.id, host.id);
        taken.add(host.id);
        const what = r.name ? `${r.name} (${r.kind})` : r.kind;
        rewrites.push({ pass: 'fuse-row-reductions', span: r.span, message: `${what} computed by the kernel of ${host.name ?? `%${host.id}`} (line ${host.span.line}), from the operand it already loads` });
        break;
      }
    }
    const nodes = graph.nodes.map((n) => (hosted.has(n.id) ? { ...n, host: hosted.get(n.id)! } : n));
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
