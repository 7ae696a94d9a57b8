// The memory report of a run: every buffer the executor allocated and every dispatch, checked
// against sizes and workgroup counts worked out here from the shapes, and what fusion saves on SAGA.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../../compiler/ir.js';
import { randomTensor, rng } from '../../../runtime/random.js';
import { formatReport, valuesOf, type BufferRecord, type MemoryReport } from '../../../runtime/report.js';
import { evalShape } from '../../../runtime/shape.js';
import type { Tensor } from '../../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../../runtime/webgpu/index.js';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

function tensorsFor(g: Graph, dims: Record<string, number>): Record<string, Tensor> {
  const env = new Map(Object.entries(dims));
  const next = rng(3);
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, 0.5)]));
}

const product = (shape: readonly number[]) => shape.reduce((p, n) => p * n, 1);
const storageOf = (r: MemoryReport) => r.buffers.filter((b) => b.usage !== 'uniform' && b.usage !== 'staging');
const sagaSource = () => readFileSync(join(import.meta.dirname, '../../../examples/saga.saga'), 'utf8');

describe('memory report', () => {
  it('lists every buffer of the plan once with its byte size, every uniform and read-back, and every dispatch', async () => {
    const [N, C] = [70, 5];
    const source = 'block t {\n  input x: [N, C]\n  param w: [C, C]\n  param b: [C]\n  let h = relu(x @ w + b)\n  output y = h\n  output m = sum(h, C)\n}\n';
    const g = compileSource(source, 't.saga').graphs[0]; // as written: one kernel, one buffer per op
    const plan = generatePlan(g);
    const { report } = await (await Executor.create(gpu, plan)).run(tensorsFor(g, { N, C }));

    // Storage: one record per plan buffer, shaped as the block says, 4 bytes an element.
    const shapeOf: Record<string, number[]> = { 'input x': [N, C], 'param w': [C, C], 'param b': [C], matmul: [N, C], add: [N, C], relu: [N, C], sum: [N] };
    const storage = storageOf(report);
    const values = valuesOf({ ...report, buffers: storage });
    expect(values.map((b) => b.name).sort()).toEqual(plan.buffers.map((b) => b.id).sort());
    expect(new Set(values.map((b) => b.name)).size).toBe(values.length);
    for (const b of values) {
      const op = /^(input \w+|param \w+)$/.test(b.holds) ? b.holds : b.holds.split(' ')[2];
      expect(b.shape, b.holds).toEqual(shapeOf[op]);
      expect(b.bytes, b.holds).toBe(product(shapeOf[op]) * 4);
      expect(b.holds).toBe(plan.buffers.find((p) => p.id === b.name)?.holds);
    }
    const holding = (name: string) => storage.find((b) => (b.values ?? [b]).some((v) => v.name === name));
    expect(['x', 'w', 'b'].map((t) => holding(t)?.usage)).toEqual(['input', 'param', 'param']);
    // x, uploaded by the run, lends its buffer once x @ w has read it: x + w's sum takes it. The
    // output h is written after x @ w is last read, so it takes that buffer; m (N floats) gets one
    // of its own size, as an output's buffer is handed over as it is (never a larger slot).
    expect(['h', 'm'].map((o) => holding(o)?.usage)).toEqual(['output', 'output']);
    expect(holding('m')?.bytes).toBe(N * 4);
    expect(storage.filter((b) => b.usage === 'intermediate')).toEqual([]);
    expect(storage.filter((b) => b.values).map((b) => b.values!.map((v) => v.holds.split(' ')[2] ?? v.holds))).toEqual([
      ['input x', 'add'],
      ['matmul', 'relu'],
    ]);

    // A read-back buffer per output, and a uniform of sizes per kernel (under 4 sizes: one vec4<u32>).
    expect(report.buffers.filter((b) => b.usage === 'staging').map((b) => b.bytes).sort((p, q) => p - q)).toEqual([N * 4, N * C * 4]);
    expect(report.buffers.filter((b) => b.usage === 'uniform').map((b) => b.bytes)).toEqual(plan.kernels.map(() => 16));

    const storageBytes = 4 * (N * C + C * C + C + N * C + N);
    const expectedTotal = storageBytes + 4 * (N * C + N) + 16 * plan.kernels.length;
    expect(report.totalBytes).toBe(expectedTotal);
    expect(report.buffers.reduce((s, b) => s + b.bytes, 0)).toBe(expectedTotal);
    expect(report.peakBytes).toBe(report.totalBytes); // everything lives until the run ends

    // Dispatches in plan order; tiled matmul: ceil(cols / tile) × ceil(rows / tile); the rest one invocation per output element.
    expect(report.kernels.map((k) => k.name)).toEqual(plan.kernels.map((k) => k.name));
    const elements: Record<string, number> = { add: N * C, relu: N * C, sum: N };
    plan.kernels.forEach((k, i) => {
      const got = report.kernels[i];
      const expected: [number, number, number] =
        k.dispatch.kind === 'tiles' ? [Math.ceil(C / k.dispatch.tile[0]), Math.ceil(N / k.dispatch.tile[1]), 1] : [Math.ceil(elements[k.name.split('_')[0]] / k.workgroupSize), 1, 1];
      expect(got.workgroups, k.name).toEqual(expected);
      expect(got.invocations, k.name).toBe(product(expected) * k.workgroupSize);
      expect(got.dispatches, k.name).toBe(1);
    });
    expect(plan.kernels.map((k) => k.name.split('_')[0])).toEqual(['matmul', 'add', 'relu', 'sum']);
  });

  it('summarises a report: totals, then the largest buffers first', () => {
    const buffer = (name: string, bytes: number, usage: BufferRecord['usage'], holds = ''): BufferRecord => ({ name, holds, shape: [bytes / 4], bytes, usage });
    const report: MemoryReport = {
      block: 'b',
      buffers: [buffer('x', 2048, 'input', 'input x'), buffer('g', 33_554_432, 'intermediate', '%25 = outer %20, %24 (g)'), buffer('u', 16, 'uniform'), buffer('y', 2048, 'output', '%3 = relu %2 (y)')],
      totalBytes: 33_558_544,
      peakBytes: 33_558_544,
      kernels: [{ name: 'relu_y', workgroups: [8, 1, 1], invocations: 512, dispatches: 1 }],
    };
    expect(formatReport(report, 2)).toBe(
      [
        'block b: 4 buffers, 1 kernels; total 33.6 MB, peak 33.6 MB',
        '    33.6 MB  intermediate  g [8388608]  %25 = outer %20, %24 (g)',
        '     2.0 kB  input         x [512]  input x',
        '  … 2 more, 2.1 kB together',
      ].join('\n'),
    );
    // A chunked run says so, with every dispatch counted.
    const chunked: MemoryReport = { ...report, kernels: [{ ...report.kernels[0], dispatches: 4 }], tokenChunks: { tokenChunk: 16, chunks: 4 } };
    expect(formatReport(chunked, 0)).toBe('block b: 4 buffers, 1 kernels in 4 chunks of 16 tokens (4 dispatches); total 33.6 MB, peak 33.6 MB\n  … 4 more, 33.6 MB together');
  });

  it('keeps buffers between runs when asked, with the same results, and reallocates for new sizes', async () => {
    const r = compileSource(readFileSync(join(import.meta.dirname, '../../../examples/saga.saga'), 'utf8'), 'saga.saga');
    const plan = generatePlan(r.optimized[0]);
    const fresh = await Executor.create(gpu, plan);
    const kept = await Executor.create(gpu, plan, { keepBuffers: true });
    for (const N of [9, 9, 31, 9]) {
      const tensors = tensorsFor(r.graphs[0], { B: 1, N, C: 6 });
      const [a, b] = await Promise.all([fresh.run(tensors), kept.run(tensors)]);
      expect(Array.from(b.outputs.y.data)).toEqual(Array.from(a.outputs.y.data));
    }
    // Overlapping runs on one executor are serialised, not interleaved.
    const t1 = tensorsFor(r.graphs[0], { B: 1, N: 5, C: 6 });
    const t2 = tensorsFor(r.graphs[0], { B: 1, N: 7, C: 6 });
    const [o1, o2] = await Promise.all([kept.run(t1), kept.run(t2)]);
    expect(Array.from(o1.outputs.y.data)).toEqual(Array.from((await fresh.run(t1)).outputs.y.data));
    expect(Array.from(o2.outputs.y.data)).toEqual(Array.from((await fresh.run(t2)).outputs.y.data));
    kept.destroy();
  });

  it('times each kernel with timestamp queries when asked (lavapipe has them)', async () => {
    const r = compileSource('block t {\n  input x: [N, C]\n  param w: [C, C]\n  output y = sigmoid(x @ w)\n}\n', 't.saga');
    const plan = generatePlan(r.optimized[0]);
    const ex = await Executor.create(gpu, plan);
    const tensors = tensorsFor(r.graphs[0], { N: 50, C: 4 });
    expect((await ex.run(tensors)).kernelMs).toBeUndefined();
    const profiled = await ex.run(tensors, { profile: true });
    expect(gpu.device.features.has('timestamp-query')).toBe(true);
    expect(profiled.kernelMs?.map((k) => k.name)).toEqual(plan.kernels.map((k) => k.name));
    for (const k of profiled.kernelMs ?? []) expect(k.ms).toBeGreaterThanOrEqual(0);
  });

  it('times repeated kernels as a run encodes them with timeBlock: one figure per repetition, whole and in token chunks', async () => {
    const r = compileSource('block t {\n  input x: [B, N, C]\n  param w: [C, C]\n  let s = mean(x, N, keep = true)\n  output y = (x - s) @ w\n}\n', 't.saga');
    const plan = generatePlan(r.optimized[0]);
    const ex = await Executor.create(gpu, plan);
    const tensors = tensorsFor(r.graphs[0], { B: 2, N: 8, C: 16 });
    const plain = await ex.run(tensors, { repeatKernels: 2 });
    expect(plain.blockMs).toBeUndefined();
    expect(plain.kernelsWallMs).toBeGreaterThan(0);
    // Not without repetitions: a run's own first pass may start while its uploads still run.
    expect((await ex.run(tensors, { timeBlock: true })).blockMs).toBeUndefined();
    const timed = await ex.run(tensors, { repeatKernels: 3, timeBlock: true });
    expect(timed.blockMs).toBeGreaterThan(0);
    expect(Array.from(timed.outputs.y.data)).toEqual(Array.from(plain.outputs.y.data));
    // In token chunks the repetitions hold copies between passes: timed from the first pass to the last.
    expect(plan.chunks && 'dim' in plan.chunks).toBe(true);
    const chunked = await ex.run(tensors, { repeatKernels: 2, timeBlock: true, tokenChunk: 4 });
    expect(chunked.blockMs).toBeGreaterThan(0);
    // Cut after the first kernel: timed, the outputs of the whole run unchanged; not in token chunks.
    const cut = await ex.run(tensors, { repeatKernels: 2, timeBlock: true, kernelsUpTo: 1 });
    expect(cut.blockMs).toBeGreaterThan(0);
    expect(Array.from(cut.outputs.y.data)).toEqual(Array.from(plain.outputs.y.data));
    for (const bad of [0, plan.kernels.length + 1, 1.5]) await expect(ex.run(tensors, { repeatKernels: 1, kernelsUpTo: bad })).rejects.toThrow(/kernelsUpTo .*: expected a whole number from 1 to \d+/);
    await expect(ex.run(tensors, { repeatKernels: 1, kernelsUpTo: 1, tokenChunk: 4 })).rejects.toThrow(/without tokenChunk/);
    // profileAsRun: one time a kernel, in plan order, from the cuts; they add up to the whole cut.
    const asRun = (await ex.profileAsRun(tensors, 1, 2))!;
    expect(asRun.map((k) => k.name)).toEqual(plan.kernels.map((k) => k.name));
    expect(asRun.every((k) => Number.isFinite(k.ms))).toBe(true);
    expect(asRun.reduce((t, k) => t + k.ms, 0)).toBeGreaterThan(0);
  });

  it('unfused SAGA materialises the B·h·N·d·d gate and outer products; fused allocates nothing that size and peaks lower', async () => {
    const r = compileSource(sagaSource(), 'saga.saga');
    const [B, N, C, heads] = [1, 64, 8, 2];
    const d = C / heads;
    const tensors = tensorsFor(r.graphs[0], { B, N, C });
    const unfused = (await (await Executor.create(gpu, generatePlan(r.graphs[0]))).run(tensors)).report;
    const fused = (await (await Executor.create(gpu, generatePlan(r.optimized[0]))).run(tensors)).report;
    const gateElements = B * heads * N * d * d;
    const big = (rep: MemoryReport) => valuesOf(rep).filter((b) => product(b.shape) >= gateElements);
    expect(big(unfused).map((b) => b.name)).toContain('g');
    for (const b of big(unfused)) {
      expect(b.shape).toEqual([B, heads, N, d, d]);
      expect(b.bytes).toBe(gateElements * 4);
    }
    expect(big(fused)).toEqual([]);
    expect(fused.buffers.filter((b) => b.bytes >= gateElements * 4)).toEqual([]);
    // Both with shared intermediates: 21 264 vs 36 992 bytes when written.
    expect(fused.peakBytes).toBeLessThan(unfused.peakBytes);
  });

  it('fused SAGA holds none of K, V and the gates; the gated key and value (a*k, b*v) only where stored', async () => {
    const r = compileSource(sagaSource(), 'saga.saga');
    const [B, N, C, heads] = [1, 64, 8, 2];
    const d = C / heads;
    const tensors = tensorsFor(r.graphs[0], { B, N, C });
    const gated = (rep: MemoryReport) => valuesOf(rep).filter((b) => / = mul /.test(b.holds) && JSON.stringify(b.shape) === JSON.stringify([B, heads, N, d]));
    // x @ w_k, x @ w_v, x @ w_a, x @ w_b (params %2, %3, %4, %6), stored as written.
    const projections = (rep: MemoryReport) => valuesOf(rep).filter((b) => / = matmul %0, %[2346]\b/.test(b.holds));
    const unfused = (await (await Executor.create(gpu, generatePlan(r.graphs[0]))).run(tensors)).report;
    expect(projections(unfused)).toHaveLength(4);
    const stored = (await (await Executor.create(gpu, generatePlan(r.optimized[0], { kvProjections: false }))).run(tensors)).report;
    // Stored, written by the projections' kernels (fuse-epilogue): a ⊙ k and b ⊙ v, nothing else of them.
    expect(gated(stored)).toHaveLength(2);
    // By default the KV reduction computes them (fuse-kv-projections): not even those.
    const fused = (await (await Executor.create(gpu, generatePlan(r.optimized[0]))).run(tensors)).report;
    expect(gated(fused)).toEqual([]);
    for (const rep of [stored, fused]) {
      expect(projections(rep)).toEqual([]);
      expect(valuesOf(rep).map((b) => b.holds).join('\n')).not.toMatch(/= (div|sigmoid|relu|split_heads|outer) /);
    }
  });

  it('intermediates whose lifetimes do not overlap share one buffer, listed with each value it holds', async () => {
    // a is dead once b is written, so c can take a's buffer; b is read by the kernel writing c, so not b's.
    const source = 'block t {\n  input x: [N, C]\n  param w: [C, C]\n  let a = x @ w\n  let b = a @ w\n  let c = b @ w\n  output y = c @ w\n}\n';
    const [N, C] = [40, 6];
    const g = compileSource(source, 't.saga').graphs[0];
    const tensors = tensorsFor(g, { N, C });
    const { report, outputs } = await (await Executor.create(gpu, generatePlan(g))).run(tensors);
    // x lends its buffer once read (the run uploaded it): b takes it, then the output y, written
    // after b's last reader, keeps it to the end.
    const shared = report.buffers.filter((b) => b.values);
    expect(shared).toHaveLength(2);
    expect(shared[0].values!.map((v) => v.holds)).toEqual(['input x', expect.stringMatching(/\(b\)$/), expect.stringMatching(/\(y\)$/)]);
    expect(shared[1].values!.map((v) => v.holds)).toEqual([expect.stringMatching(/\(a\)$/), expect.stringMatching(/\(c\)$/)]);
    expect(shared.map((b) => [b.bytes, b.usage])).toEqual([
      [N * C * 4, 'output'],
      [N * C * 4, 'intermediate'],
    ]);
    expect(valuesOf(report).filter((b) => b.holds.includes('matmul')).map((b) => b.shape)).toEqual([[N, C], [N, C], [N, C], [N, C]]);
    // The value is right: y = x w w w w, in float64 here.
    let m = Array.from(tensors.x.data);
    for (let r = 0; r < 4; r++) {
      const next = new Array<number>(N * C).fill(0);
      for (let i = 0; i < N; i++) for (let j = 0; j < C; j++) for (let k = 0; k < C; k++) next[i * C + j] += m[i * C + k] * tensors.w.data[k * C + j];
      m = next;
    }
    const scale = Math.max(...m.map(Math.abs));
    expect(Math.max(...m.map((v, i) => Math.abs(v - outputs.y.data[i]))) / scale).toBeLessThan(1e-5);
  });
});
