// The benchmark's workloads against an independent reference: SAGA written out in plain float64
// loops in the decomposed form a perfect kernel computes (S = mean_j (σa⊙φk)(σb⊙v)ᵀ), counting
// each operation as it executes. Checks that bench/saga_core.saga is examples/saga.saga from the
// projections on, that the fused core on WebGPU matches the float64 interpreter, and that the
// analytic flop and byte counts match what the loops did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { interpret } from '../../runtime/interpreter.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';
import type { Plan } from '../../runtime/plan.js';
import { evalShape, numel } from '../../runtime/shape.js';
import { compileWorkload, configs, envOf, flops, perfectBytes, tensorsFor, type Config } from '../../bench/workloads.js';
import { runStorageBytes } from '../../runtime/chunks.js';

const relu = (x: number) => Math.max(x, 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** x [B, N, C] @ w [C, C] (+ bias), counting 2 per multiply-add and 1 per bias add. */
function project(x: Tensor, w: Tensor, bias: Tensor | undefined, count: { ops: number }): Float64Array {
  const [B, N, C] = x.shape;
  const out = new Float64Array(B * N * C);
  for (let r = 0; r < B * N; r++) {
    for (let j = 0; j < C; j++) {
      let acc = 0;
      for (let i = 0; i < C; i++) acc += x.data[r * C + i] * w.data[i * C + j];
      count.ops += 2 * C;
      if (bias) {
        acc += bias.data[j];
        count.ops += 1;
      }
      out[r * C + j] = acc;
    }
  }
  return out;
}

/** The attention core from pre-activations [B, N, C]; returns the merged heads [B, N, C]. */
function core(B: number, N: number, C: number, heads: number, qp: ArrayLike<number>, kp: ArrayLike<number>, vp: ArrayLike<number>, ap: ArrayLike<number>, bp: ArrayLike<number>, count: { ops: number }): Float64Array {
  const d = C / heads;
  const y = new Float64Array(B * N * C);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      const at = (n: number, i: number) => (b * N + n) * C + h * d + i;
      const S = new Float64Array(d * d);
      const z = new Float64Array(d);
      for (let n = 0; n < N; n++) {
        const ka: number[] = [];
        const vb: number[] = [];
        for (let i = 0; i < d; i++) {
          ka.push(sigmoid(ap[at(n, i)]) * relu(kp[at(n, i)])); // σ, φ, product
          vb.push(sigmoid(bp[at(n, i)]) * vp[at(n, i)]); // σ, product
          count.ops += 5;
        }
        for (let i = 0; i < d; i++) {
          z[i] += ka[i];
          count.ops += 1;
          for (let j = 0; j < d; j++) S[i * d + j] += ka[i] * vb[j];
          count.ops += 2 * d;
        }
      }
      for (let i = 0; i < d * d; i++) S[i] /= N; // means: not counted (does not grow with N)
      for (let i = 0; i < d; i++) z[i] /= N;
      for (let n = 0; n < N; n++) {
        const q = Array.from({ length: d }, (_, i) => relu(qp[at(n, i)]));
        count.ops += d;
        let den = 0;
        for (let i = 0; i < d; i++) den += q[i] * z[i];
        den += 1e-6;
        count.ops += 2 * d + 1;
        for (let j = 0; j < d; j++) {
          let o = 0;
          for (let i = 0; i < d; i++) o += q[i] * S[i * d + j];
          y[at(n, j)] = o / den;
          count.ops += 2 * d + 1;
        }
      }
    }
  }
  return y;
}

function coreTensors(c: Config): Record<string, Tensor> {
  return tensorsFor(compileWorkload('core', c.heads).unfused, envOf(c));
}

const small: Config[] = [
  { size: 0, stage: 0, N: 37, C: 8, heads: 2, B: 2 },
  { size: 0, stage: 0, N: 50, C: 15, heads: 5, B: 1 },
];

