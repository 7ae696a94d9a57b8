// The gallery of examples/: each variant against its formula written out here in plain float64
// loops (independent of the compiler and the interpreter), then fused and unfused on WebGPU
// against the same formula. Tolerances: 1e-9 for the interpreter, 1e-4 (normwise) for f32 GPU.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

type Phi = (row: number[]) => number[];
const relu = (x: number) => Math.max(x, 0);
const PHI: Record<string, Phi> = {
  relu: (r) => r.map(relu),
  reluEps: (r) => r.map((x) => relu(x) + 1e-3),
  elu1: (r) => r.map((x) => (x > 0 ? x : Math.exp(x) - 1) + 1),
  focused: (r) => {
    const p = r.map((x) => relu(x) + 1e-6);
    const n = Math.hypot(...p);
    const p3 = p.map((x) => x ** 3);
    const n3 = Math.hypot(...p3);
    return p3.map((x) => (n * x) / n3);
  },
};

interface Variant {
  phi: keyof typeof PHI;
  gateK: boolean;
  gateV: boolean;
  /** N1: den = q·mean(a⊙k); N2: den = qᵀ Σ(a⊙k)bᵀ per channel, state a sum; N3: den = q·mean(k). */
  norm: 'N1' | 'N2' | 'N3';
}

const VARIANTS: Record<string, Variant> = {
  'linear.saga': { phi: 'elu1', gateK: false, gateV: false, norm: 'N3' },
  'linear_relu.saga': { phi: 'reluEps', gateK: false, gateV: false, norm: 'N3' },
  'saga.saga': { phi: 'relu', gateK: true, gateV: true, norm: 'N1' },
  'saga_n2.saga': { phi: 'relu', gateK: true, gateV: true, norm: 'N2' },
  'saga_n3.saga': { phi: 'relu', gateK: true, gateV: true, norm: 'N3' },
  'saga_focused.saga': { phi: 'focused', gateK: true, gateV: true, norm: 'N1' },
  'value_gate.saga': { phi: 'relu', gateK: false, gateV: true, norm: 'N3' },
  'key_gate.saga': { phi: 'relu', gateK: true, gateV: false, norm: 'N1' },
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** y for one variant, token by token and head by head. */
function reference(v: Variant, t: Record<string, Tensor>, B: number, N: number, C: number, heads: number): Float64Array {
  const d = C / heads;
  const x = t.x.data;
  const proj = (w: string, bias: string | null, b: number, n: number, c: number) => {
    let acc = bias ? t[bias].data[c] : 0;
    for (let i = 0; i < C; i++) acc += x[(b * N + n) * C + i] * t[w].data[i * C + c];
    return acc;
  };
  const y = new Float64Array(B * N * C);
  for (let b = 0; b < B; b++) {
    const merged: number[][] = Array.from({ length: N }, () => new Array<number>(C).fill(0));
    for (let h = 0; h < heads; h++) {
      const rows = (w: string, bias: string | null) => Array.from({ length: N }, (_, n) => Array.from({ length: d }, (_, j) => proj(w, bias, b, n, h * d + j)));
      const q = rows('w_q', null).map(PHI[v.phi]);
      const k = rows('w_k', null).map(PHI[v.phi]);
      const val = rows('w_v', null);
      const a = v.gateK ? rows('w_a', 'b_a').map((r) => r.map(sigmoid)) : q.map((r) => r.map(() => 1));
      const g = v.gateV ? rows('w_b', 'b_b').map((r) => r.map(sigmoid)) : q.map((r) => r.map(() => 1));
      const scale = v.norm === 'N2' ? 1 : 1 / N;
      const S = Array.from({ length: d }, (_, m) => Array.from({ length: d }, (_, c) => {
        let acc = 0;
        for (let n = 0; n < N; n++) acc += a[n][m] * g[n][c] * k[n][m] * val[n][c];
        return acc * scale;
      }));
      const zk = Array.from({ length: d }, (_, m) => {
        let acc = 0;
        for (let n = 0; n < N; n++) acc += (v.norm === 'N1' ? a[n][m] : 1) * k[n][m];
        return acc / N;
      });
      const Z = Array.from({ length: d }, (_, m) => Array.from({ length: d }, (_, c) => {
        let acc = 0;
        for (let n = 0; n < N; n++) acc += a[n][m] * k[n][m] * g[n][c];
        return acc;
      }));
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < d; c++) {
          let num = 0;
          let den = 0;
          for (let m = 0; m < d; m++) {
            num += q[n][m] * S[m][c];
            den += q[n][m] * (v.norm === 'N2' ? Z[m][c] : zk[m]);
          }
          merged[n][h * d + c] = num / (den + 1e-6);
        }
      }
    }
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let i = 0; i < C; i++) acc += merged[n][i] * t.w_o.data[i * C + c];
        y[(b * N + n) * C + c] = acc;
      }
  }
  return y;
}

