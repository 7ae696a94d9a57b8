// Rebuilding a graph node by node, so a pass can replace one node by several new ones while
// keeping ids equal to positions and operands before their users.
import { operands, type Graph, type Id, type Node } from '../ir.js';
import { remap } from '../prune.js';

export type NewNode = Node extends infer N ? (N extends Node ? Omit<N, 'id'> : never) : never;

export interface Builder {
  /** Appends a node (operands are new ids) and returns its new id. */
  emit(node: NewNode): Id;
  /** The new id of an old node already visited. */
  map(old: Id): Id;
  /** A node of the new graph. */
  node(id: Id): Node;
}

/**
 * Calls `replace` for each node in order; it returns a new id to stand for the node (after
 * emitting whatever it needs), or undefined to copy the node unchanged.
 */
export function rebuild(graph: Graph, replace: (n: Node, b: Builder) => Id | undefined): Graph {
  const nodes: Node[] = [];
  const ids = new Map<Id, Id>();
  const b: Builder = {
    emit(node) {
      nodes.push({ ...node, id: nodes.length } as Node);
      return nodes.length - 1;
    },
    map(old) {
      const id = ids.get(old);
      if (id === undefined) throw new Error(`rebuild: %${old} used before it was visited`);
      return id;
    },
    node: (id) => nodes[id],
  };
  for (const n of graph.nodes) {
    const id = replace(n, b) ?? b.emit(remap(n, b.map) as NewNode);
    ids.set(n.id, id);
  }
  return { ...graph, nodes, outputs: graph.outputs.map((o) => ({ ...o, value: b.map(o.value) })) };
}

/** How many nodes (and outputs) read each id. */
export function useCounts(graph: Graph): Map<Id, number> {
  const uses = new Map<Id, number>();
  const add = (id: Id) => uses.set(id, (uses.get(id) ?? 0) + 1);
  for (const n of graph.nodes) for (const o of operands(n)) add(o);
  for (const o of graph.outputs) add(o.value);
  return uses;
}

/** The nodes reading each id, in node order (a node reading an id twice is listed twice). */
export function readersOf(graph: Graph): Map<Id, Id[]> {
  const readers = new Map<Id, Id[]>();
  for (const n of graph.nodes) for (const o of operands(n)) readers.set(o, [...(readers.get(o) ?? []), n.id]);
  return readers;
}

/** Buffers a kernel reading `ids` binds: the non-inline values they reach through inline ones. */
export function bufferReads(graph: Graph, ids: readonly Id[], seen = new Set<Id>()): Set<Id> {
  for (const id of ids) {
    const n = graph.nodes[id];
    if (n.op === 'const') continue;
    if (n.inline) bufferReads(graph, operands(n), seen);
    else seen.add(id);
  }
  return seen;
}

/** The node whose kernel computes `id`: the KV reduction or chained matmul computing it, a hosted reduction's host, an epilogue's matmul, else itself. */
export const kernelOf = (graph: Graph, id: Id): Id => graph.nodes[id].reducedIn ?? graph.nodes[id].chainedInto ?? graph.nodes[id].host ?? graph.nodes[id].epilogueOf ?? id;
