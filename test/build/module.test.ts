// Generated modules as users get them: they type-check under strict tsc importing only the runtime
// entry, and they run on WebGPU with the interpreter's results.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../codegen/ts/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type GpuTensor, type Tensor32 } from '../../runtime/tensor.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';
import { quietBuild, removeScratch, repo, runtimeEntry, scratch } from './helpers.js';

afterAll(removeScratch);

describe('generated modules type-check', () => {
  it('every example, strict, with only `sagac/runtime` mapped to the runtime entry', async () => {
    const dir = scratch('tsc');
    expect((await quietBuild({ patterns: ['examples/*.saga'], out: join(dir, 'generated') })).code).toBe(0);
    // A user's file: the types must be precise enough to catch these mistakes.
    writeFileSync(
      join(dir, 'use.ts'),
      `import { acquireDevice } from 'sagac/runtime';
import { createSaga, sagaPlan, type SagaInputs, type SagaParams } from './generated/saga.js';
export async function use(params: SagaParams, inputs: SagaInputs): Promise<number> {
  const block = await createSaga(await acquireDevice(), params);
  const { y } = await block.run(inputs);
  const [b, n, c]: readonly [number, number, number] = y.shape;
  // @ts-expect-error: x has rank 3
  const bad: SagaInputs = { x: { shape: [1, 2], data: new Float32Array(2) } };
  void bad;
  block.destroy();
  return b * n * c + block.kernels.length + sagaPlan.kernels.length;
}
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          noUnusedLocals: true,
          types: ['node', '@webgpu/types'],
          paths: { 'sagac/runtime': [runtimeEntry] },
        },
        include: ['generated', 'use.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});

describe('a generated module on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it.each(['saga', 'linear'])('%s: output equals the float64 interpreter (1e-4 normwise); bad shapes name the tensor and dim', async (name) => {
    const file = `examples/${name}.saga`;
    const source = readFileSync(join(repo, file), 'utf8');
    const dir = scratch(`run-${name}`);
    const r = await generateFiles(source, file, { runtime: runtimeEntry });
    for (const f of r.files.filter((f) => f.path.endsWith('.ts'))) writeFileSync(join(dir, f.path), f.contents);
    const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as Record<string, unknown>;
    const create = mod[`create${name[0].toUpperCase()}${name.slice(1)}`] as (
      g: GpuContext,
      p: Record<string, Tensor32>,
    ) => Promise<{
      run(i: Record<string, Tensor32 | GpuTensor>, o?: { tokenChunk?: number }): Promise<Record<string, Tensor32>>;
      runToBuffers(i: Record<string, Tensor32 | GpuTensor>): Promise<Record<string, GpuTensor>>;
      selfTest(): Promise<{ pass: boolean; kernels: readonly { arm: string; kernel: string; error: number }[] }>;
      destroy(): void;
      kernels: readonly { name: string; wgsl: string }[];
    }>;

    const graph = compileSource(source, file).graphs[0];
    const env = new Map(Object.entries({ B: 2, N: 7, C: 6 }));
    const next = rng(42);
    const tensor = (shape: readonly number[], scale = 1): Tensor32 => ({ shape, data: Float32Array.from(randomTensor(shape, next, scale).data) });
    const params = Object.fromEntries(paramsOf(graph).map((p) => [p.name, tensor(evalShape(p.shape, env), 0.5)]));
    const inputs = Object.fromEntries(inputsOf(graph).map((p) => [p.name, tensor(evalShape(p.shape, env))]));

    const block = await create(gpu, params);
    try {
      expect(block.kernels.length).toBeGreaterThan(0);
      const got = await block.run(inputs);
      const want = interpret(graph, { ...inputs, ...params });
      for (const o of graph.outputs) {
        expect(got[o.name].shape).toEqual(want[o.name].shape);
        expect(maxRelativeError(got[o.name].data, want[o.name].data)).toBeLessThanOrEqual(1e-4);
      }
      await expect(block.run({ x: tensor([2, 7, 5]) })).rejects.toThrow(/'x' has size 5 on axis 2, expected C \(C = 6\)/);

      // Token chunks (32 of 64 tokens, rows of 24 bytes: chunks start at multiples of 256 bytes).
      const long = { x: tensor([2, 64, 6]) };
      const chunked = await block.run(long, { tokenChunk: 32 });
      const wantLong = interpret(graph, { ...long, ...params });
      for (const o of graph.outputs) expect(maxRelativeError(chunked[o.name].data, wantLong[o.name].data)).toBeLessThanOrEqual(1e-4);

      // GPU buffers in, GPU buffers out: the same result without host copies in between.
      const x = inputs.x;
      const onGpu = gpu.device.createBuffer({ size: x.data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      gpu.device.queue.writeBuffer(onGpu, 0, new Float32Array(x.data));
      const fromGpu = await block.run({ x: { shape: x.shape, buffer: onGpu } });
      const y = graph.outputs[0].name;
      expect(Array.from(fromGpu[y].data)).toEqual(Array.from(got[y].data));
      const left = await block.runToBuffers({ x: { shape: x.shape, buffer: onGpu } });
      expect(left[y].shape).toEqual(got[y].shape);
      expect(Array.from(await readBack(gpu, left[y].buffer, got[y].data.length))).toEqual(Array.from(got[y].data));
      left[y].buffer.destroy();
      const small = gpu.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
      await expect(block.run({ x: { shape: x.shape, buffer: small } })).rejects.toThrow(/input 'x' is a GPU buffer of 16 bytes but shape \[2, 7, 6\] needs 336/);
      onGpu.destroy();
      small.destroy();

      // The module's self-check: every kernel, fused and as written, against the float64 interpreter.
      const check = await block.selfTest();
      expect(check.pass).toBe(true);
      expect(check.kernels.filter((k) => k.arm === 'fused').length).toBeGreaterThanOrEqual(block.kernels.length - 3);
      expect(check.kernels.filter((k) => k.arm === 'unfused').length).toBeGreaterThan(check.kernels.filter((k) => k.arm === 'fused').length);
    } finally {
      block.destroy();
    }
    await expect(create(gpu, { ...params, w_q: tensor([6, 4]) })).rejects.toThrow(/param 'w_q' has size 4 on axis 1, expected C/);
  });
});

async function readBack(gpu: GpuContext, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  const read = gpu.device.createBuffer({ size: count * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = gpu.device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, read, 0, count * 4);
  gpu.device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  return out;
}
