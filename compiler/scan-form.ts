// The shape of a scan body, read off the AST before anything is evaluated:
//   state S = a * S + outer(k, v)     (or S * a, or S with no decay, either side of the +)
//   q @ S
// The state is not a value: it may appear only in those two places, so a misuse is caught here,
// with a span, instead of as an unknown name.
import type { Expr } from '../dsl/ast.js';
import type { Span } from '../dsl/span.js';

type ScanExpr = Extract<Expr, { kind: 'scan' }>;

export type ScanForm =
  | { readonly ok: true; readonly q: Expr; readonly k: Expr; readonly v: Expr; readonly decay?: Expr }
  | { readonly ok: false; readonly error: 'update' | 'result' | 'misuse'; readonly span: Span };

const isState = (e: Expr, s: string) => e.kind === 'name' && e.name === s;

/** The first place `name` occurs in `e` (a scan nested inside binds its own state). */
export function findName(e: Expr, name: string): Span | undefined {
  switch (e.kind) {
    case 'name':
      return e.name === name ? e.span : undefined;
    case 'number':
    case 'bool':
      return undefined;
    case 'neg':
      return findName(e.operand, name);
    case 'binary':
      return findName(e.left, name) ?? findName(e.right, name);
    case 'call':
      return e.args.map((a) => findName(a.value, name)).find((s) => s !== undefined);
    case 'scan':
      return e.state.name === name ? undefined : [e.chunk, e.update, e.result].map((x) => x && findName(x, name)).find((s) => s !== undefined);
  }
}

/** `outer(k, v)` with two positional arguments. */
function outerArgs(e: Expr): [Expr, Expr] | undefined {
  if (e.kind !== 'call' || e.callee.name !== 'outer' || e.args.length !== 2 || e.args.some((a) => a.name)) return undefined;
  return [e.args[0].value, e.args[1].value];
}

/** `S` (no decay) or `a * S` / `S * a`; undefined when `e` is neither. */
function decayed(e: Expr, s: string): { decay?: Expr } | undefined {
  if (isState(e, s)) return {};
  if (e.kind !== 'binary' || e.op !== '*') return undefined;
  if (isState(e.right, s)) return { decay: e.left };
  if (isState(e.left, s)) return { decay: e.right };
  return undefined;
}

export function scanForm(e: ScanExpr): ScanForm {
  const s = e.state.name;
  const u = e.update;
  let parts: { decay?: Expr; kv: [Expr, Expr] } | undefined;
  if (u.kind === 'binary' && u.op === '+') {
    for (const [x, y] of [[u.left, u.right], [u.right, u.left]]) {
      const d = decayed(x, s);
      const kv = outerArgs(y);
      if (d && kv && !parts) parts = { ...d, kv };
    }
  }
  if (!parts) return { ok: false, error: 'update', span: u.span };
  const r = e.result;
  if (r.kind !== 'binary' || r.op !== '@' || !isState(r.right, s)) return { ok: false, error: 'result', span: r.span };
  const [k, v] = parts.kv;
  for (const x of [parts.decay, k, v, r.left, e.chunk]) {
    const misuse = x && findName(x, s);
    if (misuse) return { ok: false, error: 'misuse', span: misuse };
  }
  return { ok: true, q: r.left, k, v, ...(parts.decay ? { decay: parts.decay } : {}) };
}
