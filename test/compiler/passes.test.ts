// The optimisation passes: each rewrite fires where it is exact, leaves the rest alone, and the
// optimised graph computes what the user's graph defines (both run in the float64 interpreter).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import type { Graph } from '../../compiler/ir.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { optimize, PASSES } from '../../compiler/pipeline.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';

const root = join(import.meta.dirname, '../..');

function compile(source: string) {
  const r = compileSource(source, 't.saga');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.graphs[0];
}

/** A gated KV state over [B, H, N, D] inputs; `state` is the expression that builds it. */
const core = (state: string, extra = '') => `block t {
  input k: [B, H, N, D]
  input v: [B, H, N, D]
  input a: [B, H, N, D]
  input b: [B, H, N, D]
  ${extra}
  let s = ${state}
  output o = s
}`;

function randomInputs(g: Graph, env: Record<string, number>, seed = 1): Record<string, Tensor> {
  const next = rng(seed);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

function expectSameResults(before: Graph, after: Graph, env: Record<string, number>) {
  const tensors = randomInputs(before, env);
  const want = interpret(before, tensors);
  const got = interpret(after, tensors);
  for (const o of before.outputs) expect(maxRelativeError(got[o.name].data, want[o.name].data)).toBeLessThan(1e-12);
}

const maxRank = (g: Graph) => Math.max(...g.nodes.map((n) => n.shape.length));
const ops = (g: Graph) => g.nodes.map((n) => n.op);
const env = { B: 2, H: 2, N: 7, D: 3 };

describe('hadamard-decompose', () => {
  const fires = {
    'as the maths reads': 'sum(outer(a, b) * outer(k, v), N)',
    'factors swapped': 'sum(outer(k, v) * outer(a, b), N)',
    'gate on the right of a regrouped product': 'sum(outer(k, a) * (outer(b, v) * 2), N)',
    'a mean': 'mean(outer(a, b) * outer(k, v), N)',
    'key gate only': 'sum(outer(a, k) * outer(k, v), N) + sum(outer(k, v), N)',
    'three factors': 'sum(outer(a, b) * outer(k, v) * outer(b, a), -3)',
  };
  for (const [what, state] of Object.entries(fires)) {
    it(`fires ${what}, and computes the same state`, () => {
      const g = compile(core(state));
      const r = optimize(g, { verify: true, after: 'dead-code' });
      expect(r.rewrites.length).toBeGreaterThan(0);
      expect(ops(r.graph)).not.toContain('outer');
      expect(maxRank(r.graph)).toBe(4);
      expectSameResults(g, r.graph, env);
    });
  }

  it('fires through let bindings with the gate built elsewhere in the block', () => {
    const g = compile(`block t {
      input x: [N, C]
      param w: [C, C]
      let gate = outer(sigmoid(x @ w), sigmoid(x))
      let kv = outer(relu(x), x @ w)
      let gated = kv * gate
      output s = mean(gated, N)
    }`);
    const r = optimize(g, { verify: true, after: 'dead-code' });
    const fired = r.rewrites.filter((w) => w.pass === 'hadamard-decompose');
    expect(fired).toHaveLength(1);
    expect(fired[0].span.line).toBe(7);
    expect(ops(r.graph)).toContain('outer_reduce');
    expect(maxRank(r.graph)).toBe(2);
    expectSameResults(g, r.graph, { N: 5, C: 3 });
  });

  it('decomposes the SAGA example: nothing of rank 5 remains', () => {
    const src = readFileSync(join(root, 'examples/saga.saga'), 'utf8');
    const g = compile(src);
    expect(maxRank(g)).toBe(5);
    const r = optimize(g, { verify: true });
    expect(maxRank(r.graph)).toBe(4);
    expectSameResults(g, r.graph, { B: 2, N: 5, C: 6 });
  });

  const doesNot = {
    'the gate is not an outer product': ['sum(sigmoid(outer(a, b)) * outer(k, v), N)', true],
    'the sum runs over a head-dim axis': ['sum(outer(a, b) * outer(k, v), -1)', false],
    'the sum runs over the batch axis': ['sum(outer(a, b) * outer(k, v), B)', false],
    'the axis is kept': ['sum(outer(a, b) * outer(k, v), N, keep = true)', false],
    'the gate is added, not multiplied': ['sum(outer(a, b) + outer(k, v), N)', false],
  } as const;
  for (const [what, [state, warns]] of Object.entries(doesNot)) {
    it(`does not fire when ${what}`, () => {
      const g = compile(core(state));
      const r = optimize(g, { verify: true, after: 'dead-code' });
      expect(r.rewrites).toEqual([]);
      expect(ops(r.graph)).toContain('outer');
      expect(r.diagnostics.map((d) => d.code)).toEqual(warns ? ['SG4003'] : []);
      expectSameResults(g, r.graph, env);
    });
  }

  it('warns with the memory a general gate matrix takes', () => {
    const g = compile(core('sum(g * outer(k, v), N)', 'input g: [B, H, N, D, D]'));
    const r = optimize(g);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toBe("'g' [B, H, N, D, D] is not an outer product of two vectors, so the gated product is materialised: 4·B·H·N·D·D bytes");
  });
});

describe('pipeline', () => {
  it('verifies after every pass and can stop after any', () => {
    const g = compile(core('sum(outer(a, b) * outer(k, v), N)'));
    expect(optimize(g, { after: 'build' }).graph).toBe(g);
    const afterRewrite = optimize(g, { after: 'hadamard-decompose', verify: true }).graph;
    expect(ops(afterRewrite)).toContain('outer');
    expect(ops(optimize(g, { verify: true, after: 'dead-code' }).graph)).not.toContain('outer');
    expect(PASSES.map((p) => p.name)).toEqual(['hadamard-decompose', 'cse', 'fold-output-projection', 'flash-attention', 'dead-code', 'fuse-elementwise', 'fuse-row-reductions', 'fuse-epilogue', 'group-matmuls', 'fuse-kv-projections', 'chain-matmuls', 'chunk-scan']);
  });
});

describe('fuse-elementwise', () => {
  it('never makes a kernel bind more buffers than WebGPU guarantees (7 reads + 1 write)', async () => {
    const { generatePlan } = await import('../../codegen/wgsl/index.js');
    const inputs = Array.from({ length: 10 }, (_, i) => `input x${i}: [N, C]`).join('\n');
    const sum = Array.from({ length: 10 }, (_, i) => `sigmoid(x${i})`).join(' + ');
    const g = compile(`block t {\n${inputs}\nparam w: [C, C]\noutput y = (${sum}) @ w\n}`);
    const r = optimize(g, { verify: true });
    const plan = generatePlan(r.graph);
    expect(Math.max(...plan.kernels.map((k) => k.reads.length))).toBeLessThanOrEqual(7);
    // Still fused where it fits: fewer kernels than values.
    expect(plan.kernels.length).toBeLessThan(g.nodes.filter((n) => n.op !== 'input').length);
    expectSameResults(g, r.graph, { N: 3, C: 2 });
  });
});
