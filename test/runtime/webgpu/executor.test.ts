import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../../codegen/wgsl/index.js';
import { compileSource } from '../../../compiler/index.js';
import type { Graph, UnaryFn } from '../../../compiler/ir.js';
import { SagaError } from '../../../runtime/errors.js';
import { interpret } from '../../../runtime/interpreter.js';
import { randomTensor, rng } from '../../../runtime/random.js';
import { evalShape } from '../../../runtime/shape.js';
import { maxRelativeError, type Tensor, type TensorMap } from '../../../runtime/tensor.js';
import { checkBufferSize, workgroupCounts } from '../../../runtime/webgpu/buffers.js';
import { acquireDevice, Executor, type GpuContext, type RunResult } from '../../../runtime/webgpu/index.js';
import { GraphBuilder, sagaCore } from '../../codegen/builder.js';

const TOLERANCE = 1e-4;
const UNARY: readonly UnaryFn[] = ['neg', 'relu', 'elu', 'sigmoid', 'silu', 'gelu', 'softplus', 'exp', 'log', 'sqrt', 'abs'];

let gpu: GpuContext;
beforeAll(async () => {
  gpu = await acquireDevice();
});
afterAll(() => gpu?.destroy());

/** Seeded tensors for every input/param; `positive` names get |x| + 0.05 (for log, sqrt, pow). */
function tensorsFor(graph: Graph, sizes: Record<string, number>, seed: number, positive: readonly string[] = []): Record<string, Tensor> {
  const env = new Map(Object.entries(sizes));
  const next = rng(seed);
  const out: Record<string, Tensor> = {};
  for (const n of graph.nodes) {
    if (n.op !== 'input') continue;
    const t = randomTensor(evalShape(n.shape, env), next, 2);
    if (positive.includes(n.name)) t.data.forEach((v, i) => (t.data[i] = Math.abs(v) + 0.05));
    out[n.name] = t;
  }
  return out;
}

/** Runs `graph` on the GPU and in the float64 interpreter and compares every output. */
async function compare(graph: Graph, tensors: TensorMap, exec?: Executor): Promise<RunResult> {
  const e = exec ?? (await Executor.create(gpu, generatePlan(graph)));
  const got = await e.run(tensors);
  const want = interpret(graph, tensors);
  for (const o of graph.outputs) {
    expect(got.outputs[o.name].shape, o.name).toEqual(want[o.name].shape);
    const err = maxRelativeError(got.outputs[o.name].data, want[o.name].data);
    expect(err, `${graph.block}.${o.name}`).toBeLessThan(TOLERANCE);
  }
  return got;
}

