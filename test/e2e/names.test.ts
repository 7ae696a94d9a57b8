// DSL names become WGSL identifiers (buffers, loader functions). Names that collide with WGSL
// keywords, builtins or sagac's own internal identifiers must be mangled, never break a kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { maxRelativeError } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

const NAMES = ['main', 'u', 'fn', 'i', 'acc', 'wid', 'lidx', 'ld_main', 'mm_ta', 'rd_sh', 'saga_sigmoid', 'c0', 'lhs', 'arg', 'f32', 'array', 'var', 'return', 'bitcast', 'e_r', 'v0', 'workgroupBarrier'];

describe('names from the DSL in generated WGSL', () => {
  it('keywords, builtins and internal names compile and compute correctly, fused and unfused', async () => {
    // A chain through every name, mixing ops that fuse (elementwise) and ops that don't (matmul, sum).
    const lines = ['input x: [N, C]', 'param w: [C, C]', `let ${NAMES[0]} = x @ w`];
    for (let k = 1; k < NAMES.length; k++) {
      const prev = NAMES[k - 1];
      const expr = [`sigmoid(${prev})`, `${prev} @ w`, `${prev} * 2 - x`, `relu(${prev}) + sum(${prev}, C, keep = true)`][k % 4];
      lines.push(`let ${NAMES[k]} = ${expr}`);
    }
    lines.push(`output y = ${NAMES[NAMES.length - 1]}`);
    const source = `block b {\n  ${lines.join('\n  ')}\n}\n`;
    const r = compileSource(source, 'names.saga', { verify: true });
    expect(r.diagnostics).toEqual([]);
    const next = rng(5);
    const tensors = { x: randomTensor([7, 5], next), w: randomTensor([5, 5], next, 0.4) };
    const want = interpret(r.graphs[0], tensors).y.data;
    for (const g of [r.graphs[0], r.optimized[0]]) {
      const executor = await Executor.create(gpu, generatePlan(g));
      const got = await executor.run(tensors);
      expect(maxRelativeError(got.outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
    }
  });
});
