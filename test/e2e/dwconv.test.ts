// dwconv (the depthwise k×k local term on V): the interpreter and the WebGPU kernel, fused and
// unfused, against the convolution written here on an explicit zero-padded 2-D grid. Lengths
// that are not a multiple of the width leave the last grid row partial (missing tokens are zero).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

/** Tokens onto a rows × width grid padded by `half` zeros, then a k×k window per output. */
function reference(x: Tensor, w: Tensor, width: number): Float64Array {
  const [B, N, C] = x.shape;
  const k = w.shape[0];
  const half = (k - 1) / 2;
  const rows = Math.ceil(N / width);
  const out = new Float64Array(B * N * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const grid = Array.from({ length: rows + 2 * half }, () => new Array<number>(width + 2 * half).fill(0));
      for (let t = 0; t < N; t++) grid[Math.floor(t / width) + half][(t % width) + half] = x.data[(b * N + t) * C + c];
      for (let t = 0; t < N; t++) {
        const [r, q] = [Math.floor(t / width), t % width];
        let acc = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) acc += grid[r + i][q + j] * w.data[(i * k + j) * C + c];
        out[(b * N + t) * C + c] = acc;
      }
    }
  }
  return out;
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

describe('dwconv', () => {
  it.each([
    { B: 2, N: 35, C: 3, k: 5, width: 7 },
    { B: 1, N: 23, C: 4, k: 3, width: 5 },
    { B: 1, N: 4, C: 2, k: 5, width: 8 },
    { B: 1, N: 64, C: 5, k: 1, width: 8 },
  ])('matches a 2-D zero-padded convolution (interpreter, fused, unfused) at B=$B N=$N C=$C k=$k width=$width', async ({ B, N, C, k, width }) => {
    const source = `block conv {\n  input x: [B, N, C]\n  param w: [${k}, ${k}, C]\n  output y = dwconv(relu(x) + 1, w, width = ${width})\n}\n`;
    const r = compileSource(source, 'conv.saga', { verify: true });
    expect(r.diagnostics).toEqual([]);
    const next = rng(N + k);
    const x = randomTensor([B, N, C], next);
    const w = randomTensor([k, k, C], next);
    const shifted = { shape: x.shape, data: Float64Array.from(x.data, (v) => Math.max(v, 0) + 1) };
    const want = reference(shifted, w, width);
    expect(maxRelativeError(interpret(r.graphs[0], { x, w }).y.data, want)).toBeLessThanOrEqual(1e-9);
    for (const g of [r.graphs[0], r.optimized[0]]) {
      const got = (await (await Executor.create(gpu, generatePlan(g))).run({ x, w })).outputs.y.data;
      expect(maxRelativeError(got, want)).toBeLessThanOrEqual(1e-5);
    }
  });
});
