// group-matmuls: which matmuls share a kernel (same left operand, same-shape weights, same first
// reader, at most GROUP_SIZE a kernel), and that the grouped kernel computes every result: the
// WebGPU plan against the float64 interpreter of the unoptimised graph, 1e-4 normwise, at sizes
// with whole interior tiles (64 x 64) and partial edge tiles.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { GROUP_SIZE } from '../../compiler/passes/group-matmuls.js';
import { optimize } from '../../compiler/pipeline.js';
import { printGraph } from '../../compiler/print.js';
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

function inputs(g: Graph, env: Record<string, number>): Record<string, Tensor> {
  const next = rng(11);
  const m = new Map(Object.entries(env));
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, m), next)]));
}

/** Groups as lists of the matmuls' names (or ids), leader first. */
function groups(g: Graph): string[][] {
  const by = new Map<number, string[]>();
  for (const n of g.nodes) if (n.group !== undefined) by.set(n.group, [...(by.get(n.group) ?? []), n.name ?? `%${n.id}`]);
  return [...by.values()];
}

const saga = () => compile(readFileSync('examples/saga.saga', 'utf8'));

const PROJECTIONS = (count: number) => `block t {
  input x: [B, N, C]
${Array.from({ length: count }, (_, i) => `  param w${i}: [C, C]`).join('\n')}
${Array.from({ length: count }, (_, i) => `  output y${i} = x @ w${i}`).join('\n')}
}`;

describe('group-matmuls', () => {
  it('groups the projections linear attention feeds to its KV reduction; SAGA pairs its own first', () => {
    const r = optimize(compile(readFileSync('examples/linear.saga', 'utf8')), { verify: true });
    // k and v (x @ w_k, x @ w_v); not x @ w_q, first read later by q @ s.
    expect(r.rewrites.filter((w) => w.pass === 'group-matmuls').map((w) => w.message)).toEqual(['x @ w_k, x @ w_v computed by one kernel (lines 15, 16)']);
    expect(printGraph(r.graph)).toMatch(/matmul %0, %\d+ : \[B, N, C\] with %\d+/);
    // The group is one kernel where the KV reduction does not compute it (fuse-kv-projections).
    expect(generatePlan(r.graph, { kvProjections: false }).kernels.filter((k) => k.name.startsWith('matmul_')).map((k) => k.name)).toEqual(['matmul_t10_t14', 'matmul_s_w_o', 'matmul_t5', 'matmul_y']);
    // In SAGA, fuse-epilogue (before this pass) pairs x @ w_k with x @ w_a and x @ w_v with x @ w_b
    // as joint products: nothing left for group-matmuls.
    const g = optimize(saga(), { verify: true });
    expect(g.rewrites.filter((w) => w.pass === 'group-matmuls')).toEqual([]);
    const weights = g.graph.nodes.flatMap((n) => (n.op === 'matmul' && n.group !== undefined ? [[n.group, g.graph.nodes[n.b].name]] : []));
    const leaders = [...new Set(weights.map(([l]) => l))];
    expect(leaders.map((l) => weights.filter(([x]) => x === l).map(([, w]) => w))).toEqual([
      ['w_k', 'w_a'],
      ['w_v', 'w_b'],
    ]);
  });

  it(`splits more than ${GROUP_SIZE} into groups of near-equal size, within 8 storage buffers a kernel`, () => {
    const r = optimize(compile(PROJECTIONS(5)), { verify: true });
    expect(groups(r.graph)).toEqual([
      ['y0', 'y1'],
      ['y2', 'y3', 'y4'],
    ]);
    for (const k of generatePlan(r.graph).kernels) expect(k.reads.length + 1 + (k.alsoWrites?.length ?? 0)).toBeLessThanOrEqual(8);
  });

  it('leaves alone different operands, weight shapes, readers, and inline operands', () => {
    const g = compile(`block t {
      input x: [N, C]
      input x2: [N, C]
      param w0: [C, C]
      param w1: [C, C]
      param w2: [C, D]
      param w3: [C, C]
      let a = x @ w0
      let b = x2 @ w1
      let c = x @ w2
      output o1 = a * 2
      output o2 = sum(b, C) + sum(c, D)
      output o3 = relu(x) @ w3
      output o4 = (x @ w3) @ w1
    }`);
    const r = optimize(g, { verify: true });
    expect(groups(r.graph)).toEqual([]);
  });

  it('groups only matmuls whose first reader is the same kernel', () => {
    const g = compile(`block t {
      input x: [N, C]
      param w0: [C, C]
      param w1: [C, C]
      param w2: [C, C]
      let a = x @ w0
      let b = x @ w1
      let c = x @ w2
      let s = sum(a * b, C)
      output o = s + sum(c @ w0, C)
    }`);
    expect(groups(optimize(g, { verify: true }).graph)).toEqual([['a', 'b']]);
  });
});

describe('group-matmuls on WebGPU', () => {
  let ctx: GpuContext;
  beforeAll(async () => {
    ctx = await acquireDevice();
  });
  afterAll(() => ctx?.device.destroy());

  const cases: [string, string, Record<string, number>, number][] = [
    ['three projections, interior and edge tiles (N = 130, C = 128), batch 2', PROJECTIONS(3), { B: 2, N: 130, C: 128 }, 1],
    ['two projections at sizes smaller than a tile', PROJECTIONS(2), { B: 3, N: 5, C: 7 }, 1],
    ['SAGA with its grouped projections (B = 2, N = 100, C = 128)', readFileSync('examples/saga.saga', 'utf8'), { B: 2, N: 100, C: 128 }, 2],
  ];
  for (const [what, src, env, count] of cases) {
    it(what, async () => {
      const g = compile(src);
      const r = optimize(g, { verify: true });
      expect(groups(r.graph)).toHaveLength(count);
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
