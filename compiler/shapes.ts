// Shape rules for each op. Each returns the result shape or a diagnostic (built by the caller,
// which knows the span). Dims must match exactly: a symbolic N only equals N, never C, and
// only a literal 1 stretches in broadcasting.
import { dimEquals, divDim, formatDim, formatShape, isLiteral, mulDim, type Dim } from '../runtime/shape.js';
import { messages } from '../dsl/messages.js';
import type { Shape } from './ir.js';

export type ShapeError = {
  readonly msg: (typeof messages)[keyof typeof messages];
  readonly args: readonly (string | number)[];
  /** The operand at fault, where the op has several (a scan's 'q', 'k', 'v' or 'decay'). */
  readonly operand?: string;
};
export type ShapeResult = { readonly ok: true; readonly shape: Shape } | { readonly ok: false; readonly error: ShapeError };

const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
const fail = (msg: ShapeError['msg'], ...args: (string | number)[]): ShapeResult => ({ ok: false, error: { msg, args } });

/** Numpy broadcasting: right-aligned, equal dims or a literal 1. */
export function broadcast(a: Shape, b: Shape, op: string, aliases?: ReadonlyMap<string, string>): ShapeResult {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i];
    const db = b[b.length - rank + i];
    if (da === undefined) out.push(db);
    else if (db === undefined) out.push(da);
    else if (dimEquals(da, db) || isLiteral(db, 1)) out.push(da);
    else if (isLiteral(da, 1)) out.push(db);
    else return fail(messages.broadcast, op, formatShape(a, aliases), formatShape(b, aliases));
  }
  return ok(out);
}

export function matmul(a: Shape, b: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (a.length < 2) return fail(messages.rank, 'the left side of @', 'at least 2 axes', formatShape(a, aliases));
  if (b.length < 2) return fail(messages.rank, 'the right side of @', 'at least 2 axes', formatShape(b, aliases));
  if (!dimEquals(a[a.length - 1], b[b.length - 2])) return fail(messages.matmulInner, formatShape(a, aliases), formatShape(b, aliases));
  const batch = broadcast(a.slice(0, -2), b.slice(0, -2), 'batch-multiply', aliases);
  if (!batch.ok) return fail(messages.broadcast, 'batch-multiply', formatShape(a, aliases), formatShape(b, aliases));
  return ok([...batch.shape, a[a.length - 2], b[b.length - 1]]);
}

export function outer(a: Shape, b: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (a.length < 1) return fail(messages.rank, 'outer', 'tensors with at least 1 axis', formatShape(a, aliases));
  if (b.length < 1) return fail(messages.rank, 'outer', 'tensors with at least 1 axis', formatShape(b, aliases));
  const batch = broadcast(a.slice(0, -1), b.slice(0, -1), 'take the outer product of', aliases);
  if (!batch.ok) return fail(messages.broadcast, 'take the outer product of', formatShape(a, aliases), formatShape(b, aliases));
  return ok([...batch.shape, a[a.length - 1], b[b.length - 1]]);
}

/** `[..., N, m], [..., N, n] -> [..., m, n]`: both sides run over the same tokens. */
export function outerReduce(a: Shape, b: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (a.length < 2 || b.length < 2) return fail(messages.rank, 'outer_reduce', 'at least 2 axes', formatShape(a.length < 2 ? a : b, aliases));
  if (!dimEquals(a[a.length - 2], b[b.length - 2])) return fail(messages.matmulInner, formatShape(a, aliases), formatShape(b, aliases));
  const batch = broadcast(a.slice(0, -2), b.slice(0, -2), 'batch', aliases);
  if (!batch.ok) return batch;
  return ok([...batch.shape, a[a.length - 1], b[b.length - 1]]);
}

export function reduce(x: Shape, axis: number, keep: boolean): Shape {
  return keep ? x.map((d, i) => (i === axis ? { sym: null, num: 1, den: 1 } : d)) : x.filter((_, i) => i !== axis);
}

export function transpose(x: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (x.length < 2) return fail(messages.rank, 'transpose', 'at least 2 axes', formatShape(x, aliases));
  return ok([...x.slice(0, -2), x[x.length - 1], x[x.length - 2]]);
}

export function splitHeads(x: Shape, heads: number, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (x.length < 2) return fail(messages.rank, 'split_heads', 'at least 2 axes ([..., N, C])', formatShape(x, aliases));
  const c = x[x.length - 1];
  if (c.sym === null && c.num % (c.den * heads) !== 0) return fail(messages.heads, formatDim(c, aliases), heads);
  return ok([...x.slice(0, -2), { sym: null, num: heads, den: 1 }, x[x.length - 2], divDim(c, heads)]);
}