describe('WebGPU executor vs the float64 interpreter', () => {
  it.each([
    [1, 6],
    [7, 10],
    [1000, 6],
  ])('every unary function, N=%i C=%i', async (N, C) => {
    const g = new GraphBuilder('unary');
    const x = g.input('x', ['N', 'C']);
    const p = g.input('p', ['N', 'C']);
    for (const fn of UNARY) g.output(fn, g.unary(fn, fn === 'log' || fn === 'sqrt' ? p : x));
    await compare(g.build(), tensorsFor(g.build(), { N, C }, N + C, ['p']));
  });

  it('unary functions stay finite and accurate at large |x| (no inf/inf NaN)', async () => {
    const g = new GraphBuilder('large');
    const x = g.input('x', ['N']);
    const fns = UNARY.filter((f) => !['exp', 'log', 'sqrt'].includes(f));
    for (const fn of fns) g.output(fn, g.unary(fn, x));
    const graph = g.build();
    const data = Float32Array.from([-1e30, -1e4, -100, -88.5, -30, -9, -1, -0.3, -0.1, -0.09, -1e-3, -1e-7, 0, 1e-7, 1e-3, 0.1, 1, 9, 30, 88.5, 100, 1e4, 1e30]);
    const got = await (await Executor.create(gpu, generatePlan(graph))).run({ x: { shape: [data.length], data } });
    const want = interpret(graph, { x: { shape: [data.length], data } });
    for (const fn of fns) {
      got.outputs[fn].data.forEach((v, i) => {
        const w = want[fn].data[i];
        expect(Number.isFinite(v), `${fn}(${data[i]}) = ${v}`).toBe(true);
        expect(Math.abs(v - w), `${fn}(${data[i]}) = ${v}, want ${w}`).toBeLessThanOrEqual(1e-5 * Math.max(1e-3, Math.abs(w)));
      });
    }
  });

  it.each([
    [1, 1, 6],
    [2, 7, 10],
    [3, 33, 6],
  ])('binary ops with broadcasting and constants, B=%i N=%i C=%i', async (B, N, C) => {
    const g = new GraphBuilder('binary');
    const a = g.input('a', ['B', 'N', 'C']);
    const p = g.input('p', ['B', 'N', 'C']);
    const bias = g.param('bias', ['C']);
    const col = g.input('col', ['N', 1]);
    const row = g.input('row', [1, 'C']);
    g.output('add', g.binary('add', a, bias));
    g.output('sub', g.binary('sub', col, row));
    g.output('mul', g.binary('mul', a, col));
    g.output('div', g.binary('div', a, g.const(0.3)));
    g.output('rsub', g.binary('sub', g.const(1), a));
    g.output('pow', g.binary('pow', p, bias));
    g.output('square', g.binary('pow', a, g.const(2)));
    g.output('cube', g.binary('pow', a, g.const(3)));
    g.output('min', g.binary('min', a, row));
    g.output('max', g.binary('max', col, a));
    g.output('self', g.binary('mul', a, a));
    const graph = g.build();
    await compare(graph, tensorsFor(graph, { B, N, C }, B * N, ['p']));
  });

  it.each([
    [1, 6, 5],
    [7, 10, 17],
    [33, 37, 3],
  ])('matmul with batch broadcasting, N=%i C=%i E=%i', async (N, C, E) => {
    const g = new GraphBuilder('matmul');
    const x = g.input('x', ['B', 'H', 'N', 'C']);
    const w = g.param('w', ['C', 'E']);
    const m = g.input('m', ['N', 'C']);
    const y = g.input('y', ['B', 'C', 'E']);
    const l = g.input('l', [2, 1, 'N', 'C']);
    const r = g.input('r', [1, 3, 'C', 'E']);
    g.output('xw', g.matmul(x, w));
    g.output('my', g.matmul(m, y));
    g.output('lr', g.matmul(l, r));
    g.output('mw', g.matmul(m, w));
    const graph = g.build();
    await compare(graph, tensorsFor(graph, { B: 2, H: 3, N, C, E }, N + C + E));
  });

  it.each([
    [1, 1, 6],
    [2, 7, 10],
    [2, 1000, 6],
  ])('sum, mean, norm and max over each axis, with and without keep, B=%i N=%i C=%i', async (B, N, C) => {
    const g = new GraphBuilder('reduce');
    const x = g.input('x', ['B', 'N', 'C']);
    for (const kind of ['sum', 'mean', 'norm', 'max'] as const) {
      for (const axis of [0, 1, 2]) for (const keep of [false, true]) g.output(`${kind}${axis}${keep ? 'k' : ''}`, g.reduce(kind, x, axis, keep));
    }
    const graph = g.build();
    await compare(graph, tensorsFor(graph, { B, N, C }, N));
  });

  it.each([1, 7, 40])('outer, transpose, split and merge heads, N=%i', async (N) => {
    for (const [heads, C] of [
      [1, 6],
      [2, 6],
      [5, 10],
    ]) {
      const g = new GraphBuilder('layout');
      const x = g.input('x', ['B', 'N', 'C']);
      const e = g.input('e', ['N', 'E']);
      g.output('outer', g.outer(x, e));
      g.output('t', g.transpose(x));
      g.output('tt', g.transpose(g.transpose(x)));
      const h = g.splitHeads(x, heads);
      g.output('split', h);
      g.output('merge', g.mergeHeads(g.unary('relu', h)));
      g.output('ht', g.mergeHeads(g.transpose(g.transpose(h))));
      const graph = g.build();
      await compare(graph, tensorsFor(graph, { B: 2, N, C, E: 3 }, N * heads));
    }
  });

  it.each([
    [1, 1, 6, 1],
    [2, 7, 6, 2],
    [1, 1000, 10, 5],
    [2, 1000, 6, 2],
    [1, 7, 10, 5],
  ])('the SAGA-N1 core, B=%i N=%i C=%i heads=%i', async (B, N, C, heads) => {
    const graph = sagaCore(heads);
    // Gates in (0, 1) and non-negative features, as in the real block, keep den away from 0.
    const t = tensorsFor(graph, { B, N, C }, B + N + C + heads, ['q', 'k', 'a', 'b']);
    for (const n of ['a', 'b']) t[n].data.forEach((v, i) => (t[n].data[i] = 1 / (1 + Math.exp(-v))));
    await compare(graph, t);
  });

  it('runs examples/saga.saga end to end, and one executor serves several N', async () => {
    const r = compileSource(readFileSync('examples/saga.saga', 'utf8'), 'examples/saga.saga');
    const graph = r.graphs[0];
    const exec = await Executor.create(gpu, generatePlan(graph));
    for (const N of [1, 7, 100]) await compare(graph, tensorsFor(graph, { B: 2, N, C: 10 }, N), exec);
  });

  it('copies an input output and writes constant outputs', async () => {
    const g = new GraphBuilder('trivial');
    const x = g.input('x', ['N']);
    g.output('same', x).output('again', x);
    g.output('c', g.const(-1 / 3));
    g.output('e', g.unary('exp', g.const(1.5)));
    const graph = g.build();
    const got = await compare(graph, tensorsFor(graph, { N: 5 }, 1));
    expect(got.outputs.c.shape).toEqual([]);
    expect(got.outputs.same.data).not.toBe(got.outputs.again.data);
  });

  it('launches more than 65535 workgroups in one dispatch (linear and matmul)', async () => {
    const count = 65535 * 64 + 3;
    const g = new GraphBuilder('big');
    g.output('y', g.unary('neg', g.input('x', ['N'])));
    const m = g.matmul(g.input('a', ['M', 1, 2]), g.input('b', ['M', 2, 2]));
    g.output('ab', m);
    const graph = g.build();
    const plan = generatePlan(graph);
    const env = new Map([
      ['N', count],
      ['M', 70000],
    ]);
    expect(workgroupCounts(plan.kernels[0], env, 65535)).toEqual([65535, 2, 1]);
    expect(workgroupCounts(plan.kernels[1], env, 65535)).toEqual([1, 65535, 2]);
    const tensors = tensorsFor(graph, { N: count, M: 70000 }, 3);
    const got = await compare(graph, tensors);
    expect(got.outputs.y.data[count - 1]).toBe(-tensors.x.data[count - 1]);
  });
});

