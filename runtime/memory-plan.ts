// Memory planning over a plan's kernels: order them so values die early, then let computed values
// whose lifetimes do not overlap share one GPU buffer (an output lives to the end of the run). Pure functions of the plan (and, for the
// buffer sizes, of the run's dims): codegen orders, the executor and the bench assign slots.
import type { KernelSpec, Plan } from './plan.js';

/** The buffers a kernel writes: its result and any it computes alongside. */
export const writesOf = (k: KernelSpec) => [k.writes, ...(k.alsoWrites ?? [])];

/**
 * Each kernel moved as late as it can go: just before the first kernel that reads one of its
 * results, and never past a kernel that writes a buffer it uses (kernels whose results nobody
 * reads stay where they were). In the fused SAGA block the Q projection then
 * runs after the KV reduction, when K, V and the gates are dead, and can take one of their buffers.
 */
export function scheduleKernels(kernels: readonly KernelSpec[]): KernelSpec[] {
  const order = [...kernels];
  const before = new Map<KernelSpec, KernelSpec>(); // a placed kernel -> its first reader
  const computed = new Set(kernels.flatMap(writesOf));
  for (let i = kernels.length - 1; i >= 0; i--) {
    const k = kernels[i];
    const at = order.indexOf(k);
    order.splice(at, 1);
    const results = new Set(writesOf(k));
    const touched = new Set([...k.reads, ...results]);
    // Stop at a reader of its results, or at a kernel that writes a buffer it reads or writes.
    let stop = order.findIndex((r, j) => j >= at && (r.reads.some((id) => results.has(id)) || writesOf(r).some((id) => touched.has(id))));
    if (stop < 0) {
      order.splice(at, 0, k);
      continue;
    }
    // Among kernels placed before the same reader, source order; but not before one that reads a
    // computed value (it may be the last reader, freeing a buffer this kernel's result could take).
    const target = order[stop];
    while (stop - 1 >= at && before.get(order[stop - 1]) === target && !order[stop - 1].reads.some((id) => computed.has(id))) stop--;
    order.splice(stop, 0, k);
    before.set(k, target);
  }
  return order;
}

export interface BufferSlots {
  /** Computed (or donated input) buffer id -> slot number; absent for the other inputs and params. */
  readonly slotOf: ReadonlyMap<string, number>;
  /** Bytes of each slot: the largest buffer it holds. */
  readonly slotBytes: readonly number[];
}

/**
 * Slots for the values the plan's kernels compute. A value lives from the kernel that first writes
 * it to its last reader (an output to the end of the run: it is read back after the last kernel);
 * two values share a slot only if no kernel sees both. Largest values first, each takes the first
 * slot it fits in time (greedy by size): a small value never holds on to a large slot that a large
 * one later needs. An output only shares a slot of exactly its size, so the buffer handed over is
 * the tensor's. In the fused SAGA block the projections' results take two slots in turn (a ⊙ k,
 * b ⊙ v, then q, the merged read-out and y). Dispatches run in order, so a kernel never sees
 * another value in a slot it reads. `own` buffers get no slot (a chunked run's whole outputs and reductions).
 * `donated` inputs (uploaded by the run into a buffer of its own) live from before the first
 * kernel to their last reader, and their buffer then takes computed values like any slot.
 */
export function assignSlots(plan: Plan, bytesOf: (id: string) => number, own: ReadonlySet<string> = new Set(), donated: ReadonlySet<string> = new Set()): BufferSlots {
  const fixed = new Set([...plan.tensors.map((t) => t.name).filter((n) => !donated.has(n)), ...own]);
  const outputs = new Set(plan.outputs.map((o) => o.buffer));
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const id of donated) if (!own.has(id)) first.set(id, -1);
  plan.kernels.forEach((k, i) => {
    for (const id of writesOf(k)) if (!fixed.has(id) && !first.has(id)) first.set(id, i);
    for (const id of k.reads) last.set(id, i);
  });
  // [first write, last use]; a value never read is free once written.
  const life = new Map([...first].map(([id, w]) => [id, [w, outputs.has(id) ? Infinity : Math.max(w, last.get(id) ?? w)] as const]));
  const ids = [...life.keys()].sort((a, b) => bytesOf(b) - bytesOf(a) || life.get(a)![0] - life.get(b)![0] || (a < b ? -1 : 1));
  const slotOf = new Map<string, number>();
  const slotBytes: number[] = [];
  /** Lifetimes of the values each slot holds. */
  const held: (readonly [number, number])[][] = [];
  for (const id of ids) {
    const [w, r] = life.get(id)!;
    // An output's buffer is handed over as it is (`outputs: 'buffers'`): only a slot of its size.
    const fits = (s: number) => !outputs.has(id) || slotBytes[s] === bytesOf(id);
    let slot = held.findIndex((spans, s) => fits(s) && spans.every(([w2, r2]) => r < w2 || r2 < w));
    if (slot < 0) {
      slot = slotBytes.push(0) - 1;
      held.push([]);
    }
    slotBytes[slot] = Math.max(slotBytes[slot], bytesOf(id));
    held[slot].push([w, r]);
    slotOf.set(id, slot);
  }
  return { slotOf, slotBytes };
}

/**
 * The inputs a whole run uploads from host arrays into buffers of its own, whose buffers later
 * values may take (assignSlots' `donated`); not a caller's GPU buffer, not params.
 */
export const donatableInputs = (plan: Plan, fromHost: (name: string) => boolean = () => true): Set<string> =>
  new Set(plan.tensors.filter((t) => t.role === 'input' && plan.buffers.some((b) => b.id === t.name) && fromHost(t.name)).map((t) => t.name));
