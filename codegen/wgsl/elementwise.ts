// Kernels that compute each output element from one element of each operand: unary, binary,
// outer, transpose, split_heads, merge_heads, const and copy. All iterate over an index space in
// output order and read every operand through its own stride vector (0 on broadcast axes), so
// a transpose is just a permuted stride vector and `outer` reads a as [..., m, 1], b as [..., 1, n].
import type { Dim, SizeExpr } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { f32Literal, F32_BITS, linearIndex, printKernel, sizeKey, Uniforms, type HelperFn } from './print.js';

export type Operand =
  | { readonly kind: 'buffer'; readonly id: string; readonly strides: readonly SizeExpr[] }
  | { readonly kind: 'literal'; readonly value: number };

export interface ElementwiseSpec {
  readonly name: string;
  readonly header: readonly string[];
  readonly write: string;
  /** The index space, in the output's memory order (its flat index is the output offset). */
  readonly space: readonly Dim[];
  readonly operands: readonly Operand[];
  /** The output value from the operands' values `v0`, `v1`, ... */
  readonly expr: (values: readonly string[]) => { readonly text: string; readonly helpers: readonly HelperFn[] };
}

export const WORKGROUP = 64;

/** Row-major strides of `shape`: `[N, C]` -> `[[C], []]`. */
export function contiguousStrides(shape: readonly Dim[]): SizeExpr[] {
  return shape.map((_, k) => shape.slice(k + 1));
}

const isOne = (d: Dim) => d.sym === null && d.num === 1 && d.den === 1;

/**
 * Strides of an operand of shape `shape` read at each index of `space` (numpy broadcasting: shapes
 * right-aligned, a literal 1 or a missing axis stretches with stride 0).
 */
export function broadcastStrides(shape: readonly Dim[], space: readonly Dim[]): SizeExpr[] {
  const own = contiguousStrides(shape);
  const pad = space.length - shape.length;
  return space.map((_, k) => (k < pad || isOne(shape[k - pad]) ? [{ sym: null, num: 0, den: 1 }] : own[k - pad]));
}

/**
 * The index space with axes of size 1 dropped and neighbouring axes merged wherever every buffer
 * operand steps through them as one (stride[k] = stride[k+1] * size[k+1]), so a contiguous
 * operand reads at `i` and a broadcast one needs as few divisions as its pattern allows.
 */
function collapse(space: readonly Dim[], strides: readonly (readonly SizeExpr[])[]): { dims: SizeExpr[]; strides: SizeExpr[][] } {
  const axes = space.map((_, k) => k).filter((k) => !isOne(space[k]));
  const dims: SizeExpr[] = axes.map((k) => [space[k]]);
  const lists = strides.map((l) => axes.map((k) => l[k]));
  for (let k = dims.length - 2; k >= 0; k--) {
    if (lists.every((l) => sizeKey(l[k]) === sizeKey([...l[k + 1], ...dims[k + 1]]))) {
      dims.splice(k, 2, [...dims[k], ...dims[k + 1]]);
      for (const l of lists) l.splice(k, 1);
    }
  }
  return { dims, strides: lists };
}

export function elementwiseKernel(spec: ElementwiseSpec): KernelSpec {
  const u = new Uniforms();
  const count: SizeExpr = spec.space;
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.of(count)}) { return; }`];

  const buffers = spec.operands.flatMap((o) => (o.kind === 'buffer' ? [o] : []));
  const { dims, strides } = collapse(spec.space, buffers.map((o) => o.strides));
  const contiguous = (l: readonly SizeExpr[]) => l.every((x, k) => sizeKey(x) === sizeKey(dims.slice(k + 1).flat()));
  if (strides.some((l) => !contiguous(l))) {
    // Multi-index of i, innermost axis first; the outermost takes what is left.
    body.push('var r = i;');
    for (let k = dims.length - 1; k >= 1; k--) {
      const d = u.of(dims[k]);
      body.push(`let i${k} = r % ${d};`, `r = r / ${d};`);
    }
    body.push('let i0 = r;');
  }

  const helpers: HelperFn[] = [];
  let next = 0;
  const values = spec.operands.map((o, n) => {
    if (o.kind === 'literal') {
      // A let, not an inline literal: a literal-only expression would be constant-folded by the
      // WGSL compiler, which rejects results that overflow f32.
      const lit = f32Literal(o.value);
      if (lit.startsWith('saga_f32_bits')) helpers.push(F32_BITS);
      body.push(`let v${n} = ${lit};`);
    } else {
      const l = strides[next++];
      body.push(`let v${n} = $(${o.id})[${contiguous(l) ? 'i' : offset(l, u)}];`);
    }
    return `v${n}`;
  });
  const e = spec.expr(values);
  helpers.push(...e.helpers);
  body.push(`$(${spec.write})[i] = ${e.text};`);

  const reads = [...new Set(buffers.map((o) => o.id))];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    uniformSlots: u.values.length,
    workgroupSize: [WORKGROUP, 1, 1],
    helpers,
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

/** `i0 * s0 + i1 * s1 + ...`, leaving out broadcast axes and multiplications by 1. */
function offset(strides: readonly SizeExpr[], u: Uniforms): string {
  const terms: string[] = [];
  strides.forEach((s, k) => {
    const key = sizeKey(s);
    if (key === '0') return;
    terms.push(key === '1' ? `i${k}` : `i${k} * ${u.of(s)}`);
  });
  return terms.length === 0 ? '0u' : terms.join(' + ');
}
