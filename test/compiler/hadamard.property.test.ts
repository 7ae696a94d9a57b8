// Property-based tests (fast-check) of the Hadamard decomposition on random gated attention blocks
// written as DSL text: feature map, which side is gated and where the gate comes from, normaliser,
// sum or mean, the order and grouping of the products, which factors are bound by a `let` and where
// in the block the items sit. Where the rewrite is exact it must fire, leave nothing N×d×d, and keep
// the result (float64 interpreter both sides; a sample also fused on WebGPU). Where it is not exact
// (a gate that is not an outer product, another axis, keep = true, another reduction) it must not.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource, type CompileResult } from '../../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

/** One item of a block: its text, the names it defines and the names it reads. */
interface Item {
  readonly text: string;
  readonly defines: string;
  readonly reads: readonly string[];
}

const item = (defines: string, reads: readonly string[], text: string): Item => ({ defines, reads, text });

/**
 * The items in a random order that still defines every name before its use (Kahn's algorithm,
 * taking the ready item of lowest priority), so a `let` lands "somewhere earlier in the block".
 */
function arrange(items: readonly Item[], priority: readonly number[]): string {
  const defined = new Set<string>();
  const left = items.map((it, i) => ({ it, p: priority[i % Math.max(1, priority.length)] ?? 0, i }));
  const out: string[] = [];
  while (left.length) {
    const ready = left.filter(({ it }) => it.reads.every((r) => defined.has(r)));
    if (!ready.length) throw new Error(`cyclic or undefined reads in ${left.map(({ it }) => it.defines).join(', ')}`);
    const next = ready.reduce((best, c) => (c.p < best.p || (c.p === best.p && c.i < best.i) ? c : best));
    left.splice(left.indexOf(next), 1);
    defined.add(next.it.defines);
    out.push(`  ${next.it.text}`);
  }
  return out.join('\n');
}

/** `items` multiplied left to right, grouped as `splits` says: `a * (b * c)`, `(a * b) * c`, ... */
function group(items: readonly string[], splits: readonly number[], at = 0): string {
  if (items.length === 1) return items[0];
  const choice = splits[at % Math.max(1, splits.length)] ?? 0;
  const cut = 1 + (choice % (items.length - 1));
  const left = group(items.slice(0, cut), splits, at + 1);
  const right = group(items.slice(cut), splits, at + 2);
  // A product on the right needs parentheses to keep its grouping; one on the left gets redundant
  // ones at times.
  return `${cut > 1 && choice % 2 === 1 ? `(${left})` : left} * ${items.length - cut > 1 ? `(${right})` : right}`;
}

const PHI = ['relu(X)', 'elu(X) + 1', 'relu(X) + 0.001', 'softplus(X)'] as const;
/** Where a gate vector comes from: a projection (with or without bias), an extra input, or x itself. */
const GATE_SOURCES = ['proj', 'proj_bias', 'input', 'x'] as const;

const common = {
  heads: fc.constantFrom(1, 2),
  d: fc.integer({ min: 1, max: 3 }),
  phi: fc.constantFrom(...PHI),
  gate: fc.constantFrom('both', 'key', 'value'),
  srcA: fc.constantFrom(...GATE_SOURCES),
  srcB: fc.constantFrom(...GATE_SOURCES),
  agg: fc.constantFrom('sum', 'mean'),
  /** Which two outer products: gate ⊙ kv, the cross pairing a vᵀ ⊙ k bᵀ, or one merged outer. */
  pairing: fc.constantFrom('gate-kv', 'cross', 'merged'),
  scalar: fc.constantFrom('', '0.5', 'scale', '2'),
  order: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  splits: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  /** Per factor: bound by a `let` (true) or written inline. */
  bound: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  /** The product bound by a `let` before the reduction. */
  productLet: fc.boolean(),
  priority: fc.array(fc.nat({ max: 20 }), { minLength: 24, maxLength: 24 }),
};

const positive = fc.record({
  ...common,
  norm: fc.constantFrom('N1-sum', 'N1-mean', 'N2', 'N3'),
  project: fc.boolean(),
});

