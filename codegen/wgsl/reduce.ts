// sum / mean / norm over one axis. The input is viewed as [outer, len, inner] (so the kernel does
// not depend on the rank or the axis); one invocation per output element walks the reduced axis.
import type { ReduceKind } from '../../compiler/ir.js';
import { lit, type Dim } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { WORKGROUP } from './elementwise.js';
import { coordinates, F32_BITS, linearIndex, printKernel, Uniforms, type HelperFn } from './print.js';

export interface ReduceSpec {
  readonly name: string;
  readonly header: readonly string[];
  readonly kind: ReduceKind;
  /** The reduced operand: its buffer, or (fused) `load` giving its element at coordinates. */
  readonly x: { readonly id: string; readonly shape: readonly Dim[]; readonly load?: (coords: readonly string[]) => string };
  readonly loaders?: { readonly helpers: readonly HelperFn[]; readonly reads: readonly string[] };
  readonly uniforms?: Uniforms;
  readonly axis: number;
  readonly write: string;
  /** Divide the sum by this size instead (a mean over a count the partials don't show). */
  readonly divideBy?: Dim;
}

/** Threads sharing one output of a reduction over a symbolic axis (a power of two). */
export const COOPERATIVE = 256;

export function reduceKernel(spec: ReduceSpec): KernelSpec {
  const u = spec.uniforms ?? new Uniforms();
  const shape = spec.x.shape;
  const count = shape.filter((_, k) => k !== spec.axis);
  const len = u.of([shape[spec.axis]]);
  const inner = u.of(shape.slice(spec.axis + 1));
  const x = `$(${spec.x.id})`;
  const finish = (acc: string) =>
    spec.divideBy ? `${acc} / f32(${u.of([spec.divideBy])})` : { sum: acc, mean: `${acc} / f32(${len})`, norm: `sqrt(${acc})`, max: acc, lse: `rd_m + log(${acc})` }[spec.kind];
  const isMax = spec.kind === 'max' || spec.kind === 'lse';
  // -inf for max: a bit pattern, since WGSL has no literal for it.
  const start = isMax ? 'saga_f32_bits(0xff800000u)' : '0.0';
  const combine = (a: string, b: string) => (isMax ? `max(${a}, ${b})` : `${a} + ${b}`);
  // A reduction over a symbolic axis before the last (the tokens of [..., N, d], say) is long and
  // has few outputs: then a workgroup of COOPERATIVE threads shares each output, striding over
  // the axis and adding up in workgroup memory in a fixed tree order (deterministic, no atomics).
  // Over the last axis (channels, a head dim) or a literal one there is an output per row, plenty
  // of parallelism: one invocation per output walks the axis. (Measured on an H100: the
  // cooperative form over d = 64 for 819,200 rows took 8.3 ms of a 31 ms block.)
  // (lse only walks: its online max/sum pair would need two shared arrays to combine.)
  const cooperative = shape[spec.axis].sym !== null && spec.axis < shape.length - 1 && spec.kind !== 'lse';
  const index = cooperative ? 'rd_o' : 'i';
  const body = cooperative
    ? [
        // Workgroup-uniform, so the early return cannot strand the barriers below.
        'let rd_o = (wid.z * nwg.y + wid.y) * nwg.x + wid.x;',
        `if (rd_o >= ${u.of(count)}) { return; }`,
      ]
    : [linearIndex(WORKGROUP), `if (i >= ${u.of(count)}) { return; }`];
  const first = cooperative ? 'lidx' : '0u';
  const step = cooperative ? `${COOPERATIVE}u` : '1u';
  let value: string;
  if (spec.x.load) {
    // Fused: the operand's coordinates are the output's with the reduced axis inserted.
    const c = coordinates(count, index, u, body, 'o');
    value = spec.x.load([...c.slice(0, spec.axis), 'rd_r', ...c.slice(spec.axis)]);
  } else {
    // Start of this output's run: [outer, len, inner] with (outer, inner) = (i / inner, i % inner).
    const start = inner === '1u' ? `${index} * ${len}` : `(${index} / ${inner}) * ${len} * ${inner} + ${index} % ${inner}`;
    body.push(`let rd_p = ${start};`);
    value = `${x}[rd_p + rd_r${inner === '1u' ? '' : ` * ${inner}`}]`;
  }
  if (spec.kind === 'lse') {
    // Online: the running max m and Σ exp(x - m), rescaled when the max grows (one pass, no
    // overflow: every exp has a non-positive argument).
    body.push(
      `var rd_m = ${start};`,
      'var acc = 0.0;',
      `for (var rd_r = ${first}; rd_r < ${len}; rd_r = rd_r + ${step}) {`,
      `  let rd_v = ${value};`,
      '  if (rd_v > rd_m) { acc = acc * exp(rd_m - rd_v) + 1.0; rd_m = rd_v; } else { acc = acc + exp(rd_v - rd_m); }',
      '}',
    );
  } else {
    body.push(
      `var acc = ${start};`,
      `for (var rd_r = ${first}; rd_r < ${len}; rd_r = rd_r + ${step}) {`,
      spec.kind === 'norm' ? `  let rd_v = ${value};` : `  acc = ${combine('acc', value)};`,
      ...(spec.kind === 'norm' ? ['  acc = acc + rd_v * rd_v;'] : []),
      '}',
    );
  }
  if (cooperative) {
    body.push(
      'rd_sh[lidx] = acc;',
      'workgroupBarrier();',
      `for (var rd_s = ${COOPERATIVE / 2}u; rd_s > 0u; rd_s = rd_s / 2u) {`,
      `  if (lidx < rd_s) { rd_sh[lidx] = ${combine('rd_sh[lidx]', 'rd_sh[lidx + rd_s]')}; }`,
      '  workgroupBarrier();',
      '}',
      `if (lidx == 0u) { $(${spec.write})[rd_o] = ${finish('rd_sh[0]')}; }`,
    );
  } else body.push(`$(${spec.write})[i] = ${finish('acc')};`);
  const reads = [...(spec.x.load ? [] : [spec.x.id]), ...(spec.loaders?.reads ?? [])];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    uniformSlots: u.values.length,
    workgroupSize: [cooperative ? COOPERATIVE : WORKGROUP, 1, 1],
    ...(cooperative ? { shared: [{ name: 'rd_sh', length: COOPERATIVE }] } : {}),
    helpers: [...(spec.loaders?.helpers ?? []), ...(isMax ? [F32_BITS] : [])],
    body,
  });
  return {
    name: spec.name,
    wgsl,
    reads,
    writes: spec.write,
    uniforms: u.values,
    workgroupSize: cooperative ? COOPERATIVE : WORKGROUP,
    // Cooperative: COOPERATIVE invocations (one workgroup) per output.
    dispatch: { kind: 'linear', count: cooperative ? [...count, lit(COOPERATIVE)] : count },
  };
}

