// Token-chunked runs (RunOptions.tokenChunk): every chunkable example, fused and unfused, run a
// chunk of tokens at a time on the GPU against the float64 interpreter on the whole input
// (normwise relative error ≤ 1e-4); every reduction kind; the memory it saves; and the errors.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { SagaError } from '../../runtime/errors.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';
import type { Graph } from '../../compiler/ir.js';
import { runStorageBytes } from '../../runtime/chunks.js';

const TOL = 1e-4;
let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

function compiled(source: string, file: string) {
  const r = compileSource(source, file);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r;
}

/** Random inputs and params of `g` at the given dims (weights scaled so activations stay O(1)). */
function tensorsFor(g: Graph, dims: Record<string, number>, seed: number): Record<string, Tensor> {
  const next = rng(seed);
  const out: Record<string, Tensor> = {};
  for (const n of g.nodes) {
    if (n.op !== 'input') continue;
    const shape = n.shape.map((d) => (d.sym === null ? d.num / d.den : (dims[d.sym] * d.num) / d.den));
    const t = randomTensor(shape, next);
    out[n.name] = n.role === 'param' ? { shape, data: t.data.map((v) => v / Math.sqrt(shape[0])) } : t;
  }
  return out;
}

async function runChunked(g: Graph, tensors: Record<string, Tensor>, tokenChunk?: number, dims?: Record<string, number>, kvProjections = true) {
  const ex = await Executor.create(gpu, generatePlan(g, { ...(dims ? { dims: new Map(Object.entries(dims)) } : {}), kvProjections }));
  return ex.run(tensors, tokenChunk === undefined ? {} : { tokenChunk });
}

const CHUNKABLE = ['saga.saga', 'linear.saga', 'linear_relu.saga', 'key_gate.saga', 'value_gate.saga', 'saga_focused.saga', 'saga_n2.saga', 'saga_n3.saga'];

