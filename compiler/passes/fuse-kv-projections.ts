// The projections inside the KV reduction: a token reduction of outer products whose two operands
// are each the epilogue value of a projection group of the same input (fuse-epilogue), a plain
// projection, or an inline value of one (linear attention's elu(split_heads(x @ w_k)) + 1) is computed
// by one kernel that reads x a tile of tokens at a time, multiplies it by the weights, applies
// both epilogues in registers and accumulates the state, so the gated keys and values are never
// stored (the "K, V, A, B never touch memory"):
//
//   %12 = matmul %0, %2 : [B, N, C] reduced in %27                  (x @ w_k)
//   %17 = matmul %0, %4 : [B, N, C] with %12 reduced in %27         (x @ w_a)
//   %25 = mul %20, %14 : [B, 2, N, d] after %12 reduced in %27      (a ⊙ k)
//   %26 = mul %24, %16 : [B, 2, N, d] after %15 reduced in %27      (b ⊙ v)
//   %27 = outer_mean %25, %26 : [B, 2, d, d]                         (s)
//
// Only where the reduction (and a token sum of the left operand it hosts, z) is the values' one
// reader, their epilogues split heads or keep them, and the kernel reads at most MAX_KERNEL_READS
// buffers (it writes two: S's and z's partials, 9 storage buffers in all for SAGA). Runs after
// group-matmuls, whose joint products it takes as they are.
import { inlineReaches, operands, type Graph, type Id, type Node, type NodeOf } from '../ir.js';
import { dimEquals } from '../../runtime/shape.js';
import type { Pass, Rewrite } from './pass.js';
import { MAX_KERNEL_READS } from './fuse-elementwise.js';
import { bufferReads, readersOf } from './rewrite.js';

/** The members of the matmul group `lead` leads (itself alone when ungrouped). */
const membersOf = (graph: Graph, lead: NodeOf<'matmul'>): NodeOf<'matmul'>[] =>
  lead.group === undefined ? [lead] : graph.nodes.filter((m): m is NodeOf<'matmul'> => m.op === 'matmul' && m.group === lead.id);

/** The values between the products `sources` and their epilogue value `id` (inclusive), in no order. */
export function epilogueChain(graph: Graph, id: Id, sources: readonly Id[]): Node[] {
  const n = graph.nodes[id];
  return [n, ...operands(n).filter((o) => !sources.includes(o) && inlineReaches(graph, o, sources)).flatMap((o) => epilogueChain(graph, o, sources))];
}

export interface KvSide {
  readonly value: Node;
  readonly members: readonly NodeOf<'matmul'>[];
  readonly chain: readonly Node[];
}

/**
 * An operand of a KV reduction as its kernel computes it (here, and in codegen once marked): a
 * plain projection, whose product is the value, a group's epilogue value, or an inline value of
 * one projection (linear attention's `elu(split_heads(x @ w_k)) + 1`); undefined otherwise.
 */
export function kvSide(graph: Graph, id: Id, readers?: ReadonlyMap<Id, readonly Id[]>): KvSide | undefined {
  const value = graph.nodes[id];
  const plain = (m: Node) => !graph.nodes.some((e) => e.epilogueOf === m.id || e.host === m.id);
  // A plain projection: its product is the value.
  if (value.op === 'matmul' && value.group === undefined && plain(value)) return { value, members: [value], chain: [] };
  if (value.inline && value.epilogueOf === undefined) return inlineSide(graph, value, plain, readers ?? readersOf(graph));
  if (value.epilogueOf === undefined) return undefined;
  const lead = graph.nodes[value.epilogueOf];
  if (lead.op !== 'matmul') return undefined;
  const members = membersOf(graph, lead);
  const chain = epilogueChain(graph, id, members.map((m) => m.id));
  if (chain.some((c) => c.op === 'merge_heads')) return undefined;
  return { value, members, chain };
}

/**
 * An inline value computed from one projection's product and inputs, params and constants only,
 * whose values in between nothing else reads: the kernel computes it from the accumulator, as it
 * does an epilogue. A grouped projection is taken only with its whole group (see fusable).
 */
