// Drops values no output depends on, keeping every declared input and param (they are still the
// block's interface) and renumbering ids so they stay equal to list positions.
import { operands, type Graph, type Id, type Node } from './ir.js';

export function prune(graph: Graph): Graph {
  const live = new Set<Id>(graph.outputs.map((o) => o.value));
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (n.op === 'input') live.add(i);
    if (live.has(i)) for (const o of operands(n)) live.add(o);
  }
  const renum = new Map<Id, Id>();
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    if (!live.has(n.id)) continue;
    renum.set(n.id, nodes.length);
    nodes.push(remap({ ...n, id: nodes.length }, (id) => renum.get(id)!));
  }
  return { ...graph, nodes, outputs: graph.outputs.map((o) => ({ ...o, value: renum.get(o.value)! })) };
}

/** The node with its operand ids mapped through `f`. */
export function remap(n: Node, f: (id: Id) => Id): Node {
  if (n.host !== undefined) n = { ...n, host: f(n.host) };
  if (n.group !== undefined) n = { ...n, group: f(n.group) };
  if (n.epilogueOf !== undefined) n = { ...n, epilogueOf: f(n.epilogueOf) };
  if (n.reducedIn !== undefined) n = { ...n, reducedIn: f(n.reducedIn) };
  if (n.chainedInto !== undefined) n = { ...n, chainedInto: f(n.chainedInto) };
  switch (n.op) {
    case 'input':
    case 'const':
      return n;
    case 'unary':
    case 'reduce':
    case 'transpose':
    case 'split_heads':
    case 'merge_heads':
    case 'patches':
      return { ...n, x: f(n.x) };
    case 'binary':
    case 'matmul':
    case 'outer':
    case 'outer_reduce':
      return { ...n, a: f(n.a), b: f(n.b) };
    case 'dwconv':
      return { ...n, x: f(n.x), w: f(n.w) };
    case 'attention':
      return { ...n, q: f(n.q), k: f(n.k), v: f(n.v) };
    case 'scan':
      return { ...n, q: f(n.q), k: f(n.k), v: f(n.v), ...(n.decay === undefined ? {} : { decay: f(n.decay) }) };
  }
}