export function mergeHeads(x: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (x.length < 3) return fail(messages.rank, 'merge_heads', 'at least 3 axes ([..., heads, N, d])', formatShape(x, aliases));
  const [h, n, d] = x.slice(-3);
  let merged: Dim;
  if (isLiteral(h)) merged = mulDim(d, h.num);
  else if (isLiteral(d)) merged = mulDim(h, d.num);
  else return fail(messages.rank, 'merge_heads', 'a head count or head dim that is a number', formatShape(x, aliases));
  return ok([...x.slice(0, -3), n, merged]);
}

/** `[..., N, C]` -> `[..., N/size², size²·C]`: size×size patches of a grid `width` wide as tokens. */
export function patches(x: Shape, size: number, width: number, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (x.length < 2) return fail(messages.rank, 'patches', 'at least 2 axes ([..., N, C])', formatShape(x, aliases));
  if (width % size !== 0) return fail(messages.patchGrid, size, width);
  const [n, c] = x.slice(-2);
  return ok([...x.slice(0, -2), divDim(n, size * size), mulDim(c, size * size)]);
}

/** `[..., N, C]` convolved per channel with a `[k, k, C]` kernel, k odd: same shape. */
export function dwconv(x: Shape, w: Shape, aliases?: ReadonlyMap<string, string>): ShapeResult {
  if (x.length < 2) return fail(messages.rank, 'dwconv', 'at least 2 axes ([..., N, C])', formatShape(x, aliases));
  const k = w[0];
  const square = w.length === 3 && isLiteral(k) && k.num % 2 === 1 && dimEquals(k, w[1]);
  if (!square || !dimEquals(w[2], x[x.length - 1])) return fail(messages.convKernel, formatShape(x, aliases), formatShape(w, aliases));
  return ok(x);
}

/** Fused attention: q `[..., Nq, d]`, k `[..., Nk, d]`, v `[..., Nk, dv]` -> `[..., Nq, dv]`. */
export function attention(q: Shape, k: Shape, v: Shape): ShapeResult {
  const lead = q.slice(0, -2);
  const same = (s: Shape) => s.length === q.length && lead.every((d, i) => dimEquals(d, s[i]));
  if (q.length < 2 || !same(k) || !same(v) || !dimEquals(q[q.length - 1], k[k.length - 1]) || !dimEquals(k[k.length - 2], v[v.length - 2])) {
    return fail(messages.rank, 'attention', 'q [..., Nq, d], k [..., Nk, d], v [..., Nk, dv]', `${formatShape(q)}, ${formatShape(k)}, ${formatShape(v)}`);
  }
  return ok([...q.slice(0, -1), v[v.length - 1]]);
}

/**
 * A causal scan: q, k `[..., N, dk]`, v `[..., N, dv]` or a scalar (dv = 1), the decay
 * broadcasting to `[..., N, dk]`; the result is `[..., N, dv]`, leading dims broadcast.
 */
export function scan(q: Shape, k: Shape, v: Shape, decay: Shape | undefined, axis: Dim, aliases?: ReadonlyMap<string, string>): ShapeResult {
  const f = (s: Shape) => formatShape(s, aliases);
  const at = (operand: string, r: ShapeResult): ShapeResult => (r.ok ? r : { ok: false, error: { ...r.error, operand } });
  for (const [what, s] of [['k', k], ['q', q], ['v', v]] as const) {
    if (what === 'v' && s.length === 0) continue;
    if (s.length < 2 || !dimEquals(s[s.length - 2], axis)) return at(what, fail(messages.scanAxis, formatDim(axis, aliases), what, f(s)));
  }
  if (!dimEquals(q[q.length - 1], k[k.length - 1])) return at('q', fail(messages.scanChannels, f(q), f(k)));
  const qk = broadcast(q.slice(0, -2), k.slice(0, -2), 'broadcast q and k of a scan:', aliases);
  if (!qk.ok) return at('q', fail(messages.broadcast, 'scan with', f(q), f(k)));
  const batch = v.length === 0 ? qk : broadcast(qk.shape, v.slice(0, -2), 'broadcast', aliases);
  if (!batch.ok) return at('v', fail(messages.broadcast, 'scan with', f(k), f(v)));
  if (decay) {
    const full = [...batch.shape, axis, k[k.length - 1]];
    const r = broadcast(decay, full, 'decay', aliases);
    if (!r.ok || r.shape.length !== full.length || !r.shape.every((d, i) => dimEquals(d, full[i]))) return at('decay', fail(messages.broadcast, 'decay the state by', f(decay), f(full)));
  }
  return ok([...batch.shape, axis, v.length === 0 ? { sym: null, num: 1, den: 1 } : v[v.length - 1]]);
}
