// Common subexpressions: two nodes with the same op, attributes and operands are one value.
//   before:  %25 = mul %20, %14        (the gated key inside the KV state, from hadamard-decompose)
//            %28 = mul %20, %14        (the user's `a * k` in the normaliser z)
//   after:   %25 = mul %20, %14        (read by both; fuse-row-reductions can then see that z
//                                       reduces the same operand the KV state does)
// Inputs are never merged (each is its own tensor); the first node keeps its name and span.
import type { Id, Node } from '../ir.js';
import { remap } from '../prune.js';
import type { Pass, Rewrite } from './pass.js';
import { rebuild } from './rewrite.js';

/** Everything that defines a node's value: its fields except id, span, name and fusion marks. */
function key(n: Node): string | undefined {
  if (n.op === 'input') return undefined;
  const { id: _id, span: _span, name: _name, inline: _inline, host: _host, group: _group, epilogueOf: _epilogueOf, reducedIn: _reducedIn, chainedInto: _chainedInto, shape: _shape, ...rest } = n;
  const fields = rest as Record<string, unknown>;
  // String(-0) is '0' and JSON turns NaN and Infinity into null: spell numbers exactly.
  const text = (v: unknown) => (Object.is(v, -0) ? '-0' : String(v));
  return Object.keys(fields)
    .sort()
    .map((f) => `${f}=${text(fields[f])}`)
    .join(';');
}

export const cse: Pass = {
  name: 'cse',
  summary: 'merge values computed twice from the same operands',
  run(graph) {
    const seen = new Map<string, Id>();
    const named = new Map<Id, string | undefined>();
    const rewrites: Rewrite[] = [];
    const merged = rebuild(graph, (n, b) => {
      const k = key(remap(n, b.map));
      if (k === undefined) return undefined;
      const first = seen.get(k);
      if (first !== undefined) {
        if (!named.get(first) && n.name) named.set(first, n.name);
        const f = b.node(first);
        if (f.op !== 'const') rewrites.push({ pass: 'cse', span: n.span, message: `same value as line ${f.span.line}:${f.span.col}${f.name ? ` (${f.name})` : ''}, computed once` });
        return first;
      }
      const id = b.emit(remap(n, b.map) as never);
      seen.set(k, id);
      named.set(id, n.name);
      return id;
    });
    // A merged value takes the DSL name of a later copy when the first had none.
    const nodes = merged.nodes.map((n): Node => {
      const later = named.get(n.id);
      return n.name === undefined && later ? { ...n, name: later } : n;
    });
    return { graph: { ...merged, nodes }, rewrites, diagnostics: [] };
  },
};
