// Softmax attention as one kernel: `softmax(q @ transpose(k) * scale, -1) @ v` (as built:
// exp(s - lse(s)) read by the matmul) becomes one `attention` node, which the GPU runs
// FlashAttention-2 style (running max, running sum, rescaled accumulator over key tiles), so the
// [.., Nq, Nk] scores never exist in memory.
//   before:  %8 = matmul %3, %7 (transpose k) ; %10 = mul %8, %9 (const 0.25) ; %11 = lse %10, axis=3, keep
//            %12 = sub %10, %11 ; %13 = exp %12 ; %14 = matmul %13, %6
//   after:   %14 = attention %3, %5, %6, scale=0.25   (the rest is left to dead-code)
// It does not fire when any intermediate (scores, lse, probabilities) is read elsewhere or is an
// output, for another softmax axis, for a scale that is not a constant, or when q, k, v do not
// share their leading dims (no broadcasting in the kernel).
import { dimEquals } from '../../runtime/shape.js';
import type { Graph, Id, Node, NodeOf } from '../ir.js';
import type { Pass, Rewrite } from './pass.js';
import { rebuild, useCounts } from './rewrite.js';

interface Match {
  readonly q: Id;
  readonly k: Id;
  readonly v: Id;
  readonly scale: number;
}

function match(graph: Graph, o: NodeOf<'matmul'>, uses: ReadonlyMap<Id, number>, outputs: ReadonlySet<Id>): Match | undefined {
  const at = (id: Id): Node => graph.nodes[id];
  // Each intermediate must be private to the pattern: read exactly `n` times and not an output.
  const only = (id: Id, n: number) => (uses.get(id) ?? 0) === n && !outputs.has(id);
  const p = at(o.a);
  if (p.op !== 'unary' || p.fn !== 'exp' || !only(p.id, 1)) return undefined;
  const shifted = at(p.x);
  if (shifted.op !== 'binary' || shifted.fn !== 'sub' || !only(shifted.id, 1)) return undefined;
  const lse = at(shifted.b);
  const s = at(shifted.a);
  if (lse.op !== 'reduce' || lse.kind !== 'lse' || lse.x !== s.id || !lse.keep || lse.axis !== s.shape.length - 1 || !only(lse.id, 1)) return undefined;
  if (!only(s.id, 2)) return undefined;
  let scores: Node = s;
  let scale = 1;
  if (s.op === 'binary' && s.fn === 'mul') {
    const [x, c] = at(s.b).op === 'const' ? [at(s.a), at(s.b)] : [at(s.b), at(s.a)];
    if (c.op !== 'const' || !only(x.id, 1)) return undefined;
    scores = x;
    scale = c.value;
  }
  if (scores.op !== 'matmul') return undefined;
  const kt = at(scores.b);
  if (kt.op !== 'transpose') return undefined;
  const [q, k, v] = [at(scores.a), at(kt.x), at(o.b)];
  const lead = q.shape.slice(0, -2);
  const same = (n: Node) => n.shape.length === q.shape.length && lead.every((d, i) => dimEquals(d, n.shape[i]));
  if (q.shape.length < 2 || !same(k) || !same(v)) return undefined;
  return { q: q.id, k: k.id, v: v.id, scale };
}

export const flashAttention: Pass = {
  name: 'flash-attention',
  summary: 'softmax(q @ transpose(k) * scale, -1) @ v as one kernel that never stores the scores',
  run(graph) {
    const uses = useCounts(graph);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    const rewrites: Rewrite[] = [];
    const next = rebuild(graph, (n, b) => {
      if (n.op !== 'matmul') return undefined;
      const m = match(graph, n, uses, outputs);
      if (!m) return undefined;
      rewrites.push({ pass: 'flash-attention', span: n.span, message: `softmax attention${n.name ? ` (${n.name})` : ''} in one kernel: the scores are not stored` });
      return b.emit({ op: 'attention', q: b.map(m.q), k: b.map(m.k), v: b.map(m.v), scale: m.scale, shape: n.shape, span: n.span, ...(n.name ? { name: n.name } : {}) });
    });
    return { graph: rewrites.length > 0 ? next : graph, rewrites, diagnostics: [] };
  },
};