/** How a negative case breaks the pattern. */
const negative = fc.record({
  ...common,
  breaks: fc.oneof(
    fc.record({ kind: fc.constant('not-outer' as const), wrap: fc.constantFrom('sigmoid(G)', 'exp(G)', '(G + 0.5)', '(G / 2)', 'gin') }),
    fc.record({ kind: fc.constant('axis' as const), axis: fc.constantFrom('B', '0', '1', '3', '4', '-1', '-2', '-4', '-5') }),
    fc.record({ kind: fc.constant('keep' as const) }),
    fc.record({ kind: fc.constant('reduction' as const), fn: fc.constantFrom('amax', 'norm') }),
  ),
});

type Common = { [K in keyof typeof common]: (typeof common)[K] extends fc.Arbitrary<infer T> ? T : never };
type Positive = typeof positive extends fc.Arbitrary<infer T> ? T : never;
type Negative = typeof negative extends fc.Arbitrary<infer T> ? T : never;

/** The shared part of a block: declarations, q, k, v, the gate vectors, and the gated product's factors. */
function parts(c: Common, wrapGate?: string) {
  const phi = (x: string) => c.phi.replace('X', x);
  const items: Item[] = [
    item('heads', [], `const heads = ${c.heads}`),
    item('scale', [], 'const scale = 0.25'),
    item('eps', [], 'const eps = 1e-6'),
    item('d', ['heads'], 'dim d = C / heads'),
    item('x', [], 'input x: [B, N, C]'),
    item('w_q', [], 'param w_q: [C, C]'),
    item('w_k', [], 'param w_k: [C, C]'),
    item('w_v', [], 'param w_v: [C, C]'),
    item('q', ['x', 'w_q', 'heads'], `let q = ${phi('split_heads(x @ w_q, heads)')}`),
    item('k', ['x', 'w_k', 'heads'], `let k = ${phi('split_heads(x @ w_k, heads)')}`),
    item('v', ['x', 'w_v', 'heads'], 'let v = split_heads(x @ w_v, heads)'),
  ];
  const gateVector = (name: 'a' | 'b', src: (typeof GATE_SOURCES)[number]) => {
    const w = `w_${name}`;
    if (src === 'proj' || src === 'proj_bias') items.push(item(w, [], `param ${w}: [C, C]`));
    if (src === 'proj_bias') items.push(item(`bias_${name}`, [], `param bias_${name}: [C]`));
    if (src === 'input') items.push(item(`u_${name}`, [], `input u_${name}: [B, N, C]`));
    const arg = { proj: [`x @ ${w}`, ['x', w]], proj_bias: [`x @ ${w} + bias_${name}`, ['x', w, `bias_${name}`]], input: [`u_${name}`, [`u_${name}`]], x: ['x', ['x']] } as const;
    const [text, reads] = arg[src];
    items.push(item(name, [...reads, 'heads'], `let ${name} = sigmoid(split_heads(${text}, heads))`));
  };
  // A side without a gate multiplies by ones shaped like its vector: `outer(a, 1 + 0 * v)`.
  if (c.gate !== 'value') gateVector('a', c.srcA);
  if (c.gate !== 'key') gateVector('b', c.srcB);
  const A = c.gate === 'value' ? ['(1 + 0 * k)', ['k']] as const : ['a', ['a']] as const;
  const Bv = c.gate === 'key' ? ['(1 + 0 * v)', ['v']] as const : ['b', ['b']] as const;
  const unparen = (s: string) => s.replace(/^\((.*)\)$/, '$1');

  // The factors of the gated product, each with the names it reads.
  let factors: (readonly [string, readonly string[]])[] =
    c.pairing === 'gate-kv'
      ? [[`outer(${A[0]}, ${unparen(Bv[0])})`, [...A[1], ...Bv[1]]], ['outer(k, v)', ['k', 'v']]]
      : c.pairing === 'cross'
        ? [[`outer(${A[0]}, v)`, [...A[1], 'v']], [`outer(k, ${unparen(Bv[0])})`, ['k', ...Bv[1]]]]
        : [[c.order[0] % 2 ? `outer(${A[0]} * k, ${Bv[0]} * v)` : `outer(k * ${A[0]}, v * ${Bv[0]})`, [...A[1], ...Bv[1], 'k', 'v']]];
  if (wrapGate !== undefined) {
    if (wrapGate === 'gin') {
      items.push(item('gin', ['heads', 'd'], 'input gin: [B, heads, N, d, d]'));
      factors[0] = ['gin', ['gin']];
    } else factors[0] = [wrapGate.replace('G', factors[0][0]), factors[0][1]];
  }
  if (c.scalar) factors.push([c.scalar, c.scalar === 'scale' ? ['scale'] : []]);
  // Bind some factors by `let`; the reference then reads only the let.
  factors = factors.map(([text, reads], i) => {
    if (!c.bound[i] || /^\w+$/.test(text)) return [text, reads];
    items.push(item(`f${i}`, reads, `let f${i} = ${text}`));
    return [`f${i}`, [`f${i}`]];
  });
  // Random order of the factors (a stable sort by random keys), then random grouping.
  const ordered = factors.map((f, i) => ({ f, key: c.order[i] ?? 0, i })).sort((x, y) => x.key - y.key || x.i - y.i).map(({ f }) => f);
  let product = group(ordered.map(([t]) => t), c.splits);
  let productReads = ordered.flatMap(([, r]) => r);
  if (c.productLet) {
    items.push(item('p', productReads, `let p = ${product}`));
    [product, productReads] = ['p', ['p']];
  }
  return { items, product, productReads, A, Bv };
}

