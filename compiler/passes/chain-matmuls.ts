// Back-to-back matmuls: a matmul whose left operand is an inline value of another matmul's
// product, split into heads, is computed by the first one's kernel from the tile it has just
// multiplied, so that product is never stored and never re-read (SAGA's read-out):
//
//   %9 = matmul %0, %1 : [B, N, C] chained into %31        (x @ w_q, never stored)
//   %11 = relu %10 : [B, 5, N, d] inline                    (q = relu(split_heads(x @ w_q)))
//   %30 = sum %29, axis=3, keep : [B, 5, N, 1] in %31       (den = q · z)
//   %31 = matmul %11, %27 : [B, 5, N, d]                    (q @ s, then o = (q @ s) / (den + eps))
//
// The kernel works when one head of the first product is exactly its tile's columns and the
// second product is as wide: codegen checks that at the sizes it is given and otherwise leaves the
// mark out (the product is stored as before). Only where the first product is plain (not grouped,
// no epilogue or hosted reduction, not an output, not inside a KV reduction), the second's value
// keeps or merges its heads (not a sum over them: fold-output-projection), the values between
// are elementwise with one head split, nothing but the second matmul (as its left operand) and a
// row reduction it hosts reads them, and the kernel reads at most MAX_KERNEL_READS buffers. Runs
// after fuse-kv-projections, which takes a projection whose value a KV reduction reads first.
import { operands, type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import type { Pass, Rewrite } from './pass.js';
import { MAX_KERNEL_READS } from './fuse-elementwise.js';
import { epilogueChain } from './fuse-kv-projections.js';
import { bufferReads, readersOf } from './rewrite.js';

/** Ops between the two products: elementwise, one head split (checked below). */
const BETWEEN = new Set<Node['op']>(['unary', 'binary', 'split_heads', 'const']);

/**
 * Whether the value matmul `n`'s kernel writes keeps or merges its heads, as one head a workgroup
 * can: not a sum over them (fold-output-projection) nor a further split.
 */
export function keepsHeads(graph: Graph, n: NodeOf<'matmul'>): boolean {
  const ep = graph.nodes.find((e) => e.epilogueOf === n.id);
  return !ep || (ep.op !== 'reduce' && !epilogueChain(graph, ep.id, [n.id]).some((c) => c.op === 'split_heads'));
}

/** The first matmul of a chain ending at `n` (its left operand's product), or undefined. */
export function chainSource(graph: Graph, n: NodeOf<'matmul'>, readers: ReadonlyMap<Id, readonly Id[]>): NodeOf<'matmul'> | undefined {
  const a = graph.nodes[n.a];
  if (!a.inline || n.group !== undefined || n.reducedIn !== undefined || graph.nodes[n.b].inline) return undefined;
  const products = [...bufferReads(graph, [n.a])].map((id) => graph.nodes[id]).filter((m) => m.op !== 'input');
  const m = products[0];
  if (products.length !== 1 || m.op !== 'matmul' || m.id >= n.id) return undefined;
  const outputs = new Set(graph.outputs.map((o) => o.value));
  const plain = m.group === undefined && m.reducedIn === undefined && m.chainedInto === undefined && !outputs.has(m.id) && !graph.nodes.some((e) => e.epilogueOf === m.id || e.host === m.id);
  if (!plain) return undefined;
  if (!keepsHeads(graph, n)) return undefined;
  const chain = epilogueChain(graph, n.a, [m.id]);
  if (chain.some((c) => !BETWEEN.has(c.op)) || chain.filter((c) => c.op === 'split_heads').length !== 1) return undefined;
  // Everything computed from the product: read only by n (as a), a row reduction n hosts, or each other.
  const within = new Set<Id>([m.id]);
  for (const node of graph.nodes) if (node.inline && operands(node).some((o) => within.has(o))) within.add(node.id);
  for (const id of within) {
    if (outputs.has(id)) return undefined;
    for (const r of readers.get(id) ?? []) {
      const reader = graph.nodes[r];
      if (within.has(r) || (r === n.id && id === n.a) || (reader.op === 'reduce' && reader.host === n.id)) continue;
      return undefined;
    }
  }
  const hosted = graph.nodes.filter((r) => r.host === n.id);
  const reads = new Set([...operands(m), ...bufferReads(graph, [n.b, ...hosted.flatMap((r) => operands(r)), ...chain.flatMap((c) => operands(c))])]);
  reads.delete(m.id);
  return reads.size <= MAX_KERNEL_READS ? m : undefined;
}

export const chainMatmuls: Pass = {
  name: 'chain-matmuls',
  summary: "compute a matmul whose left operand is another's product split into heads from that product's tiles: the first product is never stored",
  run(graph) {
    const readers = readersOf(graph);
    const chained = new Map<Id, Id>();
    const rewrites: Rewrite[] = [];
    for (const n of graph.nodes) {
      if (n.op !== 'matmul') continue;
      const m = chainSource(graph, n, readers);
      if (!m) continue;
      chained.set(m.id, n.id);
      const name = (id: Id) => graph.nodes[id].name ?? `%${id}`;
      rewrites.push({ pass: 'chain-matmuls', span: n.span, message: `${name(n.a)} @ ${name(n.b)} computed by the kernel of ${name(m.a)} @ ${name(m.b)} from its tiles, one head each: the product is never stored (where a head is a tile's width)` });
    }
    const nodes = graph.nodes.map((n) => (chained.has(n.id) ? { ...n, chainedInto: chained.get(n.id)! } : n));
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
