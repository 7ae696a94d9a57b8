// Every example, end to end: compiled, run on WebGPU, and compared with the float64 interpreter
// on random inputs, over shapes that stress the bounds checks: N = 1, 7 and 1000, C not a
// multiple of 4, 1, 2 or 5 heads. Tolerance: normwise relative error 1e-4.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const dir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.saga')).sort();
let gpu: GpuContext;

beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

/** The example with its head count replaced, so one file covers 1, 2 and 5 heads. */
function compileWithHeads(file: string, heads: number) {
  const source = readFileSync(join(dir, file), 'utf8').replace(/const heads = \d+/, `const heads = ${heads}`);
  const r = compileSource(source, `examples/${file}`, { verify: true });
  expect(r.diagnostics).toEqual([]);
  return { unfused: r.graphs[0], fused: r.optimized[0] };
}

function tensorsFor(g: Graph, dims: Record<string, number>, seed: number): Record<string, Tensor> {
  const env = new Map(Object.entries(dims));
  const next = rng(seed);
  const out: Record<string, Tensor> = {};
  for (const n of inputsOf(g)) out[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(g)) out[n.name] = randomTensor(evalShape(n.shape, env), next, 0.5);
  return out;
}

const cases = [
  { heads: 1, B: 1, N: 1, C: 3 },
  { heads: 2, B: 2, N: 7, C: 6 },
  { heads: 5, B: 1, N: 7, C: 15 },
  { heads: 2, B: 1, N: 1000, C: 10 },
  { heads: 5, B: 2, N: 1000, C: 10 },
];

describe.each(examples)('%s on WebGPU matches the float64 interpreter', (file) => {
  it.each(cases)('heads=$heads B=$B N=$N C=$C, fused and unfused', async ({ heads, ...given }) => {
    // PVT's patch grid needs whole rows of 2x2 patches on its 8-wide grid: N rounded up to 16.
    const dims = file === 'pvt_sra.saga' ? { ...given, N: Math.ceil(given.N / 16) * 16 } : given;
    const { unfused, fused } = compileWithHeads(file, heads);
    const tensors = tensorsFor(unfused, dims, heads * 1000 + dims.N);
    // The reference is the block as written, in float64.
    const want = interpret(unfused, tensors);
    for (const g of [unfused, fused]) {
      const executor = await Executor.create(gpu, generatePlan(g));
      const got = await executor.run(tensors);
      for (const o of g.outputs) {
        expect(got.outputs[o.name].shape).toEqual(want[o.name].shape);
        expect(maxRelativeError(got.outputs[o.name].data, want[o.name].data)).toBeLessThanOrEqual(1e-4);
      }
    }
  });
});
