// Epilogues: the elementwise ops (and a head merge) applied to a matmul's result are computed
// by the matmul's kernel from its accumulators, and only their result is stored:
//
//   before:  %22 = matmul %6, %17 : [B, 2, N, d]                     (q @ s, stored)
//            %24 = add %21, %23 : [B, 2, N, 1] inline
//            %25 = div %22, %24 : [B, 2, N, d] inline                 (o)
//            %26 = merge_heads %25 : [B, N, C]                        (y: a kernel re-reading q @ s)
//   after:   %26 = merge_heads %25 : [B, N, C] after %22              (written by q @ s's kernel)
//
// The chain runs from the matmul through values of its shape that each have one reader and
// whose other operands are ready when the matmul runs (or, like den, are row reductions the same
// kernel computes: read from workgroup memory), optionally ending in merge_heads. It ends at the
// first value that is stored, an output or one read twice; an inline value there gets a buffer
// (its readers read it instead of recomputing it from the matmul's): never more memory than
// before, as the matmul's own result is not stored. Not for grouped matmuls (group-matmuls runs
// first: sharing the projections' operand is worth more than a bias add in their kernels), nor
// where the kernel would bind more than 8 storage buffers.
import { operands, type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import { dimEquals, type Dim } from '../../runtime/shape.js';
import type { Pass, Rewrite } from './pass.js';
import { MAX_KERNEL_READS } from './fuse-elementwise.js';

const sameDims = (a: readonly Dim[], b: readonly Dim[]) => a.length === b.length && a.every((d, i) => dimEquals(d, b[i]));

/** The node whose kernel computes `id`. */
const kernelOf = (graph: Graph, id: Id) => graph.nodes[id].host ?? graph.nodes[id].epilogueOf ?? id;

/** The values matmul `m`'s epilogue computes, in order, the last one stored; undefined for none. */
function chainOf(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, outputs: ReadonlySet<Id>, m: NodeOf<'matmul'>): Id[] | undefined {
  const chain: Id[] = [];
  let cur: Id = m.id;
  for (;;) {
    const rs = readers.get(cur) ?? [];
    if (rs.length !== 1 || (cur !== m.id && (outputs.has(cur) || !graph.nodes[cur].inline))) break;
    const r = graph.nodes[rs[0]];
    const elementwise = (r.op === 'unary' || (r.op === 'binary' && (r.a === cur) !== (r.b === cur))) && sameDims(r.shape, m.shape);
    if (elementwise) {
      chain.push(r.id);
      cur = r.id;
      continue;
    }
    if (r.op === 'merge_heads' && m.shape.length >= 3) chain.push(r.id);
    break;
  }
  return chain.length ? chain : undefined;
}

/**
 * Buffers the epilogue's other operands bind, or undefined when one is not ready before the
 * matmul's kernel runs. A row reduction the kernel hosts (den) is read from workgroup memory, so
 * only through elementwise values that keep the matmul's rows ([..., m, 1] broadcast over n).
 */
function epilogueReads(graph: Graph, m: NodeOf<'matmul'>, chain: readonly Id[]): Set<Id> | undefined {
  const reads = new Set<Id>();
  const onChain = new Set([m.id, ...chain]);
  const rank = m.shape.length;
  const keepsRows = (n: Node) => n.shape.length === rank && dimEquals(n.shape[rank - 2], m.shape[rank - 2]);
  const visit = (id: Id, elementwise: boolean): boolean => {
    const n = graph.nodes[id];
    if (n.op === 'const') return true;
    if (n.host === m.id) return elementwise && n.op === 'reduce' && n.keep && keepsRows(n);
    if (n.inline) {
      const still = elementwise && (n.op === 'unary' || n.op === 'binary') && keepsRows(n);
      return operands(n).every((o) => visit(o, still));
    }
    if (kernelOf(graph, id) >= m.id) return false;
    reads.add(id);
    return true;
  };
  const ready = chain.every((id) => operands(graph.nodes[id]).every((o) => onChain.has(o) || visit(o, true)));
  return ready ? reads : undefined;
}

/** Buffers the matmul's own kernel binds (its operands through inline values, a hosted reduction's weight). */
function kernelReads(graph: Graph, ids: readonly Id[], seen = new Set<Id>()): Set<Id> {
  for (const id of ids) {
    const n = graph.nodes[id];
    if (n.op === 'const') continue;
    if (n.inline) kernelReads(graph, operands(n), seen);
    else seen.add(id);
  }
  return seen;
}

export const fuseEpilogue: Pass = {
  name: 'fuse-epilogue',
  summary: "compute the elementwise ops and head merge after a matmul in its kernel (o = (q @ s) / den, merged)",
  run(graph) {
    const readers = new Map<Id, Id[]>();
    for (const n of graph.nodes) for (const o of new Set(operands(n))) readers.set(o, [...(readers.get(o) ?? []), n.id]);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    const into = new Map<Id, Id>();
    const rewrites: Rewrite[] = [];
    for (const m of graph.nodes) {
      if (m.op !== 'matmul' || m.group !== undefined || outputs.has(m.id)) continue;
      const chain = chainOf(graph, readers, outputs, m);
      if (!chain) continue;
      const reads = epilogueReads(graph, m, chain);
      if (!reads) continue;
      const hosted = graph.nodes.find((r): r is NodeOf<'reduce'> => r.op === 'reduce' && r.host === m.id);
      const own = kernelReads(graph, [m.a, m.b, ...(hosted ? operands(graph.nodes[hosted.x]) : [])]);
      if (new Set([...own, ...reads]).size + (hosted ? 1 : 0) > MAX_KERNEL_READS) continue;
      const e = chain[chain.length - 1];
      into.set(e, m.id);
      const what = (n: Node) => (n.op === 'unary' || n.op === 'binary' ? n.fn : n.op);
      const name = (id: Id) => graph.nodes[id].name ?? `%${id}`;
      rewrites.push({ pass: 'fuse-epilogue', span: graph.nodes[e].span, message: `${chain.map((id) => what(graph.nodes[id])).join(', ')} of ${name(m.id)} computed by its kernel (line ${m.span.line}), which writes ${name(e)} instead` });
    }
    const nodes = graph.nodes.map((n): Node => {
      const m = into.get(n.id);
      if (m === undefined) return n;
      const { inline: _inline, ...rest } = n;
      return { ...rest, epilogueOf: m } as Node;
    });
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