describe('bench/saga_core.saga', () => {
  it.each(small)('is the SAGA core: interpreter vs plain loops (N=$N C=$C heads=$heads B=$B), and its flop count', (c) => {
    const t = coreTensors(c);
    const count = { ops: 0 };
    const want = core(c.B, c.N, c.C, c.heads, t.q_proj.data, t.k_proj.data, t.v_proj.data, t.a_pre.data, t.b_pre.data, count);
    const got = interpret(compileWorkload('core', c.heads).unfused, t).y;
    expect(got.shape).toEqual([c.B, c.N, c.C]);
    // Both float64; only summation order differs.
    expect(maxRelativeError(got.data, want)).toBeLessThan(1e-12);
    expect(flops('core', c)).toBe(count.ops);
  });

  it.each(small)('is examples/saga.saga from the projections on: block = core of the projections, then @ w_o (N=$N C=$C heads=$heads)', (c) => {
    const block = compileWorkload('block', c.heads).unfused;
    const t = tensorsFor(block, envOf(c));
    const count = { ops: 0 };
    const p = (w: string, b?: string) => project(t.x, t[w], b ? t[b] : undefined, count);
    const merged = core(c.B, c.N, c.C, c.heads, p('w_q'), p('w_k'), p('w_v'), p('w_a', 'b_a'), p('w_b', 'b_b'), count);
    const want = project({ shape: [c.B, c.N, c.C], data: merged }, t.w_o, undefined, count);
    expect(maxRelativeError(interpret(block, t).y.data, want)).toBeLessThan(1e-12);
    expect(flops('block', c)).toBe(count.ops);
  });

  it('perfect bytes are each input, param and output once', () => {
    const c = { size: 0, stage: 0, N: 100, C: 16, heads: 2, B: 3 };
    const env = envOf(c);
    // Core: five [B, N, C] inputs and one output. Block: x, y, six C×C weights and two biases.
    expect(perfectBytes(compileWorkload('core', 2).unfused, env)).toBe(4 * 6 * 3 * 100 * 16);
    expect(perfectBytes(compileWorkload('block', 2).unfused, env)).toBe(4 * (2 * 3 * 100 * 16 + 6 * 16 * 16 + 2 * 16));
  });

  it('PVT-T configurations: N = (R / stride)², C and heads of each stage', () => {
    expect(configs([224, 1280], [1, 4], [8]).map((c) => [c.size, c.N, c.C, c.heads, c.B])).toEqual([
      [224, 3136, 64, 1, 8],
      [224, 49, 512, 8, 8],
      [1280, 102_400, 64, 1, 8],
      [1280, 1600, 512, 8, 8],
    ]);
  });
});

describe('the fused core on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it.each([
    { size: 0, stage: 0, N: 1000, C: 64, heads: 1, B: 1 },
    { size: 0, stage: 0, N: 196, C: 40, heads: 5, B: 2 },
  ])('matches the float64 interpreter to 1e-4 (N=$N C=$C heads=$heads B=$B) and needs less memory than unfused', async (c) => {
    const { fused, unfused } = compileWorkload('core', c.heads);
    const t = coreTensors(c);
    const want = interpret(unfused, t).y;
    const plan = generatePlan(fused);
    const ex = await Executor.create(gpu, plan);
    const got = (await ex.run(t)).outputs.y;
    expect(got.shape).toEqual(want.shape);
    expect(maxRelativeError(got.data, want.data)).toBeLessThanOrEqual(1e-4);
    // The fused plan never materialises the [B, h, N, d, d] gate matrix, which the unfused one does.
    const d = c.C / c.heads;
    const gate = c.B * c.heads * c.N * d * d;
    const largest = (p: Plan) => Math.max(...p.buffers.map((b) => numel(evalShape(b.shape, envOf(c)))));
    expect(largest(plan)).toBeLessThan(gate);
    expect(largest(generatePlan(unfused))).toBe(gate);
    expect(runStorageBytes(plan, envOf(c))).toBeLessThan(runStorageBytes(generatePlan(unfused), envOf(c)) / 2);
  });
});
