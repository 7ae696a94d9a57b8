// Prints a small kernel description (bindings, workgroup size, helpers, body statements) as WGSL.
// This is the only place WGSL text is assembled; the kernel files describe, this file prints.
import type { Span } from '../../dsl/span.js';
import type { Dim, SizeExpr } from '../../runtime/shape.js';
import { originMarker } from './origin.js';

/** A WGSL helper function: `fn name(params) -> ret { body }`. */
export interface HelperFn {
  readonly name: string;
  readonly params: string;
  readonly ret: string;
  readonly body: readonly string[];
  /** The IR value it computes (printed above it; see origin.ts). */
  readonly from?: { readonly span: Span; readonly name?: string };
}

export interface KernelDesc {
  /** Comment lines at the top (without `//`). */
  readonly header: readonly string[];
  /** Buffer ids bound read-only at bindings 0..n-1. */
  readonly reads: readonly string[];
  /** Buffer id bound read-write at binding n. */
  readonly write: string;
  /** More results, bound read-write at n+1.. (a row reduction computed alongside). */
  readonly alsoWrites?: readonly string[];
  /** Buffers declared `array<vec4<f32>>`, read or written four floats at a time (each a multiple of 4 floats). */
  readonly vec4?: readonly string[];
  /** Number of u32 uniform slots (bound at n+1 as `array<vec4<u32>, ceil(slots/4)>`). */
  readonly uniformSlots: number;
  readonly workgroupSize: readonly [number, number, number];
  /** `var<workgroup>` arrays (of f32 unless `type` says otherwise). */
  readonly shared?: readonly { readonly name: string; readonly length: number; readonly type?: string }[];
  readonly helpers: readonly HelperFn[];
  /** Statements of `main`, naming buffers as `$(id)`; a line may carry extra indentation for nesting. */
  readonly body: readonly string[];
}

// Names a binding must not take: WGSL keywords and reserved words, the types and builtins we call,
// and the identifiers the kernels use internally (module-scope vars would shadow them).
const RESERVED = new Set(
  (
    'alias break case const const_assert continue continuing default diagnostic discard else enable false fn for if ' +
    'let loop override requires return struct switch true var while NULL Self abstract active alignas alignof as asm ' +
    'asm_fragment async attribute auto await become binding_array cast catch class co_await co_return co_yield coherent ' +
    'column_major common compile compile_fragment concept const_cast consteval constexpr constinit crate debugger decltype ' +
    'delete demote demote_to_helper do dynamic_cast enum explicit export extends extern external fallthrough filter final ' +
    'finally friend from fxgroup get goto groupshared highp impl implements import inline instanceof interface layout lowp ' +
    'macro macro_rules match mediump meta mod module move mut mutable namespace new nil noexcept noinline nointerpolation ' +
    'noperspective null nullptr of operator package packoffset partition pass patch pixelfragment precise precision ' +
    'premerge priv protected pub public readonly ref regardless register reinterpret_cast require resource restrict self ' +
    'set shared sizeof smooth snorm static static_assert static_cast std subroutine super target template this ' +
    'thread_local throw trait try type typedef typeid typename typeof union unless unorm unsafe unsized use using varying ' +
    'virtual volatile wgsl where with writeonly yield ' +
    'f32 f16 i32 u32 bool vec2 vec3 vec4 mat2x2 mat3x3 mat4x4 array atomic ptr sampler texture_2d read write read_write ' +
    'storage uniform workgroup private function ' +
    'abs bitcast clamp exp exp2 floor log log2 max min round select sign sqrt tanh trunc workgroupBarrier ' +
    'main u wid nwg lid lidx i r acc'
  ).split(' '),
);

/** Whether an internal identifier (`v0`, `i3`, `saga_pow`, ...) could be taken by a buffer. */
const INTERNAL = /^[vicoe][0-9]+$|^[oe]_r$|^saga_|^mm_|^rd_|^ld_|^sc_|^cv_|^(lhs|rhs|arg)$/;

/** WGSL variable names for the buffers of one kernel: the id lowercased, made safe and unique. */
export function bindingNames(ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    if (names.has(id)) continue;
    let name = id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    if (/^[0-9]/.test(name) || name.startsWith('__') || name === '_') name = `b_${name}`;
    // Internal prefixes still match after a suffix, so those names move out of the way in front.
    if (INTERNAL.test(name)) name = `b_${name}`;
    while (RESERVED.has(name) || used.has(name)) name = `${name}_`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}

/** The WGSL expression reading uniform slot `slot` (constant indices: no dynamic indexing). */
export function uniformAt(slot: number): string {
  return `u[${slot >> 2}].${'xyzw'[slot & 3]}`;
}

/** Stable key of a product of dims, so `[N, C]` and `[C, N]` share one uniform slot. */
export function sizeKey(e: SizeExpr): string {
  let num = 1;
  let den = 1;
  const syms: string[] = [];
  for (const d of e) {
    num *= d.num;
    den *= d.den;
    if (d.sym !== null) syms.push(d.sym);
  }
  if (num === 0) return '0';
  let a = num;
  let b = den;
  while (b) [a, b] = [b, a % b];
  syms.sort();
  const coef = den / a === 1 ? `${num / a}` : `${num / a}/${den / a}`;
  return syms.length === 0 ? coef : `${coef}*${syms.join('*')}`;
}

/** Collects the sizes a kernel reads from its uniform buffer; equal products share a slot. */
export class Uniforms {
  readonly values: SizeExpr[] = [];
  private readonly slots = new Map<string, number>();

  /** The WGSL expression for `e`: a literal when it is a plain number, else a uniform slot. */
  of(e: SizeExpr): string {
    const key = sizeKey(e);
    if (/^[0-9]+$/.test(key)) return `${key}u`;
    return this.slot(e);
  }