function positiveSource(c: Positive): string {
  const { items, product, productReads, A, Bv } = parts(c);
  items.push(item('s', productReads, `let s = ${c.agg}(${product}, N)`));
  if (c.norm === 'N1-sum' || c.norm === 'N1-mean') {
    items.push(item('z', [...A[1], 'k'], `let z = ${c.norm === 'N1-sum' ? 'sum' : 'mean'}(${A[0]} * k, N, keep = true)`));
    items.push(item('den', ['q', 'z', 'd'], 'let den = sum(q * z, d, keep = true)'));
  } else if (c.norm === 'N2') {
    items.push(item('zmat', [...A[1], ...Bv[1], 'k'], `let zmat = transpose(${A[0]} * k) @ ${Bv[0]}`));
    items.push(item('den', ['q', 'zmat'], 'let den = q @ zmat'));
  } else items.push(item('den', ['q', 'k', 'd'], 'let den = sum(q * mean(k, N, keep = true), d, keep = true)'));
  items.push(item('o', ['q', 's', 'den', 'eps'], 'let o = (q @ s) / (den + eps)'));
  if (c.project) {
    items.push(item('w_o', [], 'param w_o: [C, C]'));
    items.push(item('y', ['o', 'w_o'], 'output y = merge_heads(o) @ w_o'));
  } else items.push(item('y', ['o'], 'output y = merge_heads(o)'));
  return `block gated {\n${arrange(items, c.priority)}\n}\n`;
}

function negativeSource(c: Negative): string {
  const br = c.breaks;
  const { items, product, productReads } = parts(c, br.kind === 'not-outer' ? br.wrap : undefined);
  const state =
    br.kind === 'not-outer' ? `${c.agg}(${product}, N)`
    : br.kind === 'axis' ? `${c.agg}(${product}, ${br.axis})`
    : br.kind === 'keep' ? `${c.agg}(${product}, N, keep = true)`
    : `${br.fn}(${product}, N)`;
  items.push(item('s', productReads, `output s = ${state}`));
  return `block ungated {\n${arrange(items, c.priority)}\n}\n`;
}