function inlineSide(graph: Graph, value: Node, plain: (m: Node) => boolean, readers: ReadonlyMap<Id, readonly Id[]>): KvSide | undefined {
  const leaves = new Set<Id>();
  const walk = (n: Node): void => {
    for (const o of operands(n)) graph.nodes[o].inline ? walk(graph.nodes[o]) : leaves.add(o);
  };
  walk(value);
  const products = [...leaves].map((id) => graph.nodes[id]).filter((n) => n.op !== 'input');
  const m = products[0];
  if (products.length !== 1 || m.op !== 'matmul' || !plain(m)) return undefined;
  const chain = epilogueChain(graph, value.id, [m.id]);
  if (chain.some((c) => c.op === 'merge_heads')) return undefined;
  const within = new Set(chain.map((c) => c.id));
  const only = (id: Id) => (readers.get(id) ?? []).every((r) => within.has(r));
  if (!only(m.id) || chain.some((c) => c.id !== value.id && !only(c.id))) return undefined;
  return { value, members: [m], chain };
}

/** The two operands of reduction `n` where its kernel can compute them, else undefined. */
function fusable(graph: Graph, readers: ReadonlyMap<Id, readonly Id[]>, outputs: ReadonlySet<Id>, n: NodeOf<'outer_reduce'>): [KvSide, KvSide] | undefined {
  if (graph.nodes[n.a].reducedIn !== undefined || graph.nodes[n.b].reducedIn !== undefined) return undefined;
  const a = kvSide(graph, n.a, readers);
  const b = kvSide(graph, n.b, readers);
  if (!a || !b || a.members[0].id === b.members[0].id) return undefined;
  const x = a.members[0].a;
  if (b.members[0].a !== x || graph.nodes[x].inline) return undefined;
  if ([...a.members, ...b.members].some((m) => graph.nodes[m.b].shape.length !== 2 || outputs.has(m.id))) return undefined;
  // A projection grouped (group-matmuls) with one that stays a kernel would break up its group.
  const taken = new Set([...a.members, ...b.members].map((m) => m.id));
  const grouped = [...taken].map((id) => graph.nodes[id].group).filter((g): g is Id => g !== undefined);
  if (graph.nodes.some((m) => m.op === 'matmul' && m.group !== undefined && grouped.includes(m.group) && !taken.has(m.id))) return undefined;
  // Each value [...lead, N, d], read by the reduction and token sums of a it hosts, nothing else.
  const hosted = (r: Node) => r.op === 'reduce' && r.host === n.id && r.x === n.a && r.keep && r.axis === r.shape.length - 2 && (r.kind === 'sum' || r.kind === 'mean');
  for (const side of [a, b]) {
    if (outputs.has(side.value.id)) return undefined;
    if ((readers.get(side.value.id) ?? []).some((r) => r !== n.id && !hosted(graph.nodes[r]))) return undefined;
    const s = side.value.shape;
    if (s.length !== n.shape.length || !s.slice(0, -2).every((d, i) => dimEquals(d, n.shape[i]))) return undefined;
  }
  if (graph.nodes.some((r) => r.host === n.id && !hosted(r))) return undefined;
  // x, the weights and what the epilogues read.
  const extra = [...a.chain, ...b.chain].flatMap((c) => operands(c).filter((o) => ![...a.chain, ...b.chain].some((e) => e.id === o) && ![...a.members, ...b.members].some((m) => m.id === o)));
  const reads = new Set([x, ...[...a.members, ...b.members].map((m) => m.b), ...bufferReads(graph, extra)]);
  return reads.size <= MAX_KERNEL_READS ? [a, b] : undefined;
}

export const fuseKvProjections: Pass = {
  name: 'fuse-kv-projections',
  summary: 'compute the projection groups feeding a KV reduction inside its kernel: the gated keys and values are never stored',
  run(graph) {
    const readers = readersOf(graph);
    const outputs = new Set(graph.outputs.map((o) => o.value));
    const within = new Map<Id, Id>();
    const rewrites: Rewrite[] = [];
    for (const n of graph.nodes) {
      if (n.op !== 'outer_reduce') continue;
      const sides = fusable(graph, readers, outputs, n);
      if (!sides) continue;
      for (const s of sides) for (const id of [s.value.id, ...s.members.map((m) => m.id)]) within.set(id, n.id);
      const name = (id: Id) => graph.nodes[id].name ?? `%${id}`;
      const products = sides.flatMap((s) => s.members.map((m) => `${name(m.a)} @ ${name(m.b)}`));
      rewrites.push({ pass: 'fuse-kv-projections', span: n.span, message: `${products.join(', ')} computed inside ${name(n.id)}'s KV reduction kernel: ${name(n.a)} and ${name(n.b)} never stored` });
    }
    const nodes = graph.nodes.map((n) => (within.has(n.id) ? { ...n, reducedIn: within.get(n.id)! } : n));
    return { graph: { ...graph, nodes }, rewrites, diagnostics: [] };
  },
};
