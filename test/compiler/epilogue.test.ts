// fuse-epilogue: where a matmul's kernel writes the elementwise chain (and head merge) after it
// instead of its product, where it must not, and that results are unchanged: WebGPU against the
// float64 interpreter of the block as written, 1e-4 normwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import type { MatmulTile } from '../../codegen/wgsl/matmul.js';
import { compileSource } from '../../compiler/index.js';
import type { Graph } from '../../compiler/ir.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { optimize } from '../../compiler/pipeline.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../..');

function compile(source: string): Graph {
  const r = compileSource(source, 't.saga');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.graphs[0];
}

function inputs(g: Graph, env: Record<string, number>, seed = 5): Record<string, Tensor> {
  const next = rng(seed);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

/** [value name or op, matmul's left operand name] for every epilogue. */
const epilogues = (g: Graph) => g.nodes.filter((n) => n.epilogueOf !== undefined).map((n) => [n.name ?? n.op, g.nodes[(g.nodes[n.epilogueOf!] as { a: number }).a].name]);

/** The attention core of saga.saga from projected inputs, heads merged (bench/saga_core.saga's maths). */
const CORE = `block core {
  const heads = 3
  dim d = C / heads
  input q_proj: [B, N, C]
  input k_proj: [B, N, C]
  input v_proj: [B, N, C]
  input a_pre: [B, N, C]
  input b_pre: [B, N, C]
  let q = relu(split_heads(q_proj, heads))
  let k = relu(split_heads(k_proj, heads))
  let a = sigmoid(split_heads(a_pre, heads))
  let s = mean(outer(a, sigmoid(split_heads(b_pre, heads))) * outer(k, split_heads(v_proj, heads)), N)
  let z = mean(a * k, N, keep = true)
  let den = sum(q * z, d, keep = true)
  output y = merge_heads((q @ s) / (den + 1e-6))
}`;

/** examples/saga.saga's block with 2 heads. */
const GATED = readFileSync(join(root, 'examples/saga.saga'), 'utf8');

const BIAS_GELU = `block t {
  input x: [B, N, C]
  param w: [C, D]
  param b: [D]
  output y = gelu(x @ w + b) * 0.5
}`;

describe('fuse-epilogue', () => {
  it('writes the merged o from q @ s, which is never stored, and the result is unchanged', () => {
    const g = compile(CORE);
    const r = optimize(g, { verify: true });
    expect(epilogues(r.graph)).toEqual([['y', 'q']]);
    const plan = generatePlan(r.graph);
    // The KV reduction (2 kernels, z's partials added with S's), and q @ s writing y (and den).
    expect(plan.kernels.map((k) => k.name)).toEqual(['outer_mean_s_partial', 'outer_mean_s', 'matmul_y']);
    expect(plan.buffers.some((b) => b.node === r.graph.nodes.find((n) => n.op === 'matmul')!.id)).toBe(false);
    const t = inputs(g, { B: 2, N: 7, C: 6 });
    expect(maxRelativeError(interpret(r.graph, t).y.data, interpret(g, t).y.data)).toBeLessThan(1e-12);
  });

  it('leaves one product whose chain ends inline to load-time fusion, unless the chain merges heads', () => {
    const g = compile(`block t {
      input x: [B, 3, N, D]
      param w: [D, D]
      param b: [D]
      param w2: [D, D]
      param w3: [D, D]
      output y = (gelu(x @ w + b) * 0.5) @ w2
      output z = merge_heads(relu(x @ w3) + 1) * 2
    }`);
    const r = optimize(g, { verify: true });
    // y's chain (bias, gelu, scale) stays inline, read by y's matmul; z's ends in a head merge,
    // stored by x @ w's kernel (kept inline-marked: codegen inlines it again where it leaves the
    // epilogue out).
    const e = r.graph.nodes.filter((n) => n.epilogueOf !== undefined);
    expect(e.map((n) => [n.op, n.inline])).toEqual([['merge_heads', true]]);
    const plan = generatePlan(r.graph);
    expect(plan.kernels.map((k) => k.name)).toEqual(['matmul_t5', 'matmul_y', 'matmul_t15', 'mul_z']);
    expect(plan.buffers.filter((b) => b.node === e[0].id)).toHaveLength(1);
  });

  it('does not fire for a product read twice, an output product, or an operand computed later', () => {
    const g = compile(`block t {
      input q: [N, D]
      input s: [D, D]
      input t: [N, D]
      input w: [D, D]
      input w2: [D, D]
      let p = q @ s
      output twice = relu(p) + p * 2
      output plain = q @ w
      output later = relu(t @ s) * sigmoid(q @ w2)
    }`);
    const r = optimize(g, { verify: true });
    // Only the second product of `later` (its other factor, relu(t @ s), is stored before it runs).
    const e = r.graph.nodes.filter((n) => n.epilogueOf !== undefined);
    expect(e.map((n) => n.name)).toEqual(['later']);
    const m = r.graph.nodes[e[0].epilogueOf!];
    expect(m.op === 'matmul' && [r.graph.nodes[m.a].name, r.graph.nodes[m.b].name]).toEqual(['q', 'w2']);
  });

  it('computes the gated key and value of the SAGA block jointly: K, V, A, B are never stored', () => {
    const g = compile(GATED);
    const r = optimize(g, { verify: true });
    // a ⊙ k and b ⊙ v (x @ w_k with x @ w_a, x @ w_v with x @ w_b), y summed over the heads
    // (fold-output-projection). Not q alone: its chain (split, relu) ends inline, and one product
    // stays with load-time fusion there.
    expect(epilogues(r.graph)).toEqual([
      ['binary', 'x'],
      ['binary', 'x'],
      ['y', 'q'],
    ]);
    const joint = r.graph.nodes.filter((n) => n.op === 'matmul' && n.group !== undefined);
    expect(joint).toHaveLength(4);
    // Stored (kvProjections false) the joint kernels write a ⊙ k and b ⊙ v; by default the KV
    // reduction computes them (fuse-kv-projections): no kernel of their own.
    const plan = generatePlan(r.graph, { kvProjections: false });
    expect(plan.buffers.filter((b) => b.shape.length === 3 && b.node !== undefined).map((b) => b.id)).toEqual(['t9', 'y']);
    expect(plan.kernels.map((k) => k.name)).toEqual(['matmul_t25', 'matmul_t26', 'outer_mean_s_partial', 'outer_mean_s', 'matmul_s_w_o', 'matmul_t9', 'matmul_y']);
    expect(generatePlan(r.graph).kernels.map((k) => k.name)).toEqual(['outer_mean_s_projected', 'outer_mean_s', 'matmul_s_w_o', 'matmul_t9', 'matmul_y']);
  });

  it('does not combine products of different operands or weight shapes, nor more than JOINT_SIZE', () => {
    const g = compile(`block t {
      input x: [N, C]
      input x2: [N, C]
      param w1: [C, D]
      param w2: [C, D]
      param w3: [C, D]
      param w4: [C, E]
      param w5: [C, D]
      param w6: [C, D]
      output o = relu(x @ w1) * sigmoid(x2 @ w2)
      output p = (x @ w3) * (x @ w5) * (x @ w6)
      output r = (x @ w4) + 0
    }`);
    const r = optimize(g, { verify: true });
    // Each output still gets an epilogue, of one product alone: x2 @ w2 (x @ w1 is ready before
    // it), the last of p's three, and x @ w4.
    const e = r.graph.nodes.filter((n) => n.epilogueOf !== undefined);
    const weightOf = (id: number) => r.graph.nodes[(r.graph.nodes[id] as { b: number }).b].name;
    expect(e.map((n) => [n.name, weightOf(n.epilogueOf!)])).toEqual([
      ['o', 'w2'],
      ['p', 'w6'],
      ['r', 'w4'],
    ]);
    // None computed jointly (group-matmuls may still group x @ w3 and x @ w5, stored).
    expect(r.graph.nodes.filter((n) => n.group !== undefined && e.some((v) => v.epilogueOf === n.group))).toEqual([]);
  });
});

describe('fuse-epilogue on WebGPU', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    ctx = await acquireDevice();
  });
  afterAll(() => ctx?.device.destroy());

  const cases: [string, string, Record<string, number>, MatmulTile?][] = [
    ['core, head dim 64, tokens not a multiple of the tile', CORE, { B: 2, N: 203, C: 192 }],
    ['core, head dim 100: two column tiles, each summing den', CORE, { B: 1, N: 130, C: 300 }],
    ['core in 128x128 tiles', CORE, { B: 2, N: 150, C: 48 }, 128],
    ['core in 64x64 tiles', CORE, { B: 3, N: 70, C: 9 }, 64],
    ['bias, gelu and a scale, no hosted row sum', BIAS_GELU, { B: 2, N: 90, C: 20, D: 70 }],
    ['the SAGA block: a ⊙ k and b ⊙ v jointly, heads split, odd sizes', GATED, { B: 2, N: 77, C: 10 }],
    ['the SAGA block over two column tiles a head', GATED, { B: 1, N: 140, C: 260 }],
    [
      'a hosted mean over the last axis, the product divided by it',
      `block t {
        input q: [B, N, D]
        input z: [B, 1, D]
        input s: [B, D, D]
        output o = (q @ s) / (mean(q * z, D, keep = true) + 3)
      }`,
      { B: 3, N: 70, D: 17 },
    ],
  ];
  for (const [what, src, env, tile] of cases) {
    it(what, async () => {
      const g = compile(src);
      const r = optimize(g, { verify: true });
      expect(epilogues(r.graph).length).toBeGreaterThan(0);
      const t = inputs(g, env);
      const want = interpret(g, t);
      const exec = await Executor.create(ctx, generatePlan(r.graph, tile ? { matmulTile: tile } : {}));
      try {
        const got = (await exec.run(t)).outputs;
        for (const o of g.outputs) expect(maxRelativeError(got[o.name].data, want[o.name].data), o.name).toBeLessThan(1e-4);
      } finally {
        exec.destroy();
      }
    });
  }
});