function compile(source: string): CompileResult {
  const r = compileSource(source, 'random.saga', { verify: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${source}\n${errors.map((e) => `${e.span.line}:${e.span.col} ${e.code} ${e.message}`).join('\n')}`);
  return r;
}

function tensorsFor(g: Graph, env: Record<string, number>, seed: number): Record<string, Tensor> {
  const dims = new Map(Object.entries(env));
  const next = rng(seed);
  return Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, dims), next, 0.8)]));
}

const maxRank = (g: Graph) => Math.max(...g.nodes.map((n) => n.shape.length));
const hadamardRewrites = (r: CompileResult) => r.rewrites.filter((w) => w.pass === 'hadamard-decompose');

/** Both graphs in the float64 interpreter: every output agrees to 1e-9 (normwise). */
function expectSameInInterpreter(r: CompileResult, env: Record<string, number>, seed: number) {
  const tensors = tensorsFor(r.graphs[0], env, seed);
  const want = interpret(r.graphs[0], tensors);
  const got = interpret(r.optimized[0], tensors);
  for (const o of r.graphs[0].outputs) expect(maxRelativeError(got[o.name].data, want[o.name].data), r.source).toBeLessThan(1e-9);
}

const sizes = (maxN: number) => fc.record({ B: fc.integer({ min: 1, max: 2 }), N: fc.integer({ min: 1, max: maxN }), seed: fc.nat() });

describe('hadamard-decompose on random gated blocks', () => {
  it('the generator writes what it means to (a fixed example)', () => {
    const src = positiveSource({
      heads: 2, d: 2, phi: 'relu(X)', gate: 'key', srcA: 'proj', srcB: 'x', agg: 'mean', pairing: 'cross', scalar: '0.5',
      order: [2, 0, 1], splits: [1], bound: [true, false, false], productLet: false, priority: Array(24).fill(0), norm: 'N2', project: false,
    });
    expect(src).toContain('let f0 = outer(a, v)');
    expect(src).toContain('let s = mean((outer(k, 1 + 0 * v) * 0.5) * f0, N)');
    expect(src.indexOf('let f0')).toBeLessThan(src.indexOf('let s'));
  });

  it('compiles, fires, leaves nothing N×d×d and keeps the result (300 blocks, float64)', () => {
    fc.assert(
      fc.property(positive, sizes(9), (c, { B, N, seed }) => {
        const r = compile(positiveSource(c));
        expect(hadamardRewrites(r).length, r.source).toBeGreaterThanOrEqual(1);
        expect(maxRank(r.graphs[0])).toBe(5);
        expect(maxRank(r.optimized[0]), r.source).toBeLessThanOrEqual(4);
        expectSameInInterpreter(r, { B, N, C: c.heads * c.d }, seed);
      }),
      { numRuns: 300, seed: 0x5a6a },
    );
  });

  it('does not fire where the decomposition is not exact, and keeps the result (200 blocks, float64)', () => {
    fc.assert(
      fc.property(negative, sizes(7), (c, { B, N, seed }) => {
        const r = compile(negativeSource(c));
        expect(hadamardRewrites(r), r.source).toEqual([]);
        expect(r.optimized[0].nodes.some((n) => n.op === 'outer_reduce')).toBe(false);
        // A factor that is not an outer product next to one that is, under a token reduction, is
        // the case worth a warning (with no outer product left there is nothing to decompose).
        const warned = r.diagnostics.some((d) => d.code === 'SG4003');
        expect(warned, r.source).toBe(c.breaks.kind === 'not-outer' && c.pairing !== 'merged');
        expectSameInInterpreter(r, { B, N, C: c.heads * c.d }, seed);
      }),
      { numRuns: 200, seed: 0x6b7c },
    );
  });

  describe('on WebGPU', () => {
    let gpu: GpuContext;
    beforeAll(async () => {
      gpu = await acquireDevice();
    });
    afterAll(() => gpu?.destroy());

    async function expectFusedMatches(r: CompileResult, env: Record<string, number>, seed: number) {
      const tensors = tensorsFor(r.graphs[0], env, seed);
      const want = interpret(r.graphs[0], tensors);
      const executor = await Executor.create(gpu, generatePlan(r.optimized[0]));
      try {
        const got = await executor.run(tensors);
        for (const o of r.graphs[0].outputs) expect(maxRelativeError(got.outputs[o.name].data, want[o.name].data), r.source).toBeLessThanOrEqual(1e-4);
      } finally {
        executor.destroy();
      }
    }

    it('the fused plan of a decomposed block matches the interpreter of the block as written (20 blocks, N ≤ 50)', async () => {
      await fc.assert(
        fc.asyncProperty(positive, sizes(50), async (c, { B, N, seed }) => {
          await expectFusedMatches(compile(positiveSource(c)), { B, N, C: c.heads * c.d }, seed);
        }),
        { numRuns: 20, seed: 0x7d8e },
      );
    });

    it('so does the fused plan of a block left alone (8 blocks, N ≤ 20)', async () => {
      await fc.assert(
        fc.asyncProperty(negative, sizes(20), async (c, { B, N, seed }) => {
          await expectFusedMatches(compile(negativeSource(c)), { B, N, C: c.heads * c.d }, seed);
        }),
        { numRuns: 8, seed: 0x8e9f },
      );
    });
  });
});