/** One sum of partials: `[splits, ...shape]` in `x`, the sum over the splits (divided by `divideBy`) into `write`. */
export interface PartialSum {
  readonly x: string;
  /** `[splits, ...shape]`, splits a literal. */
  readonly shape: readonly Dim[];
  readonly write: string;
  readonly divideBy?: Dim;
}

/**
 * The second stage of a split reduction that wrote several partial results (the KV state S and,
 * hosted, its normaliser z): one kernel adds up each over its splits, one invocation per element
 * of the first (which must be the largest; the others are guarded), in a fixed order.
 */
export function partialSumsKernel(spec: { readonly name: string; readonly header: readonly string[]; readonly parts: readonly PartialSum[] }): KernelSpec {
  const u = new Uniforms();
  const [first, ...rest] = spec.parts;
  const count = (p: PartialSum) => p.shape.slice(1);
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.of(count(first))}) { return; }`];
  spec.parts.forEach((p, k) => {
    const n = u.of(count(p));
    const sum = [
      `var acc${k} = 0.0;`,
      `for (var rd_r = 0u; rd_r < ${u.of([p.shape[0]])}; rd_r = rd_r + 1u) { acc${k} = acc${k} + $(${p.x})[rd_r * ${n} + i]; }`,
      `$(${p.write})[i] = ${p.divideBy ? `acc${k} / f32(${u.of([p.divideBy])})` : `acc${k}`};`,
    ];
    body.push(...(k === 0 ? sum : [`if (i < ${n}) {`, ...sum.map((l) => `  ${l}`), '}']));
  });
  const reads = spec.parts.map((p) => p.x);
  const alsoWrites = rest.map((p) => p.write);
  const wgsl = printKernel({ header: spec.header, reads, write: first.write, ...(alsoWrites.length ? { alsoWrites } : {}), uniformSlots: u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: [], body });
  return { name: spec.name, wgsl, reads, writes: first.write, ...(alsoWrites.length ? { alsoWrites } : {}), uniforms: u.values, workgroupSize: WORKGROUP, dispatch: { kind: 'linear', count: count(first) } };
}
