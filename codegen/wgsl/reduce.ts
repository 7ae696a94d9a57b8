// sum / mean / norm over one axis. The input is viewed as [outer, len, inner] (so the kernel does
// not depend on the rank or the axis); one invocation per output element walks the reduced axis.
import type { ReduceKind } from '../../compiler/ir.js';
import type { Dim } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { WORKGROUP } from './elementwise.js';
import { linearIndex, printKernel, Uniforms } from './print.js';

export interface ReduceSpec {
  readonly name: string;
  readonly header: readonly string[];
  readonly kind: ReduceKind;
  readonly x: { readonly id: string; readonly shape: readonly Dim[] };
  readonly axis: number;
  readonly write: string;
  /** Divide the sum by this size instead (a mean over a count the partials don't show). */
  readonly divideBy?: Dim;
}

export function reduceKernel(spec: ReduceSpec): KernelSpec {
  const u = new Uniforms();
  const shape = spec.x.shape;
  const count = shape.filter((_, k) => k !== spec.axis);
  const len = u.of([shape[spec.axis]]);
  const inner = u.of(shape.slice(spec.axis + 1));
  const x = `$(${spec.x.id})`;
  const finish = spec.divideBy ? `acc / f32(${u.of([spec.divideBy])})` : { sum: 'acc', mean: `acc / f32(${len})`, norm: 'sqrt(acc)' }[spec.kind];
  const body = [
    linearIndex(WORKGROUP),
    `if (i >= ${u.of(count)}) { return; }`,
    // Start of this output's run: [outer, len, inner] with (outer, inner) = (i / inner, i % inner).
    inner === '1u' ? `var rd_p = i * ${len};` : `var rd_p = (i / ${inner}) * ${len} * ${inner} + i % ${inner};`,
    'var acc = 0.0;',
    `for (var rd_r = 0u; rd_r < ${len}; rd_r = rd_r + 1u) {`,
    spec.kind === 'norm' ? `  let rd_v = ${x}[rd_p];` : `  acc = acc + ${x}[rd_p];`,
    ...(spec.kind === 'norm' ? ['  acc = acc + rd_v * rd_v;'] : []),
    `  rd_p = rd_p + ${inner};`,
    '}',
    `$(${spec.write})[i] = ${finish};`,
  ];
  const reads = [spec.x.id];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    uniformSlots: u.values.length,
    workgroupSize: [WORKGROUP, 1, 1],
    helpers: [],
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
