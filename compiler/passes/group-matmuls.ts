// Matmuls that multiply the same left operand by weights of one shape, and whose results are
// first read by the same kernel, run as one kernel: its workgroups take the weights' output
// tiles in turn, so the operand's tiles are shared through the cache and the grid is that many
// times larger (fewer idle SMs in the last wave):
//
//   %12 = matmul %0, %2 : [B, N, C]            (x @ w_k)
//   %15 = matmul %0, %3 : [B, N, C] with %12   (x @ w_v, computed by %12's kernel)
//
// The results keep buffers of their own, so memory and every reader stay as they were. At most
// GROUP_SIZE matmuls share a kernel (WebGPU guarantees 8 storage buffers a kernel: the operand,
// and a weight and a result per matmul); more are split into groups of near-equal size.
import { type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import { formatShape } from '../../runtime/shape.js';
import type { Pass, Rewrite } from './pass.js';
import { kernelOf, readersOf } from './rewrite.js';

export const GROUP_SIZE = 3;

/** The first kernel (in node order) reading `id`, looking through the inline values that read it. */
function firstReader(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, id: Id): Id {
  let first = Infinity;
  for (const r of readers.get(id) ?? []) {
    const k = graph.nodes[r].inline ? firstReader(graph, readers, r) : kernelOf(graph, r);
    first = Math.min(first, k);
  }
  return first;
}

/** A matmul its own plain kernel computes: nothing inline feeds it, nothing rides along in it. */
function plain(graph: Graph, n: Node, hosts: ReadonlySet<Id>): n is NodeOf<'matmul'> {
  if (n.op !== 'matmul' || n.inline || hosts.has(n.id) || n.group !== undefined) return false;
  const [a, b] = [graph.nodes[n.a], graph.nodes[n.b]];
  return !a.inline && a.op !== 'const' && !b.inline && b.op !== 'const' && b.shape.length === 2;
}

export const groupMatmuls: Pass = {
  name: 'group-matmuls',
  summary: 'run matmuls of one operand by same-shape weights as one kernel (the projections x @ w_k, x @ w_v, ...)',
  run(graph) {
    const readers = readersOf(graph);
    // Matmuls that carry a row reduction or an epilogue (fuse-epilogue) keep their kernels.
    const hosts = new Set(graph.nodes.flatMap((n) => [n.host, n.epilogueOf].filter((h): h is Id => h !== undefined)));
    // Candidates keyed by operand, weight shape and first reader, in node order.
    const sets = new Map<string, NodeOf<'matmul'>[]>();
    for (const n of graph.nodes) {
      if (!plain(graph, n, hosts)) continue;
      const key = `${n.a}|${formatShape(graph.nodes[n.b].shape)}|${firstReader(graph, readers, n.id)}`;
      sets.set(key, [...(sets.get(key) ?? []), n]);
    }
    const group = new Map<Id, Id>();
    const rewrites: Rewrite[] = [];
    for (const set of sets.values()) {
      if (set.length < 2) continue;
      const count = Math.ceil(set.length / GROUP_SIZE);
      for (let g = 0; g < count; g++) {
        const members = set.slice(Math.floor((g * set.length) / count), Math.floor(((g + 1) * set.length) / count));
        // Same operand and same weight shape: the results have one shape too.
        if (members.length < 2) continue;
        // The kernel runs at its first matmul's place: every weight must be ready by then.
        if (members.some((m) => m.b > members[0].id)) continue;
        for (const m of members) group.set(m.id, members[0].id);
        const name = (id: Id) => graph.nodes[id].name ?? `%${id}`;
        const label = (m: NodeOf<'matmul'>) => `${name(m.a)} @ ${name(m.b)}`;
        rewrites.push({ pass: 'group-matmuls', span: members[0].span, message: `${members.map(label).join(', ')} computed by one kernel (lines ${members.map((m) => m.span.line).join(', ')})` });
      }
    }
    const nodes = graph.nodes.map((n) => (group.has(n.id) ? { ...n, group: group.get(n.id)! } : n));
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
