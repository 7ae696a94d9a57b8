// sum / mean / norm over one axis. The input is viewed as [outer, len, inner] (so the kernel does
// not depend on the rank or the axis); one invocation per output element walks the reduced axis.
import type { ReduceKind } from '../../compiler/ir.js';
import type { Dim } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { WORKGROUP } from './elementwise.js';
import { coordinates, linearIndex, printKernel, Uniforms, type HelperFn } from './print.js';

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

export function reduceKernel(spec: ReduceSpec): KernelSpec {
  const u = spec.uniforms ?? new Uniforms();
  const shape = spec.x.shape;
  const count = shape.filter((_, k) => k !== spec.axis);
  const len = u.of([shape[spec.axis]]);
  const inner = u.of(shape.slice(spec.axis + 1));
  const x = `$(${spec.x.id})`;
  const finish = spec.divideBy ? `acc / f32(${u.of([spec.divideBy])})` : { sum: 'acc', mean: `acc / f32(${len})`, norm: 'sqrt(acc)' }[spec.kind];
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.of(count)}) { return; }`];
  let value: string;
  if (spec.x.load) {
    // Fused: the operand's coordinates are the output's with the reduced axis inserted.
    const c = coordinates(count, 'i', u, body, 'o');
    value = spec.x.load([...c.slice(0, spec.axis), 'rd_r', ...c.slice(spec.axis)]);
  } else {
    // Start of this output's run: [outer, len, inner] with (outer, inner) = (i / inner, i % inner).
    body.push(inner === '1u' ? `var rd_p = i * ${len};` : `var rd_p = (i / ${inner}) * ${len} * ${inner} + i % ${inner};`);
    value = `${x}[rd_p]`;
  }
  body.push(
    'var acc = 0.0;',
    `for (var rd_r = 0u; rd_r < ${len}; rd_r = rd_r + 1u) {`,
    spec.kind === 'norm' ? `  let rd_v = ${value};` : `  acc = acc + ${value};`,
    ...(spec.kind === 'norm' ? ['  acc = acc + rd_v * rd_v;'] : []),
    ...(spec.x.load ? [] : [`  rd_p = rd_p + ${inner};`]),
    '}',
    `$(${spec.write})[i] = ${finish};`,
  );
  const reads = [...(spec.x.load ? [] : [spec.x.id]), ...(spec.loaders?.reads ?? [])];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    uniformSlots: u.values.length,
    workgroupSize: [WORKGROUP, 1, 1],
    helpers: [...(spec.loaders?.helpers ?? [])],
    body,
  });
  return {
    name: spec.name,
    wgsl,
    reads,
    writes: spec.write,
    uniforms: u.values,
    workgroupSize: WORKGROUP,
    dispatch: { kind: 'linear', count },
  };
}
