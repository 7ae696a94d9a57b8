// The IR's invariants, checked after every pass in tests and with --verify: ids equal positions,
// operands come earlier, every shape is what the op's rule infers from its operands, names of
// inputs are unique, outputs point at real values. A failure is a compiler bug, not a user error.
import { formatShape, shapeEquals } from '../runtime/shape.js';
import { INLINABLE, inlineReaches, operands, type Graph, type Node, type Shape } from './ir.js';
import * as rules from './shapes.js';

export class VerifyError extends Error {}

export function verify(g: Graph, after = 'build'): void {
  const fail = (n: Node | undefined, msg: string): never => {
    throw new VerifyError(`IR invalid after ${after}${n ? ` at %${n.id} (${n.op})` : ''}: ${msg}`);
  };
  const names = new Set<string>();
  g.nodes.forEach((n, i) => {
    if (n.id !== i) fail(n, `id ${n.id} at position ${i}`);
    for (const o of operands(n)) if (!(o >= 0 && o < i)) fail(n, `operand %${o} is not defined before it`);
    if (n.op === 'input') {
      if (names.has(n.name)) fail(n, `duplicate input '${n.name}'`);
      names.add(n.name);
    }
    if (n.inline && !INLINABLE.has(n.op)) fail(n, 'only elementwise and view ops can be inline');
    if (n.host !== undefined) {
      const h = g.nodes[n.host];
      if (n.op !== 'reduce' || !h || (h.op !== 'matmul' && h.op !== 'outer_reduce')) fail(n, `host %${n.host} must be a matmul or outer reduction, and only a reduce has one`);
      if (n.host > n.id && operands(n).some((o) => o > n.host!)) fail(n, `host %${n.host} runs before an operand is computed`);
    }
    if (n.group !== undefined) {
      const l = g.nodes[n.group];
      if (n.op !== 'matmul' || !l || l.op !== 'matmul' || l.group !== l.id || l.a !== n.a || n.group > n.id) fail(n, `group %${n.group} must be an earlier matmul of the same left operand that leads its group`);
      else if (!shapeEquals(g.nodes[l.b].shape, g.nodes[n.b].shape) || n.b > n.group) fail(n, `its weight must have the shape of group %${n.group}'s and be ready before it`);
    }
    if (n.epilogueOf !== undefined) {
      const m = g.nodes[n.epilogueOf];
      if (!m || m.op !== 'matmul' || (m.group !== undefined && m.group !== m.id) || n.epilogueOf > n.id) fail(n, `epilogue of %${n.epilogueOf}: must be a value after a matmul that leads its group, if any`);
      else if (g.nodes.some((e) => e.epilogueOf === m.id && e.id !== n.id) || g.outputs.some((o) => o.value === m.id)) fail(n, `%${m.id} has one epilogue and its result is not stored, so it cannot be an output`);
    }
    if (n.reducedIn !== undefined) {
      const r = g.nodes[n.reducedIn];
      if (!r || r.op !== 'outer_reduce' || n.reducedIn < n.id || (n.op !== 'matmul' && n.epilogueOf === undefined && !n.inline)) fail(n, `reduced in %${n.reducedIn}: must be a matmul, an epilogue value or an inline value before an outer reduction`);
      else if (g.outputs.some((o) => o.value === n.id)) fail(n, `computed inside %${n.reducedIn}'s kernel and never stored, so it cannot be an output`);
    }
    if (n.chainedInto !== undefined) {
      const r = g.nodes[n.chainedInto];
      if (n.op !== 'matmul' || !r || r.op !== 'matmul' || n.chainedInto < n.id || !inlineReaches(g, r.a, [n.id]) || r.a === n.id) fail(n, `chained into %${n.chainedInto}: must be a matmul whose product a later matmul's inline left operand is computed from`);
      else if (g.outputs.some((o) => o.value === n.id)) fail(n, `computed inside %${n.chainedInto}'s kernel and never stored, so it cannot be an output`);
    }
    const expected = inferred(g, n);
    if (expected && !shapeEquals(expected, n.shape)) fail(n, `shape ${formatShape(n.shape)}, but its operands give ${formatShape(expected)}`);
  });
  for (const o of g.outputs) {
    if (!(o.value >= 0 && o.value < g.nodes.length)) fail(undefined, `output '${o.name}' points at %${o.value}`);
    if (g.nodes[o.value].inline) fail(g.nodes[o.value], `output '${o.name}' needs a buffer, but is inline`);
  }
}


/** The shape an op's rule gives from its operands; undefined where the node defines its own. */
function inferred(g: Graph, n: Node): Shape | undefined {
  const s = (id: number) => g.nodes[id].shape;
  const ok = (r: rules.ShapeResult) => (r.ok ? r.shape : []);
  switch (n.op) {
    case 'input':
      return undefined;
    case 'const':
      return [];
    case 'unary':
      return s(n.x);
    case 'binary':
      return ok(rules.broadcast(s(n.a), s(n.b), n.fn));
    case 'matmul':
      return ok(rules.matmul(s(n.a), s(n.b)));
    case 'outer':
      return ok(rules.outer(s(n.a), s(n.b)));
    case 'reduce':
      return rules.reduce(s(n.x), n.axis, n.keep);
    case 'outer_reduce':
      return ok(rules.outerReduce(s(n.a), s(n.b)));
    case 'transpose':
      return ok(rules.transpose(s(n.x)));
    case 'split_heads':
      return ok(rules.splitHeads(s(n.x), n.heads));
    case 'merge_heads':
      return ok(rules.mergeHeads(s(n.x)));
    case 'dwconv':
      return ok(rules.dwconv(s(n.x), s(n.w)));
    case 'attention':
      return ok(rules.attention(s(n.q), s(n.k), s(n.v)));
    case 'patches':
      return ok(rules.patches(s(n.x), n.size, n.width));
    case 'scan': {
      const k = s(n.k);
      return ok(rules.scan(s(n.q), k, s(n.v), n.decay === undefined ? undefined : s(n.decay), k[k.length - 2]));
    }
  }
}
