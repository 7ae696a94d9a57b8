// Fusion: elementwise and view ops (bias adds, feature maps, gate sigmoids, gate products, head
// splits) are computed by the kernels that read them, at load time, so they get no kernel and
// no buffer of their own:
//
//   before:  %10 = split_heads %9, heads=2 : [B, 2, N, d]
//            %11 = relu %10 : [B, 2, N, d]
//            %32 = matmul %11, %27
//   after:   %10 = split_heads %9, heads=2 : [B, 2, N, d] inline
//            %11 = relu %10 : [B, 2, N, d] inline       (the matmul loads relu(x_q[t, h*d + j]))
//
// When not to: a value read by several kernels is recomputed by each, and a matmul re-reads
// each operand element once per output tile, so an inline value costs (its work) × (readers).
// We inline a value read once if its inlined expression costs at most 32 (exp, log, sigmoid,
// ... count 4, arithmetic 1, views 0), and one read more than once only up to 8 (a relu, a
// sigmoid and a bias add, not a long chain). Outputs always get a buffer. And a kernel may bind
// at most MAX_KERNEL_READS buffers (WebGPU guarantees 8 storage buffers per shader stage, one of
// them for the result): where fusing would need more, the largest inline operand is materialised.
import { INLINABLE, operands, type Graph, type Id, type Node } from '../ir.js';
import type { Pass, Rewrite } from './pass.js';
import { useCounts } from './rewrite.js';

export const SINGLE_USE_BUDGET = 32;
export const MULTI_USE_BUDGET = 8;
export const MAX_KERNEL_READS = 7;

const TRANSCENDENTAL = new Set(['elu', 'sigmoid', 'silu', 'gelu', 'softplus', 'exp', 'log', 'sqrt', 'pow']);

function ownCost(n: Node): number {
  switch (n.op) {
    case 'unary':
      return TRANSCENDENTAL.has(n.fn) ? 4 : 1;
    case 'binary':
      return TRANSCENDENTAL.has(n.fn) ? 4 : 1;
    case 'outer':
      return 1;
    default:
      return 0;
  }
}

export const fuseElementwise: Pass = {
  name: 'fuse-elementwise',
  summary: 'compute elementwise and view ops inside the kernels that read them',
  run(graph) {
    const uses = useCounts(graph);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    const inline = new Set<Id>();
    const cost = new Map<Id, number>();
    for (const n of graph.nodes) {
      // The cost of computing n at load time, counting the operands that are inline too.
      const c = ownCost(n) + operands(n).reduce((acc, o) => acc + (inline.has(o) ? cost.get(o)! : 0), 0);
      cost.set(n.id, c);
      if (!INLINABLE.has(n.op) || outputs.has(n.id)) continue;
      const readers = uses.get(n.id) ?? 0;
      if (readers === 0) continue;
      if (c <= (readers === 1 ? SINGLE_USE_BUDGET : MULTI_USE_BUDGET)) inline.add(n.id);
    }
    limitReads(graph, inline);
    const rewrites: Rewrite[] = [];
    const nodes = graph.nodes.map((n) => {
      if (!inline.has(n.id)) return n;
      if (n.op !== 'const') {
        rewrites.push({ pass: 'fuse-elementwise', span: n.span, message: `${n.op === 'unary' || n.op === 'binary' ? n.fn : n.op}${n.name ? ` (${n.name})` : ''} computed at load time by its ${uses.get(n.id)} reader${uses.get(n.id) === 1 ? '' : 's'}` });
      }
      return { ...n, inline: true };
    });
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};

/**
 * The buffers a kernel for `id` reads are the non-inline values its inline operands reach.
 * While some kernel would read more than MAX_KERNEL_READS, materialise the inline operand of it
 * that reaches the most buffers (that operand's kernel is then checked in turn).
 */
function limitReads(graph: Graph, inline: Set<Id>): void {
  const reach = (id: Id, seen = new Set<Id>()): Set<Id> => {
    if (seen.has(id)) return seen;
    const n = graph.nodes[id];
    if (!inline.has(id)) {
      if (n.op !== 'const') seen.add(id);
      return seen;
    }
    for (const o of operands(n)) reach(o, seen);
    return seen;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of graph.nodes) {
      if (inline.has(n.id) || n.op === 'input') continue;
      const reads = new Set(operands(n).flatMap((o) => [...reach(o)]));
      if (reads.size <= MAX_KERNEL_READS) continue;
      const widest = operands(n)
        .filter((o) => inline.has(o))
        .sort((a, b) => reach(b).size - reach(a).size || a - b)[0];
      if (widest === undefined) continue;
      inline.delete(widest);
      changed = true;
    }
  }
}
