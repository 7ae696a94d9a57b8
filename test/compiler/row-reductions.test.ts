// cse and fuse-row-reductions: where a reduction rides along in a matmul's kernel (z with the KV
// state, den with q @ S), where it must not, and that the result is unchanged (float64 interpreter
// for the graph, WebGPU against the interpreter for the kernels, 1e-4 normwise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import type { Graph } from '../../compiler/ir.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { optimize } from '../../compiler/pipeline.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

function compile(source: string): Graph {
  const r = compileSource(source, 't.saga');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.graphs[0];
}

function inputs(g: Graph, env: Record<string, number>, seed = 3): Record<string, Tensor> {
  const next = rng(seed);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

const hosted = (g: Graph) => g.nodes.filter((n) => n.host !== undefined).map((n) => [n.name, g.nodes[n.host!].op]);

/** N1 attention core from q, k, v and gate pre-activations (positive gates, as in SAGA: den > 0). */
const N1 = `block t {
  input q: [B, H, N, D]
  input k: [B, H, N, D]
  input v: [B, H, N, D]
  input a: [B, H, N, D]
  input b: [B, H, N, D]
  let s = mean(outer(sigmoid(a), sigmoid(b)) * outer(relu(k), v), N)
  let z = mean(sigmoid(a) * relu(k), N, keep = true)
  let den = sum(relu(q) * z, D, keep = true)
  output o = (relu(q) @ s) / (den + 1e-6)
}`;

describe('cse', () => {
  it('merges a value written twice, keeps inputs apart, and keeps the result', () => {
    const g = compile(`block t {
      input x: [N, C]
      input y: [N, C]
      output o = sigmoid(x) * sigmoid(x) + sigmoid(y)
    }`);
    const r = optimize(g, { verify: true, after: 'cse' });
    expect(r.graph.nodes.filter((n) => n.op === 'unary' && n.fn === 'sigmoid')).toHaveLength(2);
    expect(r.rewrites.filter((w) => w.pass === 'cse')).toHaveLength(1);
    const t = inputs(g, { N: 4, C: 3 });
    expect(maxRelativeError(interpret(r.graph, t).o.data, interpret(g, t).o.data)).toBe(0);
  });

  it('does not merge constants that print alike but differ (0 and -0)', () => {
    const g = compile(`block t {
      input x: [N]
      output o = x * 0 + x / (0 * -1)
    }`);
    const r = optimize(g, { verify: true, after: 'cse' });
    const t = { x: { shape: [2], data: Float64Array.from([1, -1]) } };
    // x / -0 is -Infinity for x = 1: merging -0 into 0 would flip the sign.
    expect(Array.from(interpret(r.graph, t).o.data)).toEqual(Array.from(interpret(g, t).o.data));
  });
});

describe('fuse-row-reductions', () => {
  it('puts z in the KV reduction and den in q @ S (N1), and the result is unchanged', () => {
    const g = compile(N1);
    const r = optimize(g, { verify: true });
    expect(hosted(r.graph)).toEqual([
      ['z', 'outer_reduce'],
      ['den', 'matmul'],
    ]);
    const t = inputs(g, { B: 2, H: 2, N: 9, D: 3 });
    expect(maxRelativeError(interpret(r.graph, t).o.data, interpret(g, t).o.data)).toBeLessThan(1e-12);
  });

  it('does not fire for a sum over another axis, a weight that varies by row, or a different operand', () => {
    const g = compile(`block t {
      input q: [N, D]
      input k: [N, D]
      input s: [D, D]
      let other_axis = sum(q, N, keep = true)
      let by_row = sum(q * k, D, keep = true)
      let other_operand = sum(k * mean(k, N, keep = true), D, keep = true)
      output o = (q @ s) / (by_row + other_operand + 1)
      output p = other_axis
    }`);
    expect(hosted(optimize(g, { verify: true }).graph)).toEqual([]);
  });

  it('does not fire when the reduction feeds its would-be host', () => {
    const g = compile(`block t {
      input q: [N, D]
      input z: [1, D]
      input s: [D, D]
      let den = sum(q * z, D, keep = true)
      output o = (q / den) @ s
    }`);
    expect(hosted(optimize(g, { verify: true }).graph)).toEqual([]);
  });

  it('stays within 8 storage buffers per kernel (reads and both writes)', () => {
    for (const src of [N1]) {
      const plan = generatePlan(optimize(compile(src), { verify: true }).graph);
      for (const k of plan.kernels) expect(k.reads.length + 1 + (k.alsoWrites?.length ?? 0)).toBeLessThanOrEqual(8);
    }
  });
});

describe('fuse-row-reductions on WebGPU', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    ctx = await acquireDevice();
  });
  afterAll(() => ctx?.device.destroy());

  const cases: [string, string, Record<string, number>][] = [
    ['N1 core, token count not a multiple of the tile or the splits', N1, { B: 2, H: 3, N: 203, D: 5 }],
    ['N1 core, head dim 64 over several row tiles', N1, { B: 1, H: 1, N: 130, D: 64 }],
    [
      'a hosted mean over the last axis, host reading plain buffers',
      `block t {
        input q: [B, N, D]
        input z: [B, 1, D]
        input s: [B, D, D]
        output o = (q @ s) / (mean(q * z, D, keep = true) + 3)
      }`,
      { B: 3, N: 70, D: 17 },
    ],
    [
      'a hosted sum over tokens without keep',
      `block t {
        input k: [H, N, D]
        input v: [H, N, D]
        output s = sum(outer(k, v), N)
        output z = sum(k, N)
      }`,
      { H: 2, N: 301, D: 6 },
    ],
  ];
  for (const [what, src, env] of cases) {
    it(what, async () => {
      const g = compile(src);
      const r = optimize(g, { verify: true });
      expect(hosted(r.graph).length).toBeGreaterThan(0);
      const t = inputs(g, env);
      const want = interpret(g, t);
      const exec = await Executor.create(ctx, generatePlan(r.graph));
      try {
        const got = (await exec.run(t)).outputs;
        for (const o of g.outputs) expect(maxRelativeError(got[o.name].data, want[o.name].data), o.name).toBeLessThan(1e-4);
      } finally {
        exec.destroy();
      }
    });
  }
});
