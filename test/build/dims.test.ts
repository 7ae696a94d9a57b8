// `sagac build --dim`: modules whose fused plans are made for given sizes read and write rows of 4
// floats as vec4s, run with the float64 interpreter's results, and refuse sizes that break a row
// width they rely on. Tolerance as for other modules: 1e-4 normwise.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/common.js';
import { generateFiles } from '../../codegen/ts/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor32 } from '../../runtime/tensor.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';
import { quietBuild, readTree, removeScratch, repo, runtimeEntry, scratch } from './helpers.js';

afterAll(removeScratch);

describe('sagac build --dim', () => {
  it('makes the fused kernels for the sizes: vec4 rows, a header line, the same bytes every time', async () => {
    const dir = scratch('dims');
    const built = await quietBuild({ patterns: ['examples/saga.saga', 'examples/linear.saga'], out: join(dir, 'a'), dims: ['C=64'] });
    expect(built.code).toBe(0);
    await quietBuild({ patterns: ['examples/saga.saga', 'examples/linear.saga'], out: join(dir, 'b'), dims: ['C=64'] });
    await quietBuild({ patterns: ['examples/saga.saga', 'examples/linear.saga'], out: join(dir, 'plain') });
    const [a, b, plain] = ['a', 'b', 'plain'].map((d) => readTree(join(dir, d)));
    expect([...a]).toEqual([...b]);
    expect(a.get('saga.ts')).toContain('// Kernels made for C=64 (sagac build --dim).');
    expect(plain.get('saga.ts')).not.toContain('Kernels made for');
    const wgsl = (tree: Map<string, string>) => [...tree].filter(([p]) => p.endsWith('.wgsl')).map(([, text]) => text);
    expect(wgsl(a).filter((w) => w.includes('array<vec4<f32>>')).length).toBeGreaterThan(0);
    expect(wgsl(plain).some((w) => w.includes('array<vec4<f32>>'))).toBe(false);
    // The same kernel files (names), only their bodies differ.
    expect([...a.keys()]).toEqual([...plain.keys()]);
    // Unfused plans too, as `sagac run --no-fuse` makes them at known sizes.
    await quietBuild({ patterns: ['examples/saga.saga'], out: join(dir, 'unfused'), dims: ['C=64'], fuse: false });
    expect(wgsl(readTree(join(dir, 'unfused'))).some((w) => w.includes('array<vec4<f32>>'))).toBe(true);
  });

  it('refuses a malformed flag, a repeated name and a name no block uses', async () => {
    const out = join(scratch('dims-bad'), 'g');
    const attempt = (dims: string[]) => quietBuild({ patterns: ['examples/saga.saga'], out, dims });
    await expect(attempt(['C=sixty'])).rejects.toThrow(UsageError);
    await expect(attempt(['C=sixty'])).rejects.toThrow(/--dim expects NAME=SIZE .*got 'C=sixty'/);
    await expect(attempt(['C=0'])).rejects.toThrow(/positive whole number/);
    await expect(attempt(['C=64', 'C=32'])).rejects.toThrow(/--dim C given twice/);
    await expect(attempt(['D=64'])).rejects.toThrow(/--dim D: no block here uses it \(their dims: B, C, N\)/);
  });
});

describe('a module built for C=8 on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it.each([
    ['C only', new Map([['C', 8]])],
    ['every dim', new Map([['B', 2], ['N', 64], ['C', 8]])],
  ])('saga, %s: equals the float64 interpreter at C = 8 and refuses params with C = 6 naming the kernel', async (_label, dims) => {
    const file = 'examples/saga.saga';
    const source = readFileSync(join(repo, file), 'utf8');
    const dir = scratch('dims-run');
    const r = await generateFiles(source, file, { runtime: runtimeEntry, dims });
    for (const f of r.files.filter((f) => f.path.endsWith('.ts'))) writeFileSync(join(dir, f.path), f.contents);
    const { createSaga } = (await import(pathToFileURL(join(dir, 'saga.ts')).href)) as {
      createSaga(g: GpuContext, p: Record<string, Tensor32>): Promise<{ run(i: Record<string, Tensor32>): Promise<Record<string, Tensor32>>; destroy(): void; kernels: readonly { name: string; wgsl: string }[] }>;
    };
    const graph = compileSource(source, file).graphs[0];
    const next = rng(7);
    const tensor = (shape: readonly number[], scale = 1): Tensor32 => ({ shape, data: Float32Array.from(randomTensor(shape, next, scale).data) });
    const paramsAt = (env: Map<string, number>) => Object.fromEntries(paramsOf(graph).map((p) => [p.name, tensor(evalShape(p.shape, env), 0.5)]));

    const env = new Map([['B', 2], ['N', 64], ['C', 8]]);
    const params = paramsAt(env);
    const inputs = Object.fromEntries(inputsOf(graph).map((p) => [p.name, tensor(evalShape(p.shape, env))]));
    const block = await createSaga(gpu, params);
    try {
      expect(block.kernels.some((k) => k.wgsl.includes('array<vec4<f32>>'))).toBe(true);
      const got = await block.run(inputs);
      const want = interpret(graph, { ...inputs, ...params });
      expect(maxRelativeError(got.y.data, want.y.data)).toBeLessThanOrEqual(1e-4);
    } finally {
      block.destroy();
    }
    // C = 6: heads of 3 floats, not a multiple of 4 — refused when the params settle C, before any run.
    await expect(createSaga(gpu, paramsAt(new Map([['C', 6]])))).rejects.toThrow(/kernel \w+ reads or writes rows of \S+ floats four at a time/);
  });
});