describe('WebGPU executor errors', () => {
  const graph = sagaCore(2);
  let exec: Executor;
  beforeAll(async () => {
    exec = await Executor.create(gpu, generatePlan(graph));
  });

  it('names the tensor with a wrong shape', async () => {
    const t = tensorsFor(graph, { B: 1, N: 3, C: 6 }, 1);
    t.k = randomTensor([1, 2, 4, 3], rng(2));
    await expect(exec.run(t)).rejects.toThrow(SagaError);
    await expect(exec.run(t)).rejects.toThrow(/'k'.*axis 2/);
  });

  it('names a missing tensor', async () => {
    const t = tensorsFor(graph, { B: 1, N: 3, C: 6 }, 1);
    delete t.v;
    await expect(exec.run(t)).rejects.toThrow(/missing input 'v'/);
  });

  it('refuses a buffer over the binding limit, naming it', () => {
    const limits = { maxStorageBufferBindingSize: 1024, maxBufferSize: 4096 } as GPUSupportedLimits;
    expect(() => checkBufferSize('g', 2048, limits)).toThrow(/buffer 'g' needs 2048 bytes.*maxStorageBufferBindingSize 1024/);
  });

  it('still runs after an error', async () => {
    await compare(graph, tensorsFor(graph, { B: 1, N: 3, C: 6 }, 1, ['q', 'k', 'a', 'b']), exec);
  });
});

describe('WebGPU executor edge cases', () => {
  it('pow follows Math.pow for negative bases, zero and integer exponents', async () => {
    const g = new GraphBuilder('pow');
    g.output('p', g.binary('pow', g.input('x', ['N']), g.input('y', ['N'])));
    const graph = g.build();
    const x = Float32Array.from([-2, -2, -2, 0, 0, 2, -0.5, -3, 1.5]);
    const y = Float32Array.from([3, 2, 0.5, -1, 0, 2, -2, 0, -1.5]);
    const plan = generatePlan(graph);
    const got = (await (await Executor.create(gpu, plan)).run({ x: { shape: [9], data: x }, y: { shape: [9], data: y } })).outputs.p.data;
    const want = [...x].map((v, i) => Math.pow(v, y[i]));
    got.forEach((v, i) => {
      if (Number.isNaN(want[i]) || !Number.isFinite(want[i])) expect(v, `pow(${x[i]}, ${y[i]})`).toBe(want[i]);
      else expect(Math.abs(v - want[i]), `pow(${x[i]}, ${y[i]}) = ${v}`).toBeLessThan(1e-6 * Math.abs(want[i]));
    });
  });

  it('reports a kernel that does not compile with its name and the WGSL line', async () => {
    const plan = generatePlan(sagaCore(1, 'broken'));
    const k = plan.kernels.find((x) => x.name === 'mul_t7')!;
    const broken = { ...plan, kernels: [{ ...k, wgsl: k.wgsl.replace('let v0 =', 'let v0: u32 =') }] };
    await expect(Executor.create(gpu, broken)).rejects.toThrow(/kernel mul_t7 does not compile:\n.*line \d+:\d+: .*\n\s+12 \|\s+let v0: u32 = g\[i\];/);
  });
});