describe('token chunks on the GPU', () => {
  it.each(CHUNKABLE)('%s: chunked (fused and unfused) matches the float64 interpreter on the whole input', async (file) => {
    const r = compiled(readFileSync(`examples/${file}`, 'utf8'), file);
    const dims = { B: 4, N: 48, C: 16 };
    const tensors = tensorsFor(r.graphs[0], dims, 7);
    const want = interpret(r.graphs[0], tensors);
    for (const g of [r.optimized[0], r.graphs[0]]) {
      // Within a batch element (16: three chunks to combine), one element, two elements at a time.
      for (const chunk of [16, 48, 96]) {
        const got = await runChunked(g, tensors, chunk);
        for (const o of g.outputs) {
          expect(got.outputs[o.name].shape).toEqual(want[o.name].shape);
          expect(maxRelativeError(got.outputs[o.name].data, want[o.name].data)).toBeLessThanOrEqual(TOL);
        }
      }
    }
  });

  it('combines every reduction kind (sum, mean, max, norm) across chunks, four reductions a dispatch', async () => {
    const source = [
      'block red {',
      '  input x: [B, N, C]',
      '  param w: [C, C]',
      '  let h = x @ w',
      // Five reductions: one combine dispatch for four of them, one for the fifth (COMBINE_GROUP).
      '  output y = h * amax(h, N, keep = true) + norm(h, N, keep = true) - sum(relu(h), N, keep = true) / 8 + mean(h, N, keep = true) * mean(sigmoid(h), N, keep = true)',
      '}',
      '',
    ].join('\n');
    const r = compiled(source, 'red.saga');
    const tensors = tensorsFor(r.graphs[0], { B: 3, N: 64, C: 8 }, 3);
    const want = interpret(r.graphs[0], tensors).y.data;
    for (const g of [r.optimized[0], r.graphs[0]]) {
      const got = await runChunked(g, tensors, 32);
      expect(maxRelativeError(got.outputs.y.data, want)).toBeLessThanOrEqual(TOL);
    }
  });

  it('holds chunk-sized intermediates: the fused SAGA block in 8 chunks holds under a quarter of x and y besides them', async () => {
    const r = compiled(readFileSync('examples/saga.saga', 'utf8'), 'saga.saga');
    const tensors = tensorsFor(r.graphs[0], { B: 1, N: 1024, C: 64 }, 5);
    // Each plan compiled at the sizes its kernels run at (the KV reduction's partial sums follow N).
    // With a ⊙ k and b ⊙ v stored (kvProjections false): computed inside the KV reduction, the
    // whole run holds x and y alone (x's buffer lent to o once read), nothing for chunks to save.
    const whole = await runChunked(r.optimized[0], tensors, undefined, { B: 1, N: 1024, C: 64 }, false);
    const chunked = await runChunked(r.optimized[0], tensors, 128, { B: 1, N: 128, C: 64 }, false);
    expect(maxRelativeError(chunked.outputs.y.data, whole.outputs.y.data)).toBeLessThanOrEqual(TOL);
    // x and y stay whole in both (y shares a slot with intermediates in the whole run); the whole
    // run's other intermediates hold a ⊙ k and b ⊙ v, then q and o, of 1024 tokens, the chunked one of 128.
    const bytes = (rep: typeof whole.report, usage: string) => rep.buffers.filter((b) => b.usage === usage).reduce((s, b) => s + b.bytes, 0);
    const xy = 2 * 1024 * 64 * 4;
    expect(bytes(whole.report, 'intermediate') + bytes(whole.report, 'output')).toBeGreaterThan(xy);
    expect(bytes(chunked.report, 'output')).toBe(xy / 2);
    expect(bytes(chunked.report, 'intermediate')).toBeLessThan(xy / 4);
    // 8 chunks: the reductions' 4 kernels and the outputs' 3 each dispatched 8 times.
    expect(chunked.report.tokenChunks).toEqual({ tokenChunk: 128, chunks: 8 });
    expect(chunked.report.kernels.map((k) => k.dispatches)).toEqual(chunked.report.kernels.map(() => 8));
    // runStorageBytes predicts what the executor allocates, whole and in chunks.
    const storage = (rep: typeof whole.report) => ['input', 'param', 'intermediate', 'output'].reduce((sum, u) => sum + bytes(rep, u), 0);
    const dims = new Map([['B', 1], ['N', 1024], ['C', 64]]);
    expect(runStorageBytes(generatePlan(r.optimized[0], { dims, kvProjections: false }), dims)).toBe(storage(whole.report));
    expect(runStorageBytes(generatePlan(r.optimized[0], { dims: new Map([...dims, ['N', 128]]), kvProjections: false }), dims, 128)).toBe(storage(chunked.report));
    // And by default: the whole run holds x and y and the small state only.
    const inside = await runChunked(r.optimized[0], tensors, undefined, { B: 1, N: 1024, C: 64 });
    expect(storage(inside.report) - bytes(inside.report, 'param')).toBeLessThan(1.1 * xy);
    expect(runStorageBytes(generatePlan(r.optimized[0], { dims }), dims)).toBe(storage(inside.report));
  });

  it('runs inputs larger than a storage binding may be, a chunk at a time', async () => {
    const r = compiled(readFileSync('examples/saga.saga', 'utf8'), 'saga.saga');
    const tensors = tensorsFor(r.graphs[0], { B: 2, N: 256, C: 32 }, 11);
    // x and y are 64 KiB each; bindings limited to 16 KiB (4 KiB chunks: 32 tokens of 32 floats).
    // Compiled at the chunk's sizes, so the KV reduction's partial sums are sized for 32 tokens too.
    const plan = generatePlan(r.optimized[0], { dims: new Map([['B', 1], ['N', 32], ['C', 32]]) });
    const ex = await Executor.create(gpu, plan, { limits: { maxStorageBufferBindingSize: 16384 } });
    await expect(ex.run(tensors)).rejects.toThrow(/^buffer '\w+' needs \d+ bytes, more than this device can bind \(maxStorageBufferBindingSize 16384/);
    const got = await ex.run(tensors, { tokenChunk: 32 });
    expect(maxRelativeError(got.outputs.y.data, interpret(r.graphs[0], tensors).y.data)).toBeLessThanOrEqual(TOL);
  });

  it('with f16 storage too, where a reduction has an odd element count (f16 pads it)', async () => {
    if (!gpu.device.features.has('shader-f16')) return expect(gpu.adapter.features.has('shader-f16')).toBe(false);
    const source = 'block odd {\n  input x: [B, N, C]\n  param w: [C, C]\n  let h = x @ w\n  output y = h * mean(sigmoid(h), N, keep = true)\n}\n';
    const r = compiled(source, 'odd.saga');
    // C = 5: the mean holds 5 values a batch element; 128 tokens of 5 f16 are 1280 bytes.
    const tensors = tensorsFor(r.graphs[0], { B: 2, N: 256, C: 5 }, 13);
    const want = interpret(r.graphs[0], tensors).y.data;
    const ex = await Executor.create(gpu, generatePlan(r.optimized[0], { precision: 'f16' }));
    const whole = (await ex.run(tensors)).outputs.y.data;
    const chunked = (await ex.run(tensors, { tokenChunk: 128 })).outputs.y.data;
    // f16 storage: the documented floor (1e-2) against float64, and the chunked run as close as the whole one.
    expect(maxRelativeError(whole, want)).toBeLessThanOrEqual(1e-2);
    expect(maxRelativeError(chunked, want)).toBeLessThanOrEqual(1e-2);
    expect(maxRelativeError(chunked, whole)).toBeLessThanOrEqual(5e-3);
  });

  it('times each kernel over all chunks with profile, plus the combines', async () => {
    const r = compiled(readFileSync('examples/linear.saga', 'utf8'), 'linear.saga');
    const tensors = tensorsFor(r.graphs[0], { B: 2, N: 64, C: 16 }, 9);
    const ex = await Executor.create(gpu, generatePlan(r.optimized[0]));
    const res = await ex.run(tensors, { tokenChunk: 32, profile: true, repeatKernels: 2 });
    expect(res.kernelsWallMs).toBeGreaterThan(0);
    if (gpu.device.features.has('timestamp-query')) {
      expect(res.kernelMs?.map((k) => k.name)).toEqual([...ex.plan.kernels.map((k) => k.name), 'combine_chunks']);
    }
    expect(maxRelativeError(res.outputs.y.data, interpret(r.graphs[0], tensors).y.data)).toBeLessThanOrEqual(TOL);
  });
});

describe('token chunks: errors', () => {
  const saga = () => compiled(readFileSync('examples/saga.saga', 'utf8'), 'saga.saga');

  it('refuses a block that needs every token at once, saying which op and where', async () => {
    const r = compiled(readFileSync('examples/softmax.saga', 'utf8'), 'softmax.saga');
    const tensors = tensorsFor(r.graphs[0], { B: 1, N: 32, C: 16 }, 1);
    const err = await runChunked(r.optimized[0], tensors, 16).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SagaError);
    expect((err as SagaError).message).toMatch(/^block \w+ cannot run in token chunks: softmax attention \(%\d+\) reads every token for each \(softmax\.saga:\d+:\d+\)$/);
  });

  it('refuses a chunk that does not divide N, listing divisors', async () => {
    const r = saga();
    const tensors = tensorsFor(r.graphs[0], { B: 1, N: 48, C: 16 }, 1);
    const err = await runChunked(r.optimized[0], tensors, 20).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SagaError);
    expect((err as SagaError).message).toBe('tokenChunk 20 does not divide N = 48 into whole chunks');
    const across = await runChunked(r.optimized[0], { ...tensors, x: tensorsFor(r.graphs[0], { B: 4, N: 48, C: 16 }, 1).x }, 72).catch((e: unknown) => e);
    expect((across as SagaError).message).toBe('tokenChunk 72 does not divide N = 48 into whole chunks or whole batch elements (a multiple of 48 dividing B·N = 192)');
    expect((err as SagaError).hint).toBe('use a divisor of 48: …, 6, 8, 12, 16, 24, 48');
  });

  it('refuses chunks that would start a buffer off the storage offset alignment, naming it', async () => {
    const r = saga();
    const tensors = tensorsFor(r.graphs[0], { B: 1, N: 48, C: 4 }, 1);
    const err = await runChunked(r.optimized[0], tensors, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SagaError);
    expect((err as SagaError).message).toMatch(/^token chunks of 3 tokens start 'x' at offsets that are not multiples of \d+ bytes \(minStorageBufferOffsetAlignment\)$/);
  });
});