  /** Always a uniform slot (for the values the executor also reads, such as the count). */
  slot(e: SizeExpr): string {
    const key = sizeKey(e);
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.values.length;
      this.slots.set(key, s);
      this.values.push(e.filter((d) => !(d.sym === null && d.num === 1 && d.den === 1)));
    }
    return uniformAt(s);
  }
}

/**
 * Decomposes the flat index `index` over `shape` (row-major) into one u32 per axis, named
 * `<prefix>0..`; pushes the statements to `body` and returns the coordinate expressions.
 */
export function coordinates(shape: readonly Dim[], index: string, u: Uniforms, body: string[], prefix: string): string[] {
  if (shape.length === 0) return [];
  if (shape.length === 1) return [index];
  body.push(`var ${prefix}_r = ${index};`);
  const c = shape.map((_, k) => `${prefix}${k}`);
  for (let k = shape.length - 1; k >= 1; k--) {
    const d = u.of([shape[k]]);
    body.push(`let ${c[k]} = ${prefix}_r % ${d};`, `${prefix}_r = ${prefix}_r / ${d};`);
  }
  body.push(`let ${c[0]} = ${prefix}_r;`);
  return c;
}

/** The flat invocation index of a 1-D launch spread over x, y and z (see Dispatch 'linear'). */
export function linearIndex(workgroupSize: number): string {
  return `let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * ${workgroupSize}u + lidx;`;
}

/**
 * Prints an f32 literal that parses back to exactly `Math.fround(value)`. WGSL has no literal for
 * infinities or NaN (and rejects out-of-range literals), so those and -0 go through a bit pattern.
 */
const F32_MAX = 3.4028234663852886e38;

export function f32Literal(value: number): string {
  const v = Math.fround(value);
  if (Number.isNaN(v)) return 'saga_f32_bits(0x7fc00000u)';
  if (v === Infinity) return 'saga_f32_bits(0x7f800000u)';
  if (v === -Infinity) return 'saga_f32_bits(0xff800000u)';
  // A negated zero literal may be folded to +0 by the shader compiler (seen on lavapipe).
  if (v === 0) return Object.is(v, -0) ? 'saga_f32_bits(0x80000000u)' : '0.0f';
  let text = '';
  for (let p = 1; p <= 17; p++) {
    text = String(parseFloat(v.toPrecision(p)));
    // WGSL rejects a literal whose exact value lies beyond the largest f32, even one that would
    // round to it (3.4028235e38), so near the top of the range take more digits.
    if (Math.fround(parseFloat(text)) === v && Math.abs(parseFloat(text)) <= F32_MAX) break;
  }
  if (!/[.e]/.test(text)) text += '.0';
  return v < 0 ? `(${text}f)` : `${text}f`;
}

/** Helper used by f32Literal for non-finite values; a function call is not a const-expression. */
export const F32_BITS: HelperFn = { name: 'saga_f32_bits', params: 'b: u32', ret: 'f32', body: ['return bitcast<f32>(b);'] };

export function printKernel(k: KernelDesc): string {
  const writes = [k.write, ...(k.alsoWrites ?? [])];
  const names = bindingNames([...k.reads, ...writes]);
  const out: string[] = k.header.map((h) => `// ${h}`);
  const vec4 = new Set(k.vec4 ?? []);
  k.reads.forEach((id, b) => out.push(`@group(0) @binding(${b}) var<storage, read> ${names.get(id)}: array<${vec4.has(id) ? 'vec4<f32>' : 'f32'}>;`));
  writes.forEach((id, w) => out.push(`@group(0) @binding(${k.reads.length + w}) var<storage, read_write> ${names.get(id)}: array<${vec4.has(id) ? 'vec4<f32>' : 'f32'}>;`));
  out.push(`@group(0) @binding(${k.reads.length + writes.length}) var<uniform> u: array<vec4<u32>, ${Math.max(1, Math.ceil(k.uniformSlots / 4))}>;`);
  for (const s of k.shared ?? []) out.push(`var<workgroup> ${s.name}: array<${s.type ?? 'f32'}, ${s.length}>;`);
  const seen = new Set<string>();
  for (const h of k.helpers) {
    if (seen.has(h.name)) continue;
    seen.add(h.name);
    out.push('', ...(h.from ? [originMarker(h.from.span, h.from.name)] : []), `fn ${h.name}(${h.params}) -> ${h.ret} {`, ...h.body.map((l) => `  ${rename(l, names)}`), '}');
  }
  const [x, y, z] = k.workgroupSize;
  out.push(
    '',
    `@compute @workgroup_size(${x}, ${y}, ${z})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
    '        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {',
    ...k.body.map((l) => `  ${rename(l, names)}`),
    '}',
  );
  return out.join('\n') + '\n';
}

/** Bytes of the `var<workgroup>` arrays a printed kernel declares (f32 and vec4<f32> elements). */
export function workgroupBytes(wgsl: string): number {
  let bytes = 0;
  for (const m of wgsl.matchAll(/var<workgroup> \w+: array<(f32|vec4<f32>), (\d+)>/g)) bytes += Number(m[2]) * (m[1] === 'f32' ? 4 : 16);
  return bytes;
}

/** Body lines name buffers as `$(id)`; replace those with the binding's WGSL name. */
function rename(line: string, names: ReadonlyMap<string, string>): string {
  return line.replace(/\$\(([^()]+)\)/g, (whole, id: string) => {
    const name = names.get(id);
    if (name === undefined) throw new Error(`kernel body names unbound buffer '${id}'`);
    return name;
  });
}
