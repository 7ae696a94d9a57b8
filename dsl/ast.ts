// The AST of a .saga program: what the user wrote, with a span on every node.
// Meaning (names, shapes) is checked later, in compiler/build.ts.
import type { Span } from './span.js';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

export interface Program {
  readonly file: string;
  readonly blocks: readonly Block[];
  readonly span: Span;
}

/** `block saga { ... }` */
export interface Block {
  readonly kind: 'block';
  readonly name: Ident;
  readonly items: readonly Item[];
  readonly span: Span;
}

export type Item =
  /** `const heads = 2` — a compile-time number. */
  | { readonly kind: 'const'; readonly name: Ident; readonly value: Expr; readonly span: Span }
  /** `dim d = C / heads` — a name for a derived dimension. */
  | { readonly kind: 'dim'; readonly name: Ident; readonly value: Expr; readonly span: Span }
  /** `input x: [B, N, C]` — a tensor given per run. */
  | { readonly kind: 'input'; readonly name: Ident; readonly shape: readonly Expr[]; readonly span: Span }
  /** `param w_q: [C, C]` — a weight or bias. */
  | { readonly kind: 'param'; readonly name: Ident; readonly shape: readonly Expr[]; readonly span: Span }
  /** `let q = relu(x @ w_q)` */
  | { readonly kind: 'let'; readonly name: Ident; readonly value: Expr; readonly span: Span }
  /** `output y = o @ w_o` */
  | { readonly kind: 'output'; readonly name: Ident; readonly value: Expr; readonly span: Span };

export type BinaryOp = '+' | '-' | '*' | '/' | '@';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'neg'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'call'; readonly callee: Ident; readonly args: readonly Arg[]; readonly span: Span }
  /**
   * `scan over N chunk 64 { state S = a * S + outer(k, v)  q @ S }`: a causal recurrence over the
   * axis `over`; `update` defines S_t from S_{t-1}, `result` is the value at each token.
   */
  | {
      readonly kind: 'scan';
      readonly axis: Ident;
      readonly chunk?: Expr;
      readonly state: Ident;
      readonly update: Expr;
      readonly result: Expr;
      readonly span: Span;
    };

/** A call argument: positional (`x`) or named (`keep = true`). */
export interface Arg {
  readonly name?: Ident;
  readonly value: Expr;
  readonly span: Span;
}
