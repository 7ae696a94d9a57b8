// The flash-attention pass: softmax(q @ transpose(k) * scale, -1) @ v as one kernel (running max,
// running sum, rescaled accumulator over key tiles). Checked against the float64 interpreter of
// the block as written (lse softmax, then the matmul) at key counts that are not a multiple of
// the key tile, up to 2048 keys, head dims 16..160 (160 > the accumulator's 128 channels, so
// chunked), and logits in the thousands; max relative error 1e-4. The plan must hold no
// [Nq, Nk] buffer: its peak memory (the executor's allocation report) is q, k, v and the output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { maxRelativeError } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const src = (scale: number) => `block attn {
  input q: [B, N, D]
  input k: [B, M, D]
  input v: [B, M, E]
  output y = softmax(q @ transpose(k) * ${scale}, -1) @ v
}`;

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

describe('flash attention', () => {
  it('fires on softmax attention (one kernel) and keeps the block as written unfused', () => {
    const r = compileSource(src(0.25), 'attn.saga', { verify: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.optimized[0].nodes.filter((n) => n.op === 'attention')).toHaveLength(1);
    expect(r.graphs[0].nodes.some((n) => n.op === 'attention')).toBe(false);
    expect(generatePlan(r.optimized[0]).kernels.map((k) => k.name)).toEqual(['attention_y']);
  });

  it('does not fire when the probabilities are read elsewhere', () => {
    const r = compileSource(`block attn {
  input q: [B, N, D]
  input k: [B, M, D]
  input v: [B, M, E]
  let p = softmax(q @ transpose(k) * 0.5, -1)
  output y = p @ v
  output probs = p
}`, 'attn.saga', { verify: true });
    expect(r.optimized[0].nodes.some((n) => n.op === 'attention')).toBe(false);
  });

  it.each([
    { B: 2, N: 37, M: 19, D: 16, E: 16, scale: 0.25, spread: 1 },
    { B: 1, N: 65, M: 2048, D: 64, E: 64, scale: 0.125, spread: 1 },
    { B: 1, N: 2047, M: 2047, D: 32, E: 32, scale: 0.177, spread: 1 },
    { B: 1, N: 33, M: 301, D: 128, E: 128, scale: 0.088, spread: 1 },
    { B: 1, N: 9, M: 77, D: 160, E: 160, scale: 0.08, spread: 1 },
    { B: 1, N: 31, M: 129, D: 16, E: 8, scale: 1, spread: 40 }, // logits in the thousands
  ])('matches the interpreter at B=$B N=$N M=$M D=$D E=$E (logit spread $spread)', async ({ B, N, M, D, E, scale, spread }) => {
    const r = compileSource(src(scale), 'attn.saga', { verify: true });
    const next = rng(N * M + D);
    const t = { q: randomTensor([B, N, D], next, spread), k: randomTensor([B, M, D], next, spread), v: randomTensor([B, M, E], next) };
    const want = interpret(r.graphs[0], t).y.data;
    // The attention node's own float64 evaluation agrees with the block as written.
    expect(maxRelativeError(interpret(r.optimized[0], t).y.data, want)).toBeLessThanOrEqual(1e-12);
    const run = await (await Executor.create(gpu, generatePlan(r.optimized[0]))).run(t);
    expect(run.outputs.y.data.every(Number.isFinite)).toBe(true);
    expect(maxRelativeError(run.outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
    // No [N, M] scores: the storage buffers are q, k, v and y alone, and the peak is them plus
    // the small uniform and read-back buffers.
    const storage = run.report.buffers.filter((b) => ['input', 'param', 'intermediate', 'output'].includes(b.usage));
    expect(storage.map((b) => b.name).sort()).toEqual(['k', 'q', 'v', 'y']);
    const tensors = 4 * B * (N * D + M * D + M * E + N * E);
    expect(storage.reduce((a, b) => a + b.bytes, 0)).toBe(tensors);
    expect(run.report.peakBytes).toBeLessThanOrEqual(tensors + 4 * B * N * E + 4096);
    // The block as written stores the scores (more than once): its peak exceeds them.
    const unfused = await (await Executor.create(gpu, generatePlan(r.graphs[0]))).run(t);
    expect(maxRelativeError(unfused.outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
    expect(unfused.report.peakBytes).toBeGreaterThan(tensors + 4 * B * N * M);
    console.log(`N=${N} M=${M} D=${D}: flash peak ${run.report.peakBytes} B, ${run.report.kernels.length} kernel(s); as written ${unfused.report.peakBytes} B, ${unfused.report.kernels.length} kernels; error ${maxRelativeError(run.outputs.y.data, want).toExponential(2)}`);
  });
});
