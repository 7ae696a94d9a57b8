// PVT's spatial-reduction attention (examples/pvt_sra.saga) against the block written here in
// plain float64 loops, with the reduction as PyTorch's Conv2d(C, C, r, stride r) over the H×W
// grid (weight [C_out, C_in, r, r]) mapped into w_sr by row (ky·r + kx)·C + c_in; then the
// interpreter, and the fused and unfused WebGPU plans against it (1e-4 normwise).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { formatDiagnostic } from '../../dsl/format.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { SagaError } from '../../runtime/errors.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const file = join(import.meta.dirname, '../../examples/pvt_sra.saga');
const source = readFileSync(file, 'utf8');
const [R, W, HEADS, SCALE, EPS] = [2, 8, 2, 0.25, 1e-5];

/** x [B, N, C] @ w [C, D] per token. */
const linear = (x: ArrayLike<number>, rows: number, w: ArrayLike<number>, cin: number, cout: number) => {
  const out = new Float64Array(rows * cout);
  for (let t = 0; t < rows; t++) for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) out[t * cout + o] += x[t * cin + c] * w[c * cout + o];
  return out;
};

function reference(x: Tensor, p: Record<string, Tensor>, conv: ArrayLike<number>): Float64Array {
  const [B, N, C] = x.shape;
  const d = C / HEADS;
  const H = N / W;
  const [Hr, Wr] = [H / R, W / R];
  const M = Hr * Wr;
  const y = new Float64Array(B * N * C);
  for (let b = 0; b < B; b++) {
    const xb = x.data.subarray(b * N * C, (b + 1) * N * C);
    // Conv2d on the H×W grid, stride R, weight conv[o][c][ky][kx], bias b_sr.
    const xr = new Float64Array(M * C);
    for (let i = 0; i < Hr; i++) {
      for (let j = 0; j < Wr; j++) {
        for (let o = 0; o < C; o++) {
          let acc = p.b_sr.data[o];
          for (let c = 0; c < C; c++) for (let ky = 0; ky < R; ky++) for (let kx = 0; kx < R; kx++) acc += conv[((o * C + c) * R + ky) * R + kx] * xb[((i * R + ky) * W + j * R + kx) * C + c];
          xr[(i * Wr + j) * C + o] = acc;
        }
      }
    }
    // LayerNorm over channels.
    for (let t = 0; t < M; t++) {
      const row = xr.subarray(t * C, (t + 1) * C);
      const mu = row.reduce((s, v) => s + v, 0) / C;
      const variance = row.reduce((s, v) => s + (v - mu) ** 2, 0) / C;
      for (let c = 0; c < C; c++) row[c] = ((row[c] - mu) / Math.sqrt(variance + EPS)) * p.ln_g.data[c] + p.ln_b.data[c];
    }
    const q = linear(xb, N, p.w_q.data, C, C);
    const k = linear(xr, M, p.w_k.data, C, C);
    const v = linear(xr, M, p.w_v.data, C, C);
    const o = new Float64Array(N * C);
    for (let h = 0; h < HEADS; h++) {
      for (let t = 0; t < N; t++) {
        const s = Array.from({ length: M }, (_, m) => {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += q[t * C + h * d + j] * k[m * C + h * d + j];
          return dot * SCALE;
        });
        const top = Math.max(...s);
        const e = s.map((z) => Math.exp(z - top));
        const total = e.reduce((a, z) => a + z, 0);
        for (let j = 0; j < d; j++) o[t * C + h * d + j] = e.reduce((a, z, m) => a + (z / total) * v[m * C + h * d + j], 0);
      }
    }
    y.set(linear(o, N, p.w_o.data, C, C), b * N * C);
  }
  return y;
}

