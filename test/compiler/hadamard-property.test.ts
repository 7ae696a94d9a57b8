// Property-based (fast-check): random gated attention blocks — feature map, which side is gated,
// normaliser, sum or mean, order and grouping of the products, gate bound by a let or inline. For
// every one the decomposition fires, nothing N×d×d remains, and the optimised graph computes what
// the block as written defines (float64 interpreter both sides; a sample also on WebGPU).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const PHI = ['relu(ZZ)', 'elu(ZZ) + 1', 'relu(ZZ) + 0.001', 'softplus(ZZ)'];

const block = fc.record({
  phi: fc.constantFrom(...PHI),
  gate: fc.constantFrom('both', 'key', 'value'),
  norm: fc.constantFrom('N1', 'N2', 'N3'),
  agg: fc.constantFrom('sum', 'mean'),
  swap: fc.boolean(),
  group: fc.boolean(),
  gateLet: fc.boolean(),
  heads: fc.constantFrom(1, 2),
  scale: fc.boolean(),
});
type Block = typeof block extends fc.Arbitrary<infer T> ? T : never;

/** The DSL source of one random block. */
function source(b: Block): string {
  const phi = (z: string) => b.phi.replace(/ZZ/g, z);
  const a = b.gate === 'value' ? '(1 + 0 * k)' : 'a';
  const g = b.gate === 'key' ? '(1 + 0 * v)' : 'gb';
  const gate = `outer(${a}, ${g})`;
  const kv = 'outer(k, v)';
  const gateRef = b.gateLet ? 'gm' : gate;
  let prod = b.swap ? `${kv} * ${gateRef}` : `${gateRef} * ${kv}`;
  if (b.group) prod = `(${prod})`;
  if (b.scale) prod = `${prod} * 0.5`;
  const den = {
    N1: `sum(q * mean(${a} * k, N, keep = true), d, keep = true)`,
    N2: `q @ (transpose(${a} * k) @ ${g === 'gb' ? 'gb' : '(1 + 0 * v)'})`,
    N3: 'sum(q * mean(k, N, keep = true), d, keep = true)',
  }[b.norm];
  return `block t {
  const heads = ${b.heads}
  dim d = C / heads
  input x: [B, N, C]
  param w_q: [C, C]
  param w_k: [C, C]
  param w_v: [C, C]
  param w_a: [C, C]
  param w_b: [C, C]
  let q = ${phi('split_heads(x @ w_q, heads)')}
  let k = ${phi('split_heads(x @ w_k, heads)')}
  let v = split_heads(x @ w_v, heads)
  let a = sigmoid(split_heads(x @ w_a, heads))
  let gb = sigmoid(split_heads(x @ w_b, heads))
  ${b.gateLet ? `let gm = ${gate}` : ''}
  let s = ${b.agg}(${prod}, N)
  output y = merge_heads((q @ s) / (${den} + 0.000001))
}`;
}

function compiled(b: Block) {
  const r = compileSource(source(b), 'random.saga', { verify: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${source(b)}\n${errors.map((e) => e.message).join('\n')}`);
  return r;
}

function tensorsFor(g: Graph, N: number, C: number, seed: number): Record<string, Tensor> {
  const env = new Map([['B', 1], ['N', N], ['C', C]]);
  const next = rng(seed);
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, 0.7)]));
}

const maxRank = (g: Graph) => Math.max(...g.nodes.map((n) => n.shape.length));

describe('hadamard-decompose on random gated blocks', () => {
  it('fires, leaves nothing N×d×d, and keeps the result (200 blocks, float64)', () => {
    fc.assert(
      fc.property(block, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), (b, N, seed) => {
        const r = compiled(b);
        expect(r.rewrites.some((w) => w.pass === 'hadamard-decompose')).toBe(true);
        expect(maxRank(r.graphs[0])).toBe(5);
        expect(maxRank(r.optimized[0])).toBeLessThanOrEqual(4);
        const tensors = tensorsFor(r.graphs[0], N, 4, seed);
        expect(maxRelativeError(interpret(r.optimized[0], tensors).y.data, interpret(r.graphs[0], tensors).y.data)).toBeLessThan(1e-9);
      }),
      { numRuns: 200, seed: 20261122 },
    );
  });

  describe('on WebGPU', () => {
    let gpu: GpuContext;
    beforeAll(async () => {
      gpu = await acquireDevice();
    });
    afterAll(() => gpu?.destroy());

    it('the fused plan matches the interpreter of the block as written (15 blocks)', async () => {
      await fc.assert(
        fc.asyncProperty(block, fc.integer({ min: 1, max: 40 }), async (b, N) => {
          const r = compiled(b);
          const tensors = tensorsFor(r.graphs[0], N, 6, N);
          const want = interpret(r.graphs[0], tensors).y.data;
          const got = await (await Executor.create(gpu, generatePlan(r.optimized[0]))).run(tensors);
          expect(maxRelativeError(got.outputs.y.data, want)).toBeLessThanOrEqual(1e-4);
        }),
        { numRuns: 15, seed: 7 },
      );
    });
  });
});