/** Softmax attention: p = softmax(q kᵀ / 4) over keys, o = p v, per head; then W_o. */
function softmaxReference(t: Record<string, Tensor>, B: number, N: number, C: number, heads: number): Float64Array {
  const d = C / heads;
  const x = t.x.data;
  const proj = (w: string, b: number, n: number, c: number) => {
    let acc = 0;
    for (let i = 0; i < C; i++) acc += x[(b * N + n) * C + i] * t[w].data[i * C + c];
    return acc;
  };
  const y = new Float64Array(B * N * C);
  for (let b = 0; b < B; b++) {
    const merged = Array.from({ length: N }, () => new Array<number>(C).fill(0));
    for (let h = 0; h < heads; h++) {
      const rows = (w: string) => Array.from({ length: N }, (_, n) => Array.from({ length: d }, (_, j) => proj(w, b, n, h * d + j)));
      const [q, k, v] = [rows('w_q'), rows('w_k'), rows('w_v')];
      for (let i = 0; i < N; i++) {
        const s = k.map((kj) => 0.25 * kj.reduce((acc, kv, m) => acc + kv * q[i][m], 0));
        const top = Math.max(...s);
        const e = s.map((z) => Math.exp(z - top));
        const total = e.reduce((a, z) => a + z, 0);
        for (let c = 0; c < d; c++) merged[i][h * d + c] = e.reduce((acc, z, j) => acc + (z / total) * v[j][c], 0);
      }
    }
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++) y[(b * N + n) * C + c] = merged[n].reduce((acc, m, i) => acc + m * t.w_o.data[i * C + c], 0);
  }
  return y;
}

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

describe.each([...Object.keys(VARIANTS), 'softmax.saga'])('%s', (file) => {
  it.each([
    { heads: 2, B: 2, N: 7, C: 6 },
    { heads: 1, B: 1, N: 300, C: 5 },
  ])('matches its formula (interpreter, fused, unfused) at heads=$heads B=$B N=$N C=$C', async ({ heads, B, N, C }) => {
    const source = readFileSync(join(import.meta.dirname, '../../examples', file), 'utf8').replace(/const heads = \d+/, `const heads = ${heads}`);
    const r = compileSource(source, file, { verify: true });
    expect(r.diagnostics).toEqual([]);
    const g = r.graphs[0];
    const next = rng(N * 10 + heads);
    const tensors: Record<string, Tensor> = {};
    for (const n of g.nodes) {
      if (n.op !== 'input') continue;
      const shape = n.name === 'x' ? [B, N, C] : n.shape.length === 2 ? [C, C] : [C];
      tensors[n.name] = randomTensor(shape, next, n.name === 'x' ? 1 : 0.5);
    }
    const want = file === 'softmax.saga' ? softmaxReference(tensors, B, N, C, heads) : reference(VARIANTS[file], tensors, B, N, C, heads);
    expect(maxRelativeError(interpret(g, tensors).y.data, want)).toBeLessThanOrEqual(1e-9);
    for (const graph of [r.graphs[0], r.optimized[0]]) {
      const out = await (await Executor.create(gpu, generatePlan(graph))).run(tensors);
      expect(maxRelativeError(out.outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
    }
  });
});
