// Symbolic dimensions shared by the compiler and the runtime. A dim is `num * sym / den`
// (or `num / den` with no symbol), always kept reduced, so structural equality is dim equality.
// The runtime evaluates dims once the block's symbols are bound from the input shapes.
import { SagaError } from './errors.js';

export interface Dim {
  readonly sym: string | null;
  readonly num: number;
  readonly den: number;
}

/** A size that is a product of dims, e.g. a stride `N * C`; `[]` is 1. */
export type SizeExpr = readonly Dim[];

export type Bindings = ReadonlyMap<string, number>;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function dim(sym: string | null, num = 1, den = 1): Dim {
  const g = gcd(num, den);
  return { sym, num: num / g, den: den / g };
}

export const lit = (n: number): Dim => dim(null, n, 1);

export function dimEquals(a: Dim, b: Dim): boolean {
  return a.sym === b.sym && a.num === b.num && a.den === b.den;
}

/** Two shapes of equal rank whose dims are equal (dimEquals). */
export function shapeEquals(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => dimEquals(d, b[i]));
}

export function isLiteral(d: Dim, n?: number): boolean {
  return d.sym === null && d.den === 1 && (n === undefined || d.num === n);
}

export function mulDim(d: Dim, k: number): Dim {
  return dim(d.sym, d.num * k, d.den);
}

export function divDim(d: Dim, k: number): Dim {
  return dim(d.sym, d.num, d.den * k);
}

/** `N`, `C/2`, `2*D`, `64`; `aliases` maps a printed form to a user's `dim` name. */
export function formatDim(d: Dim, aliases?: ReadonlyMap<string, string>): string {
  let s: string;
  if (d.sym === null) s = d.den === 1 ? String(d.num) : `${d.num}/${d.den}`;
  else s = `${d.num === 1 ? '' : `${d.num}*`}${d.sym}${d.den === 1 ? '' : `/${d.den}`}`;
  return aliases?.get(s) ?? s;
}

/** Sizes by dim name as `C=64, N=4096` (in the map's order). */
export function formatSizes(dims: ReadonlyMap<string, number>): string {
  return [...dims].map(([s, v]) => `${s}=${v}`).join(', ');
}

export function formatShape(shape: readonly Dim[], aliases?: ReadonlyMap<string, string>): string {
  return `[${shape.map((d) => formatDim(d, aliases)).join(', ')}]`;
}

/** Value of a dim under bindings; a SagaError if it is not a whole number (e.g. C/2 with C = 5). */
export function evalDim(d: Dim, env: Bindings): number {
  let v: number;
  if (d.sym === null) v = d.num;
  else {
    const s = env.get(d.sym);
    if (s === undefined) throw new SagaError(`dimension ${d.sym} is not bound by any input or param`);
    v = s * d.num;
  }
  if (v % d.den !== 0) throw new SagaError(`${formatDim(d)} is not a whole number when ${d.sym} = ${env.get(d.sym!)}`);
  return v / d.den;
}

export function evalShape(shape: readonly Dim[], env: Bindings): number[] {
  return shape.map((d) => evalDim(d, env));
}

export function evalSize(e: SizeExpr, env: Bindings): number {
  return e.reduce((p, d) => p * evalDim(d, env), 1);
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((p, n) => p * n, 1);
}
