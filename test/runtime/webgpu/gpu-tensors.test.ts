// Inputs already on the GPU and outputs left there: the executor binds a caller's buffer as it is
// (same result as uploading the same values), refuses one it cannot read, and hands output buffers
// over without reading them back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import { inputsOf, paramsOf } from '../../../compiler/ir.js';
import { interpret } from '../../../runtime/interpreter.js';
import { randomTensor, rng } from '../../../runtime/random.js';
import { evalShape } from '../../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../../..');
const r = compileSource(readFileSync(join(root, 'examples/linear.saga'), 'utf8'), 'examples/linear.saga');
const g = r.graphs[0];
const env = new Map([['B', 1], ['N', 40], ['C', 8]]);
const next = rng(2);
const t: Record<string, Tensor> = Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next)]));

describe('GPU tensors', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('takes an input buffer, leaves the output on the GPU, and refuses a buffer without STORAGE', async () => {
    const ex = await Executor.create(gpu, generatePlan(r.optimized[0]), { keepBuffers: true });
    const x = Float32Array.from(t.x.data);
    const buf = gpu.device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    gpu.device.queue.writeBuffer(buf, 0, x);
    const want = interpret(g, t).y.data;
    const run = await ex.run({ ...t, x: { shape: t.x.shape, buffer: buf } }, { outputs: 'buffers' });
    expect(run.outputs).toEqual({});
    const y = run.buffers!.y;
    expect(y.shape).toEqual([1, 40, 8]);
    // The report lists the caller's buffer as the input, not a copy.
    expect(run.report.buffers.filter((b) => b.name === 'x')).toHaveLength(1);
    const read = gpu.device.createBuffer({ size: y.buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = gpu.device.createCommandEncoder();
    enc.copyBufferToBuffer(y.buffer, 0, read, 0, y.buffer.size);
    gpu.device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    expect(maxRelativeError(new Float32Array(read.getMappedRange().slice(0)), want)).toBeLessThan(1e-4);
    read.destroy();

    const unreadable = gpu.device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.COPY_DST });
    await expect(ex.run({ ...t, x: { shape: t.x.shape, buffer: unreadable } })).rejects.toThrow(/input 'x' is a GPU buffer without STORAGE usage/);
    ex.destroy();
    buf.destroy();
    unreadable.destroy();
  });
});