function inputs(B: number, N: number, C: number) {
  const next = rng(N * 31 + C);
  const x = randomTensor([B, N, C], next);
  const conv = randomTensor([C, C, R, R], next, 1 / Math.sqrt(C * R * R)).data;
  // w_sr[(ky·R + kx)·C + c, o] = conv[o, c, ky, kx]
  const wsr = new Float64Array(R * R * C * C);
  for (let o = 0; o < C; o++) for (let c = 0; c < C; c++) for (let ky = 0; ky < R; ky++) for (let kx = 0; kx < R; kx++) wsr[((ky * R + kx) * C + c) * C + o] = conv[((o * C + c) * R + ky) * R + kx];
  const sq = (scale: number) => randomTensor([C, C], next, scale);
  const p: Record<string, Tensor> = {
    w_q: sq(1 / Math.sqrt(C)),
    w_sr: { shape: [R * R * C, C], data: wsr },
    b_sr: randomTensor([C], next, 0.5),
    ln_g: { shape: [C], data: Float64Array.from({ length: C }, () => 1 + 0.5 * (next() - 0.5)) },
    ln_b: randomTensor([C], next, 0.5),
    w_k: sq(1 / Math.sqrt(C)),
    w_v: sq(1 / Math.sqrt(C)),
    w_o: sq(1 / Math.sqrt(C)),
  };
  return { x, p, conv };
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

describe('PVT spatial-reduction attention', () => {
  const r = compileSource(source, 'examples/pvt_sra.saga', { verify: true });

  it.each([
    { B: 2, N: 48, C: 32 },
    { B: 1, N: 16, C: 32 },
    { B: 1, N: 112, C: 64 },
  ])('interpreter, fused and unfused match the float64 block with a PyTorch-layout Conv2d (B=$B N=$N C=$C)', async ({ B, N, C }) => {
    expect(r.diagnostics).toEqual([]);
    const { x, p, conv } = inputs(B, N, C);
    const want = reference(x, p, conv);
    expect(maxRelativeError(interpret(r.graphs[0], { x, ...p }).y.data, want)).toBeLessThanOrEqual(1e-10);
    for (const g of [r.graphs[0], r.optimized[0]]) {
      const ex = await Executor.create(gpu, generatePlan(g));
      try {
        expect(maxRelativeError((await ex.run({ x, ...p })).outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
      } finally {
        ex.destroy();
      }
    }
  });

  it('the fused plan gathers the patches where the reduction matmul loads them: no patch buffer', () => {
    const plan = generatePlan(r.optimized[0]);
    expect(plan.buffers.map((b) => b.holds).join('\n')).not.toMatch(/patches/);
    expect(generatePlan(r.graphs[0]).buffers.map((b) => b.holds).join('\n')).toMatch(/patches/);
  });

  it('a token count that is not whole rows of patches is an error naming patches and its line, on the GPU and in the interpreter', async () => {
    const { p } = inputs(1, 16, 32);
    const x = randomTensor([1, 40, 32], rng(3)); // 40 = 5 rows of 8: a multiple of 4, not of 2 x 8
    const ex = await Executor.create(gpu, generatePlan(r.optimized[0]));
    await expect(ex.run({ x, ...p })).rejects.toThrow(/patches\(…, 2, width = 8\) at (examples\/)?pvt_sra\.saga:27:\d+ needs whole rows of 2x2 patches/);
    ex.destroy();
    expect(() => interpret(r.graphs[0], { x, ...p })).toThrow(SagaError);
  });

  it('DSL mistakes: a width that is not a multiple of the patch size, and a missing width', () => {
    const bad = compileSource(source.replace('const width = 8', 'const width = 7'), 'sra.saga');
    expect(bad.ok).toBe(false);
    const text = formatDiagnostic(bad.diagnostics[0], source.replace('const width = 8', 'const width = 7'));
    expect(text).toMatch(/^sra\.saga:27:\d+: error SG3013: patches of 2x2 tokens need a grid width that is a multiple of 2, got width = 7/);
    expect(text).toContain('^');
    const missing = compileSource(source.replace('patches(x, r, width = width)', 'patches(x, r)'), 'sra.saga');
    expect(missing.diagnostics[0].message).toMatch(/patches.*width/);
  });
});
