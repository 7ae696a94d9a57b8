// `sagac/testing`: run a block fused and unfused on WebGPU, compare both with the float64
// interpreter, and a vitest matcher over the report for users' own tests.
//   import { compareFusedUnfused, sagacMatchers } from 'sagac/testing';
//   expect.extend(sagacMatchers);
//   expect(await compareFusedUnfused(source, 'saga', inputs, params)).toMatchUnfused({ rtol: 1e-4 });
import { generatePlan } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { formatDiagnostics } from '../dsl/format.js';
import { interpret } from '../runtime/interpreter.js';
import type { Plan } from '../runtime/plan.js';
import { SagaError } from '../runtime/errors.js';
import type { Tensor, TensorMap } from '../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../runtime/webgpu/index.js';
// Types only (erased): lets the `declare module 'vitest'` augmentation below find vitest.
import type {} from 'vitest';

export interface CompareOptions {
  /** Normwise relative tolerance: `max|gpu - ref| <= atol + rtol * max|ref|`. Default 1e-4. */
  readonly rtol?: number;
  /** Absolute slack added to the tolerance. Default 0. */
  readonly atol?: number;
  /** The device to run on; by default one is opened and closed for this comparison. */
  readonly device?: GpuContext;
  /** The file name diagnostics print. Default `<block>.saga`. */
  readonly file?: string;
  /** Changes the fused plan before it runs (for testing the comparison on a broken kernel). */
  readonly patchFused?: (plan: Plan) => Plan;
}

export interface ErrorFigures {
  /** `max_i |actual_i - expected_i|`. */
  readonly maxAbsError: number;
  /** Normwise: `maxAbsError / max_i |expected_i|`. */
  readonly maxRelError: number;
}

export interface OutputComparison {
  readonly name: string;
  readonly shape: readonly number[];
  /** Fused GPU run vs the float64 interpreter. */
  readonly fused: ErrorFigures;
  /** Unfused GPU run vs the float64 interpreter. */
  readonly unfused: ErrorFigures;
  /** Fused vs unfused GPU runs. */
  readonly fusedVsUnfused: ErrorFigures;
  /** The elements where fused and the reference differ most (at most 5), largest first. */
  readonly worst: readonly { readonly index: readonly number[]; readonly fused: number; readonly unfused: number; readonly reference: number }[];
  /** Fused and unfused both within tolerance of the reference. */
  readonly pass: boolean;
}

export interface FusedUnfusedReport {
  readonly block: string;
  readonly rtol: number;
  readonly atol: number;
  readonly kernels: { readonly fused: number; readonly unfused: number };
  readonly outputs: readonly OutputComparison[];
  readonly pass: boolean;
}

function figures(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorFigures {
  let maxAbsError = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxAbsError)) maxAbsError = d; // NaN stays NaN
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return { maxAbsError, maxRelError: maxAbsError / Math.max(maxRef, Number.MIN_VALUE) };
}

const within = (f: ErrorFigures, ref: ArrayLike<number>, rtol: number, atol: number) => {
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) maxRef = Math.max(maxRef, Math.abs(ref[i]));
  return f.maxAbsError <= atol + rtol * maxRef;
};

function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return index;
}

/**
 * Compiles `block` of `source`, runs it fused and unfused on WebGPU and in the float64 interpreter,
 * and reports each output's errors. Throws a SagaError with the diagnostics if the source has errors.
 * @example
 *   const report = await compareFusedUnfused(source, 'saga', { x }, params, { rtol: 1e-4 });
 *   if (!report.pass) console.log(formatReport(report));
 */
