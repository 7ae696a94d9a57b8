// Kernel order and buffer sharing on hand-written plans: every read stays after its write, values
// that die early free their buffer, and two values share a buffer only if no kernel sees both.
import { describe, expect, it } from 'vitest';
import { assignSlots, scheduleKernels } from '../../runtime/memory-plan.js';
import type { KernelSpec, Plan } from '../../runtime/plan.js';

const kernel = (name: string, reads: string[], writes: string, alsoWrites?: string[]): KernelSpec => ({
  name,
  wgsl: '',
  reads,
  writes,
  ...(alsoWrites ? { alsoWrites } : {}),
  uniforms: [],
  workgroupSize: 64,
  dispatch: { kind: 'linear', count: [] },
});
const names = (ks: readonly KernelSpec[]) => ks.map((k) => k.name);

describe('scheduleKernels', () => {
  it('moves a projection down to its reader, past work that does not need it, keeping source order among equals', () => {
    // The SAGA shape: q is only read by the output pass; k, v by the reduction.
    const ks = [kernel('q', ['x'], 'q'), kernel('k', ['x'], 'k'), kernel('v', ['x'], 'v'), kernel('s', ['k', 'v'], 's'), kernel('o', ['q', 's'], 'o'), kernel('y', ['o'], 'y')];
    expect(names(scheduleKernels(ks))).toEqual(['k', 'v', 's', 'q', 'o', 'y']);
  });

  it('never moves a kernel past one that overwrites a buffer it reads or writes', () => {
    const ks = [kernel('read_a', ['a'], 'r'), kernel('write_a', ['x'], 'a'), kernel('use_r', ['r'], 'y')];
    expect(names(scheduleKernels(ks))).toEqual(['read_a', 'write_a', 'use_r']);
  });

  it('keeps every read after its write on random plans', () => {
    let seed = 5;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const ks: KernelSpec[] = [];
      for (let i = 0; i < 12; i++) {
        const reads = ['x', ...ks.filter(() => next() < 0.25).map((k) => k.writes)];
        ks.push(kernel(`k${i}`, reads, `v${i}`));
      }
      const order = scheduleKernels(ks);
      expect(new Set(order).size).toBe(ks.length);
      const at = new Map(order.map((k, i) => [k.writes, i]));
      for (const [i, k] of order.entries()) for (const r of k.reads) if (r !== 'x') expect(at.get(r)!).toBeLessThan(i);
    }
  });
});

describe('assignSlots', () => {
  const plan = (kernels: KernelSpec[], outputs: string[] = ['y']): Plan => ({
    block: 't',
    tensors: [{ name: 'x', role: 'input', shape: [] }],
    buffers: [],
    kernels,
    outputs: outputs.map((o) => ({ name: o, buffer: o })),
  });

  it('gives a value the buffer of one whose last reader ran before its writer, never an input', () => {
    const p = plan([kernel('a', ['x'], 'a'), kernel('b', ['a'], 'b'), kernel('c', ['b'], 'c'), kernel('y', ['c'], 'y')]);
    const { slotOf, slotBytes } = assignSlots(p, () => 100);
    expect(slotOf.get('a')).toBe(slotOf.get('c'));
    expect(slotOf.get('b')).not.toBe(slotOf.get('a'));
    // The output y takes b's buffer (b's last reader ran before y's writer).
    expect(slotOf.get('y')).toBe(slotOf.get('b'));
    expect(slotOf.has('x')).toBe(false);
    expect(slotBytes).toEqual([100, 100]);
  });

  it('keeps an output’s buffer to the end of the run, even when a later kernel reads it', () => {
    // o is an output read by k2; v2 (written after o's last read) must not take o's buffer.
    const p = plan([kernel('o', ['x'], 'o'), kernel('k1', ['o'], 'v1'), kernel('k2', ['v1'], 'v2'), kernel('y', ['v2'], 'y')], ['o', 'y']);
    const { slotOf } = assignSlots(p, () => 100);
    for (const id of ['v1', 'v2', 'y']) expect(slotOf.get(id), id).not.toBe(slotOf.get('o'));
  });

  it('grows a free buffer to the largest value it holds, and keeps a kernel’s two results apart', () => {
    const bytes: Record<string, number> = { a: 10, b: 10, c: 50, d: 50, y: 10 };
    const p = plan([kernel('a', ['x'], 'a'), kernel('b', ['a'], 'b'), kernel('cd', ['b'], 'c', ['d']), kernel('y', ['c', 'd'], 'y')]);
    const { slotOf, slotBytes } = assignSlots(p, (id) => bytes[id]);
    expect(slotOf.get('c')).toBe(slotOf.get('a'));
    expect(slotOf.get('d')).not.toBe(slotOf.get('c'));
    expect(slotBytes.reduce((s, b) => s + b, 0)).toBe(100 + 10);
  });

  it('no two values live at once share a buffer, on random plans', () => {
    let seed = 9;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const ks: KernelSpec[] = [];
      for (let i = 0; i < 10; i++) ks.push(kernel(`k${i}`, ['x', ...ks.filter(() => next() < 0.3).map((k) => k.writes)], i === 9 ? 'y' : `v${i}`));
      // y and a few others are outputs: alive from their writer to the end of the run.
      const outputs = ['y', ...ks.filter((k) => k.writes !== 'y' && next() < 0.2).map((k) => k.writes)];
      const { slotOf } = assignSlots(plan(ks, outputs), () => 1 + Math.floor(next() * 100));
      const life = (id: string) => [ks.findIndex((k) => k.writes === id), outputs.includes(id) ? ks.length : Math.max(ks.findIndex((k) => k.writes === id), ...ks.flatMap((k, i) => (k.reads.includes(id) ? [i] : [])))];
      for (const [a, sa] of slotOf) {
        for (const [b, sb] of slotOf) {
          if (a >= b || sa !== sb) continue;
          const [[w1, r1], [w2, r2]] = [life(a), life(b)];
          expect(r1 < w2 || r2 < w1, `${a} and ${b}`).toBe(true);
        }
      }
    }
  });
});
