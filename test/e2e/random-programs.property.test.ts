// Every kernel the GPU accepts: random valid blocks (a small generator over the DSL: feature maps,
// gates, bias adds, projections, reductions broadcast back, outer-product states read out by a
// matmul) compile fused and unfused, every kernel passes Dawn's shader compiler (Executor.create
// checks getCompilationInfo), and both outputs match the float64 interpreter (1e-4 normwise).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const UNARY = ['relu', 'sigmoid', 'silu', 'gelu', 'softplus', 'abs', 'elu'];

/** One `let` over the values so far (all [B, N, C]); returns its expression. */
const step = (names: readonly string[]) => {
  const v = fc.constantFrom(...names);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...UNARY), v).map(([f, a]) => `${f}(${a})`),
    fc.tuple(v, fc.constantFrom('+', '-', '*'), v).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(v, fc.constantFrom('w1', 'w2')).map(([a, w]) => `${a} @ ${w}`),
    v.map((a) => `${a} + b1`),
    fc.tuple(v, fc.constantFrom(0.5, 2, -1.25)).map(([a, c]) => `${a} * ${c}`),
    fc.tuple(v, v).map(([a, b]) => `${a} + mean(${b}, N, keep = true)`),
    fc.tuple(v, v).map(([a, b]) => `${a} * sum(${b}, C, keep = true)`),
    // A gated state over the tokens, read out per token: the SAGA pattern with random operands.
    fc.tuple(v, v, v, v).map(([q, k, g, x]) => `relu(${q}) @ mean(outer(sigmoid(${g}), sigmoid(${x})) * outer(relu(${k}), ${x}), N)`),
  );
};

const program = fc.integer({ min: 2, max: 7 }).chain((n) => {
  let arb = fc.constant<string[]>([]);
  for (let i = 0; i < n; i++) {
    arb = arb.chain((lets) => step(['x', ...lets.map((_, j) => `t${j}`)]).map((e) => [...lets, e]));
  }
  return arb.map((lets) => {
    const body = lets.map((e, i) => `  let t${i} = ${e}`).join('\n');
    // Params a program leaves unused only draw a warning (SG4001).
    return `block r {\n  input x: [B, N, C]\n  param w1: [C, C]\n  param w2: [C, C]\n  param b1: [C]\n${body}\n  output y = t${lets.length - 1}\n}`;
  });
});

describe('random valid programs on WebGPU', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('compile on Dawn and match the float64 interpreter, fused and unfused (20 programs)', async () => {
    await fc.assert(
      fc.asyncProperty(program, async (src) => {
        const r = compileSource(src, 'random.saga');
        if (!r.ok) throw new Error(`generated an invalid program:\n${src}\n${r.diagnostics.map((d) => d.message).join('\n')}`);
        const g = r.graphs[0];
        const next = rng(3);
        const env = new Map([['B', 2], ['N', 37], ['C', 6]]);
        const t: Record<string, Tensor> = Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, env), next, n.role === 'param' ? 0.4 : 1)]));
        const want = interpret(g, t).y.data;
        for (const graph of [r.optimized[0], g]) {
          const ex = await Executor.create(gpu, generatePlan(graph));
          const got = (await ex.run(t)).outputs.y.data;
          const e = maxRelativeError(got, want);
          if (!(e <= 1e-4)) throw new Error(`error ${e} (${graph === g ? 'unfused' : 'fused'}) for\n${src}`);
        }
      }),
      { numRuns: 20, seed: 7 },
    );
  });
});
