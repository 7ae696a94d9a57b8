// The self-check (`sagac selftest`): runs every kernel of a block, fused and unfused, on this
// adapter and compares each kernel's result with the float64 interpreter's value of the same IR
// node, on random inputs of odd sizes. Pass criterion, after FlashAttention's tests: an output's
// fused error may be at most K times its unfused error at the same precision, or under the
// floor; every kernel's result must be under the floor. Errors are normwise:
// max|gpu - ref| / max|ref|.
import { patchRows, type Graph } from '../compiler/ir.js';
import { SagaError } from './errors.js';
import { interpretValues } from './interpreter.js';
import type { Plan } from './plan.js';
import { randomTensor, rng } from './random.js';
import { evalShape } from './shape.js';
import { maxRelativeError, type Tensor } from './tensor.js';
import { Executor, type GpuContext } from './webgpu/index.js';

/** The fused error may be this many times the unfused error... */
export const SELFTEST_K = 2;
/** ...or below this (f32, normwise), whichever is larger. */
export const SELFTEST_FLOOR = 1e-4;
/** The floor for plans with f16 storage (f16 keeps 11 significant bits: 4.9e-4 per rounding). */
export const SELFTEST_FLOOR_F16 = 1e-2;

export interface KernelCheck {
  readonly arm: 'fused' | 'unfused';
  readonly kernel: string;
  /** The buffer checked and the IR value it holds. */
  readonly buffer: string;
  readonly holds: string;
  readonly error: number;
  readonly pass: boolean;
}

export interface OutputCheck {
  readonly name: string;
  readonly fused: number;
  readonly unfused: number;
  readonly pass: boolean;
}

export interface SelfTestReport {
  readonly block: string;
  readonly dims: Readonly<Record<string, number>>;
  readonly kernels: readonly KernelCheck[];
  readonly outputs: readonly OutputCheck[];
  readonly pass: boolean;
}

/** What the self-check needs of a graph (a generated module embeds just this). */
export type SelfTestGraph = Pick<Graph, 'block' | 'symbols' | 'nodes' | 'outputs'>;

export interface SelfTestBlock {
  /** The block as written (the reference) and as optimised. */
  readonly unfused: { readonly graph: SelfTestGraph; readonly plan: Plan };
  readonly fused: { readonly graph: SelfTestGraph; readonly plan: Plan };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Odd sizes that every dim of the block divides into: N = 37, B = 3, any other symbol 3 times
 * what its divisions need (C = 6 where `d = C / 2`), so tiles and heads are all partial.
 */
export function selfTestDims(graph: SelfTestGraph): Record<string, number> {
  const need = new Map<string, number>();
  const require = (sym: string | null, k: number) => {
    if (sym !== null) need.set(sym, ((need.get(sym) ?? 1) * k) / gcd(need.get(sym) ?? 1, k));
  };
  for (const n of graph.nodes) {
    for (const d of n.shape) require(d.sym, d.den);
    // A patch grid needs whole rows of patches.
    if (n.op === 'patches') {
      const rows = patchRows(graph.nodes, n);
      require(rows.sym, rows.den);
    }
  }
  const base = (s: string) => (s === 'N' ? 37 : 3);
  return Object.fromEntries(graph.symbols.map((s) => [s, base(s) * (need.get(s) ?? 1)]));
}

export async function selfTest(ctx: GpuContext, block: SelfTestBlock, seed = 1): Promise<SelfTestReport> {
  const { graph } = block.unfused;
  const dims = selfTestDims(graph);
  const env = new Map(Object.entries(dims));
  const next = rng(seed);
  const tensors: Record<string, Tensor> = {};
  for (const n of graph.nodes) if (n.op === 'input') tensors[n.name] = randomTensor(evalShape(n.shape, env), next, n.role === 'param' ? 0.5 : 1);

  const floor = block.fused.plan.precision === 'f16' ? SELFTEST_FLOOR_F16 : SELFTEST_FLOOR;
  const kernels: KernelCheck[] = [];
  const outputs = new Map<string, { fused: number; unfused: number }>();
  for (const arm of ['unfused', 'fused'] as const) {
    const { graph: g, plan } = block[arm];
    // Every buffer holding a whole IR value is read back next to the outputs.
    const checked = plan.buffers.filter((b) => b.node !== undefined);
    const want = interpretValues(g, tensors, [...checked.map((b) => b.node!), ...g.outputs.map((o) => o.value)]);
    const inspect: Plan = { ...plan, outputs: [...plan.outputs, ...checked.map((b) => ({ name: `\0${b.id}`, buffer: b.id }))] };
    const ex = await Executor.create(ctx, inspect);
    let got: Record<string, Tensor>;
    try {
      got = (await ex.run(tensors)).outputs;
    } finally {
      ex.destroy();
    }
    const byBuffer = new Map(checked.map((b) => [b.id, b]));
    for (const k of plan.kernels) {
      for (const id of [k.writes, ...(k.alsoWrites ?? [])]) {
        const b = byBuffer.get(id);
        if (!b) continue; // partial sums: checked through the kernel that adds them up
        const error = maxRelativeError(got[`\0${id}`].data, want.get(b.node!)!.data);
        kernels.push({ arm, kernel: k.name, buffer: id, holds: b.holds, error, pass: error <= floor });
      }
    }
    for (const o of g.outputs) {
      const e = maxRelativeError(got[o.name].data, want.get(o.value)!.data);
      outputs.set(o.name, { ...(outputs.get(o.name) ?? { fused: NaN, unfused: NaN }), [arm]: e });
    }
  }
  if (kernels.length === 0) throw new SagaError(`block ${graph.block}: no kernel to check`);
  const outputChecks = [...outputs].map(([name, e]) => ({ name, ...e, pass: e.fused <= Math.max(SELFTEST_K * e.unfused, floor) && e.unfused <= floor }));
  return { block: graph.block, dims, kernels, outputs: outputChecks, pass: kernels.every((k) => k.pass) && outputChecks.every((o) => o.pass) };
}