export async function compareFusedUnfused(source: string, block: string, inputs: TensorMap, params: TensorMap, options: CompareOptions = {}): Promise<FusedUnfusedReport> {
  const rtol = options.rtol ?? 1e-4;
  const atol = options.atol ?? 0;
  const r = compileSource(source, options.file ?? `${block}.saga`);
  if (!r.ok) throw new SagaError(`${block}: the source has errors\n${formatDiagnostics(r.diagnostics, source)}`);
  const i = r.graphs.findIndex((g) => g.block === block);
  if (i < 0) throw new SagaError(`no block '${block}' (blocks: ${r.graphs.map((g) => g.block).join(', ') || 'none'})`);
  const tensors = { ...inputs, ...params };
  const reference = interpret(r.graphs[i], tensors);
  const fusedPlan = (options.patchFused ?? ((p: Plan) => p))(generatePlan(r.optimized[i]));
  const unfusedPlan = generatePlan(r.graphs[i]);
  const device = options.device ?? (await acquireDevice());
  let fused: Record<string, Tensor>;
  let unfused: Record<string, Tensor>;
  try {
    fused = (await (await Executor.create(device, fusedPlan)).run(tensors)).outputs;
    unfused = (await (await Executor.create(device, unfusedPlan)).run(tensors)).outputs;
  } finally {
    if (!options.device) device.destroy();
  }
  const outputs = r.graphs[i].outputs.map(({ name }): OutputComparison => {
    const ref = reference[name].data;
    const f = fused[name].data;
    const u = unfused[name].data;
    const order = Array.from(ref, (_, k) => k).sort((a, b) => Math.abs(f[b] - ref[b]) - Math.abs(f[a] - ref[a]) || a - b);
    const cmpFused = figures(f, ref);
    const cmpUnfused = figures(u, ref);
    return {
      name,
      shape: reference[name].shape,
      fused: cmpFused,
      unfused: cmpUnfused,
      fusedVsUnfused: figures(f, u),
      worst: order.slice(0, 5).map((k) => ({ index: unravel(k, reference[name].shape), fused: f[k], unfused: u[k], reference: ref[k] })),
      pass: within(cmpFused, ref, rtol, atol) && within(cmpUnfused, ref, rtol, atol),
    };
  });
  return { block, rtol, atol, kernels: { fused: fusedPlan.kernels.length, unfused: unfusedPlan.kernels.length }, outputs, pass: outputs.every((o) => o.pass) };
}

const e = (x: number) => x.toExponential(2);

/** The report as a table, plus the worst elements of each failing output (what the matcher prints). */
export function formatReport(report: FusedUnfusedReport, rtol = report.rtol): string {
  const lines = [
    `block ${report.block}: ${report.kernels.fused} fused kernels, ${report.kernels.unfused} unfused; normwise rtol ${e(rtol)}${report.atol ? `, atol ${e(report.atol)}` : ''}`,
    `  output     fused vs f64   unfused vs f64   fused vs unfused   max abs (fused)`,
  ];
  for (const o of report.outputs) {
    const ok = (f: ErrorFigures) => `${e(f.maxRelError)} ${f.maxRelError <= rtol ? ' ' : '✗'}`;
    lines.push(`  ${o.name.padEnd(10)} ${ok(o.fused).padEnd(14)} ${ok(o.unfused).padEnd(16)} ${ok(o.fusedVsUnfused).padEnd(18)} ${e(o.fused.maxAbsError)}`);
  }
  for (const o of report.outputs.filter((o) => o.fused.maxRelError > rtol || o.unfused.maxRelError > rtol || o.fusedVsUnfused.maxRelError > rtol)) {
    lines.push(`  ${o.name} ${JSON.stringify(o.shape)}, largest differences (fused vs float64):`);
    for (const w of o.worst) {
      lines.push(`    ${o.name}[${w.index.join(', ')}]: fused ${w.fused.toPrecision(7)}, unfused ${w.unfused.toPrecision(7)}, float64 ${w.reference.toPrecision(7)}`);
    }
  }
  return lines.join('\n');
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * Vitest matchers: `expect.extend(sagacMatchers)`, then
 * `expect(report).toMatchUnfused({ rtol: 1e-4 })` passes when fused and unfused agree with each
 * other and with the float64 interpreter within `rtol` (normwise; default the report's rtol).
 */
export const sagacMatchers = {
  toMatchUnfused(received: FusedUnfusedReport, expected: { rtol?: number } = {}): MatcherResult {
    const rtol = expected.rtol ?? received.rtol;
    const bad = received.outputs.filter(
      (o) => !(o.fused.maxRelError <= rtol && o.unfused.maxRelError <= rtol && o.fusedVsUnfused.maxRelError <= rtol),
    );
    const pass = bad.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected block ${received.block} fused not to match unfused within rtol ${e(rtol)}, but it does\n${formatReport(received, rtol)}`
          : `expected block ${received.block} fused to match unfused within rtol ${e(rtol)}; ${bad.map((o) => o.name).join(', ')} differ${bad.length === 1 ? 's' : ''}\n${formatReport(received, rtol)}`,
    };
  },
};

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match vitest's declaration
  interface Assertion<T = any> {
    /** Fused and unfused GPU runs agree with each other and the float64 interpreter (see sagacMatchers). */
    toMatchUnfused(expected?: { rtol?: number }): T;
  }
}
