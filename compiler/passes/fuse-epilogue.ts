// Epilogues: the elementwise ops (and a head split or merge) applied to a matmul's result are
// computed by the matmul's kernel from its accumulators, and only their result is stored:
//
//   before:  %31 = matmul %11, %27 : [B, 2, N, d]                    (q @ s, stored)
//            %34 = div %31, %33 : [B, 2, N, d] inline                 (o)
//            %35 = merge_heads %34 : [B, N, C] inline                 (merged by the output projection's loads)
//   after:   %35 = merge_heads %34 : [B, N, C] inline after %31       (written by q @ s's kernel)
//
// Two products of one operand by same-shape weights that one value combines are computed by the
// same threads (joint), so neither is stored, only the combination: the gated key
//
//   %12 = matmul %0, %2 : [B, N, C]                                   (x @ w_k)
//   %17 = matmul %0, %4 : [B, N, C] with %12                          (x @ w_a, joint)
//   %25 = mul %20, %14 : [B, 2, N, d] inline after %12                (sigmoid(x @ w_a + b_a) ⊙ relu(x @ w_k), heads split)
//
// A chain runs from a matmul through values that each have one reader (unary ops, binary ops of
// its shape, at most one split_heads, or a merge_heads or a sum over the heads at its end) to the first value that is
// stored, an output or read more than once. The value there is stored by the kernel (an inline
// one keeps its mark: codegen computes it at load time again where it leaves the epilogue out,
// when k would split); the products are not, so never more memory than before. One product whose
// chain ends inline is left to load-time fusion unless the chain merges heads (no memory saved,
// not measured faster). The other operands along a chain must be ready when the kernel runs, or
// be a row reduction the kernel hosts (den: read from workgroup memory, through elementwise
// values of its rows only). Not for matmuls that are outputs or grouped, nor where a kernel would
// bind more than 8 storage buffers. Runs before group-matmuls, which takes what is left.
import { operands, type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import { dimEquals, shapeEquals } from '../../runtime/shape.js';
import type { Pass, Rewrite } from './pass.js';
import { MAX_KERNEL_READS } from './fuse-elementwise.js';
import { bufferReads, kernelOf } from './rewrite.js';

/** Products one epilogue combines at most (each thread keeps an accumulator set per product). */
export const JOINT_SIZE = 2;


interface Chain {
  readonly m: NodeOf<'matmul'>;
  /** The values from m's reader to the stored end, in order. */
  readonly ids: readonly Id[];
  /** The head split or merge on the way, if any, or the sum over the heads that ends it. */
  readonly view?: NodeOf<'split_heads'> | NodeOf<'merge_heads'> | NodeOf<'reduce'>;
}

function chainOf(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, outputs: ReadonlySet<Id>, m: NodeOf<'matmul'>): Chain | undefined {
  const ids: Id[] = [];
  let view: Chain['view'];
  let cur: Id = m.id;
  for (;;) {
    const rs = readers.get(cur) ?? [];
    if (rs.length !== 1 || (cur !== m.id && (outputs.has(cur) || !graph.nodes[cur].inline))) break;
    const r = graph.nodes[rs[0]];
    const elementwise = (r.op === 'unary' || (r.op === 'binary' && (r.a === cur) !== (r.b === cur))) && shapeEquals(r.shape, graph.nodes[cur].shape);
    if (elementwise || (r.op === 'split_heads' && !view)) {
      if (r.op === 'split_heads') view = r;
      ids.push(r.id);
      cur = r.id;
      continue;
    }
    // A head merge, or a sum over the heads (fold-output-projection's y), ends the chain.
    const headSum = r.op === 'reduce' && r.kind === 'sum' && !r.keep && r.axis === r.shape.length - 2 && r.axis >= 1;
    if ((r.op === 'merge_heads' || headSum) && !view) {
      view = r;
      ids.push(r.id);
    }
    break;
  }
  return ids.length ? { m, ids, ...(view ? { view } : {}) } : undefined;
}

/**
 * Buffers the epilogue's other operands bind, or undefined when one is not ready before the
 * kernel runs (at matmul `lead`'s place). `busy` are matmuls other epilogues may take (no buffer).
 */
function epilogueReads(graph: Graph, lead: NodeOf<'matmul'>, chains: readonly Chain[], busy: ReadonlySet<Id>): Set<Id> | undefined {
  const reads = new Set<Id>();
  const onChain = new Set(chains.flatMap((c) => [c.m.id, ...c.ids]));
  const rank = lead.shape.length;
  const keepsRows = (n: Node) => n.shape.length === rank && dimEquals(n.shape[rank - 2], lead.shape[rank - 2]);
  const visit = (id: Id, elementwise: boolean): boolean => {
    const n = graph.nodes[id];
    if (n.op === 'const') return true;
    // At the product's coordinates (no head split before it), rows in workgroup memory.
    if (n.host === lead.id) return chains.length === 1 && chains[0].view?.op !== 'split_heads' && elementwise && n.op === 'reduce' && n.keep && keepsRows(n);
    if (n.inline) {
      const still = elementwise && (n.op === 'unary' || n.op === 'binary') && keepsRows(n);
      return operands(n).every((o) => visit(o, still));
    }
    if (kernelOf(graph, id) >= lead.id || busy.has(id)) return false;
    reads.add(id);
    return true;
  };
  const ready = chains.every((c) => c.ids.every((id) => operands(graph.nodes[id]).every((o) => onChain.has(o) || visit(o, true))));
  return ready ? reads : undefined;
}

/** Products one kernel can compute jointly: one operand, plain weights of one shape, the same view. */
function jointly(graph: Graph, chains: readonly Chain[]): boolean {
  if (chains.length > JOINT_SIZE) return false;
  const [first] = chains;
  const weight = (c: Chain) => graph.nodes[c.m.b];
  const viewKey = (c: Chain) => (c.view ? `${c.view.op}${c.view.op === 'split_heads' ? c.view.heads : ''}` : '');
  return chains.every(
    (c) =>
      c.m.a === first.m.a &&
      // The kernel runs at the first product's place: every weight must be ready by then.
      kernelOf(graph, c.m.b) < first.m.id &&
      !weight(c).inline &&
      weight(c).op !== 'const' &&
      shapeEquals(weight(c).shape, weight(first).shape) &&
      viewKey(c) === viewKey(first) &&
      c.view?.op !== 'merge_heads' &&
      c.view?.op !== 'reduce' &&
      !graph.nodes.some((r) => r.host === c.m.id),
  );
}

export const fuseEpilogue: Pass = {
  name: 'fuse-epilogue',
  summary: 'compute the elementwise ops and head split or merge after matmuls in their kernel (o = (q @ s) / den merged; a ⊙ k from x @ w_a, x @ w_k)',
  run(graph) {
    const readers = new Map<Id, Id[]>();
    for (const n of graph.nodes) for (const o of new Set(operands(n))) readers.set(o, [...(readers.get(o) ?? []), n.id]);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    // Chains by the value they end at: one matmul, or several combined.
    const ends = new Map<Id, Chain[]>();
    for (const m of graph.nodes) {
      if (m.op !== 'matmul' || m.group !== undefined || outputs.has(m.id)) continue;
      const c = chainOf(graph, readers, outputs, m);
      if (c) ends.set(c.ids[c.ids.length - 1], [...(ends.get(c.ids[c.ids.length - 1]) ?? []), c]);
    }
    const into = new Map<Id, Id>();
    const group = new Map<Id, Id>();
    const rewrites: Rewrite[] = [];
    const order = [...ends].sort((x, y) => x[0] - y[0]);
    order.forEach(([e, all], i) => {
      // Products without a buffer: those given epilogues, and those later ends may take.
      const busy = new Set([...into.values(), ...group.keys(), ...order.slice(i + 1).flatMap(([, cs]) => cs.map((c) => c.m.id))]);
      const fits = (chains: readonly Chain[]) => {
        const lead = chains[0].m;
        const reads = epilogueReads(graph, lead, chains, busy);
        if (!reads) return false;
        const hosted = graph.nodes.find((r): r is NodeOf<'reduce'> => r.op === 'reduce' && r.host === lead.id);
        const own = bufferReads(graph, [lead.a, ...chains.map((c) => c.m.b), ...(hosted ? operands(graph.nodes[hosted.x]) : [])]);
        return new Set([...own, ...reads]).size + (hosted ? 1 : 0) <= MAX_KERNEL_READS;
      };
      // All the products jointly, else the one product whose partners are stored before it. One
      // product whose chain ends inline keeps it inline (load-time fusion, group-matmuls) unless
      // the chain merges heads: storing relu(split_heads(x @ w_q)) instead of x @ w_q saves no
      // memory and measured no faster (H200, 1280²: -3% to +1%).
      const alone = (c: Chain) => !graph.nodes[e].inline || c.view?.op === 'merge_heads';
      const chains = [...(all.length > 1 && jointly(graph, all) ? [all] : []), ...all.filter(alone).map((c) => [c])].find(fits);
      if (!chains) return;
      const lead = chains[0].m;
      into.set(e, lead.id);
      if (chains.length > 1) for (const c of chains) group.set(c.m.id, lead.id);
      const what = (n: Node) => (n.op === 'unary' || n.op === 'binary' ? n.fn : n.op);
      const name = (id: Id) => graph.nodes[id].name ?? `%${id}`;
      const products = chains.map((c) => `${name(c.m.a)} @ ${name(c.m.b)}`).join(' and ');
      const ops = [...new Set(chains.flatMap((c) => c.ids))].sort((x, y) => x - y).map((id) => what(graph.nodes[id]));
      rewrites.push({ pass: 'fuse-epilogue', span: graph.nodes[e].span, message: `${ops.join(', ')} after ${products} computed by ${chains.length > 1 ? 'one kernel' : 'its kernel'} (line ${lead.span.line}), which writes ${name(e)} instead` });
    });
    const nodes = graph.nodes.map((n): Node => {
      const m = into.get(n.id);
      const g = group.get(n.id);
      // An inline value keeps the mark: codegen computes it inline again where it leaves the
      // epilogue out (a matmul that splits k at the run's sizes).
      if (m !== undefined) return { ...n, epilogueOf: m };
      return g !== undefined ? { ...n, group: g } : n;
    });
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
