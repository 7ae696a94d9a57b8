// Both matmul tile sizes (64, the default, and 128) against the float64 interpreter, on
// sizes that leave partial tiles everywhere; 1e-4 normwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../..');
let ctx: GpuContext;
beforeAll(async () => {
  ctx = await acquireDevice();
});
afterAll(() => ctx?.device.destroy());

describe.each([64, 128] as const)('matmul tile %i', (tile) => {
  it.each([
    ['examples/saga.saga', { B: 2, N: 77, C: 12 }],
    ['examples/saga_n2.saga', { B: 1, N: 130, C: 132 }],
    ['examples/linear.saga', { B: 3, N: 200, C: 260 }],
  ] as const)('%s matches the interpreter, fused and unfused', async (file, env) => {
    const r = compileSource(readFileSync(join(root, file), 'utf8'), file);
    const g = r.graphs[0];
    const next = rng(7);
    const m = new Map(Object.entries(env));
    const t: Record<string, Tensor> = Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
    const want = interpret(g, t).y.data;
    for (const graph of [r.optimized[0], g]) {
      const ex = await Executor.create(ctx, generatePlan(graph, { matmulTile: tile }));
      try {
        expect(maxRelativeError((await ex.run(t)).outputs.y.data, want)).toBeLessThan(1e-4);
      } finally {
        ex.destroy();
      }
    }
  });
});
