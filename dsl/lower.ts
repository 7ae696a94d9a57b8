// CST -> AST. Chevrotain's recovery leaves holes (missing children, tokens inserted with no text);
// any item or expression with a hole is left out, so the AST holds only what the user really wrote.
// Parentheses get no node of their own: the inner expression's span widens to cover them.
import type { CstNode, IToken } from 'chevrotain';
import type { Arg, BinaryOp, Block, Expr, Ident, Item, Program } from './ast.js';
import type { LineMap } from './lexer.js';
import { parser } from './parser.js';
import type { Span } from './span.js';

type Tokens = IToken[] | undefined;
type Nodes = CstNode[] | undefined;

interface ProgramCtx { blocks?: CstNode[] }
interface BlockCtx { Block?: IToken[]; name?: IToken[]; items?: CstNode[]; RCurly?: IToken[] }
interface ItemCtx { valueItem?: CstNode[]; tensorItem?: CstNode[] }
interface ValueItemCtx { keyword?: IToken[]; name?: IToken[]; value?: CstNode[] }
interface TensorItemCtx { keyword?: IToken[]; name?: IToken[]; shape?: CstNode[] }
interface ShapeCtx { dims?: CstNode[]; RBracket?: IToken[] }
interface ChainCtx { operands?: CstNode[]; operators?: IToken[] }
interface UnaryCtx { Minus?: IToken[]; operand?: CstNode[]; primary?: CstNode[] }
interface PrimaryCtx { NumberLiteral?: IToken[]; True?: IToken[]; False?: IToken[]; reference?: CstNode[]; parenthesised?: CstNode[]; scanExpression?: CstNode[] }
interface ReferenceCtx { name?: IToken[]; LParen?: IToken[]; args?: CstNode[]; RParen?: IToken[] }
interface ArgumentCtx { name?: IToken[]; value?: CstNode[] }
interface ParenthesisedCtx { LParen?: IToken[]; inner?: CstNode[]; RParen?: IToken[] }
interface ScanCtx { Scan?: IToken[]; axis?: IToken[]; Chunk?: IToken[]; chunk?: CstNode[]; state?: IToken[]; update?: CstNode[]; result?: CstNode[]; RCurly?: IToken[] }

/** A token the user wrote (not one recovery inserted), or undefined. */
function real(ts: Tokens, i = 0): IToken | undefined {
  const t = ts?.[i];
  return t && !t.isInsertedInRecovery && Number.isFinite(t.startOffset) ? t : undefined;
}

/** A child rule node that parsed cleanly, or undefined. */
function whole(ns: Nodes, i = 0): CstNode | undefined {
  const n = ns?.[i];
  return n && !n.recoveredNode ? n : undefined;
}

const endOf = (t: IToken): number => t.startOffset + t.image.length;

class Lowerer extends parser.getBaseCstVisitorConstructor<void, unknown>() {
  lines!: LineMap;

  constructor() {
    super();
    this.validateVisitor();
  }

  private spanOf(first: IToken, lastEnd: number): Span {
    return this.lines.span(first.startOffset, lastEnd);
  }

  private ident(t: IToken): Ident {
    return { name: t.image, span: this.lines.tokenSpan(t) };
  }

  private expr(n: CstNode | undefined): Expr | undefined {
    return n && (this.visit(n) as Expr | undefined);
  }

  program(ctx: ProgramCtx): Program {
    const blocks = (ctx.blocks ?? []).map((n) => this.visit(n) as Block | undefined).filter((b) => b !== undefined);
    return { file: this.lines.file, blocks, span: this.lines.span(0, this.lines.source.length) };
  }

  // A block cut short (say, by a missing '}') keeps the items that did parse.
  block(ctx: BlockCtx): Block | undefined {
    const name = real(ctx.name);
    if (!name) return undefined;
    const items = (ctx.items ?? []).map((n) => (n.recoveredNode ? undefined : (this.visit(n) as Item | undefined))).filter((i) => i !== undefined);
    const start = (real(ctx.Block) ?? name).startOffset;
    const close = real(ctx.RCurly);
    const end = close ? endOf(close) : Math.max(endOf(name), ...items.map((i) => i.span.end));
    return { kind: 'block', name: this.ident(name), items, span: this.lines.span(start, end) };
  }

  item(ctx: ItemCtx): Item | undefined {
    const n = whole(ctx.valueItem) ?? whole(ctx.tensorItem);
    return n && (this.visit(n) as Item | undefined);
  }

  valueItem(ctx: ValueItemCtx): Item | undefined {
    const keyword = real(ctx.keyword);
    const name = real(ctx.name);
    const value = this.expr(whole(ctx.value));
    if (!keyword || !name || !value) return undefined;
    const kind = keyword.image as 'const' | 'dim' | 'let' | 'output';
    return { kind, name: this.ident(name), value, span: this.spanOf(keyword, value.span.end) };
  }

  tensorItem(ctx: TensorItemCtx): Item | undefined {
    const keyword = real(ctx.keyword);
    const name = real(ctx.name);
    const shape = whole(ctx.shape);
    const dims = shape && (this.visit(shape) as Expr[] | undefined);
    if (!keyword || !name || !shape || !dims) return undefined;
    const kind = keyword.image as 'input' | 'param';
    return { kind, name: this.ident(name), shape: dims, span: this.spanOf(keyword, (shape.location?.endOffset ?? NaN) + 1) };
  }

  shape(ctx: ShapeCtx): Expr[] | undefined {
    if (!real(ctx.RBracket)) return undefined;
    const dims = (ctx.dims ?? []).map((n) => this.expr(whole([n])));
    return dims.every((d) => d !== undefined) ? (dims as Expr[]) : undefined;
  }

  expression(ctx: ChainCtx): Expr | undefined {
    return this.chain(ctx);
  }

  term(ctx: ChainCtx): Expr | undefined {
    return this.chain(ctx);
  }

  /** Folds `a op b op c` to the left: ((a op b) op c). */
  private chain(ctx: ChainCtx): Expr | undefined {
    const operands = (ctx.operands ?? []).map((n) => this.expr(whole([n])));
    const operators = ctx.operators ?? [];
    if (operands.length !== operators.length + 1 || operands.some((o) => o === undefined)) return undefined;
    let left = operands[0]!;
    operators.forEach((op, i) => {
      const right = operands[i + 1]!;
      left = { kind: 'binary', op: op.image as BinaryOp, left, right, span: this.lines.span(left.span.start, right.span.end) };
    });
    return left;
  }

  unary(ctx: UnaryCtx): Expr | undefined {
    const minus = real(ctx.Minus);
    if (!minus) return this.expr(whole(ctx.primary));
    const operand = this.expr(whole(ctx.operand));
    return operand && { kind: 'neg', operand, span: this.spanOf(minus, operand.span.end) };
  }

  primary(ctx: PrimaryCtx): Expr | undefined {
    const num = real(ctx.NumberLiteral);
    if (num) return this.number(num);
    const bool = real(ctx.True) ?? real(ctx.False);
    if (bool) return { kind: 'bool', value: bool.image === 'true', span: this.lines.tokenSpan(bool) };
    return this.expr(whole(ctx.reference) ?? whole(ctx.parenthesised) ?? whole(ctx.scanExpression));
  }

  // A non-finite value (SG1003, reported by the lexer) is kept as is: the program has errors anyway.
  private number(t: IToken): Expr {
    return { kind: 'number', value: Number(t.image), text: t.image, span: this.lines.tokenSpan(t) };
  }

  reference(ctx: ReferenceCtx): Expr | undefined {
    const name = real(ctx.name);
    if (!name) return undefined;
    if (!ctx.LParen) return { kind: 'name', name: name.image, span: this.lines.tokenSpan(name) };
    const close = real(ctx.RParen);
    const args = (ctx.args ?? []).map((n) => whole([n]) && (this.visit(n) as Arg | undefined));
    if (!close || args.some((a) => a === undefined)) return undefined;
    return { kind: 'call', callee: this.ident(name), args: args as Arg[], span: this.spanOf(name, endOf(close)) };
  }

  argument(ctx: ArgumentCtx): Arg | undefined {
    const value = this.expr(whole(ctx.value));
    if (!value) return undefined;
    if (!ctx.name) return { value, span: value.span };
    const name = real(ctx.name);
    return name && { name: this.ident(name), value, span: this.spanOf(name, value.span.end) };
  }

  scanExpression(ctx: ScanCtx): Expr | undefined {
    const scan = real(ctx.Scan);
    const axis = real(ctx.axis);
    const state = real(ctx.state);
    const close = real(ctx.RCurly);
    const chunk = ctx.Chunk ? this.expr(whole(ctx.chunk)) : undefined;
    const update = this.expr(whole(ctx.update));
    const result = this.expr(whole(ctx.result));
    if (!scan || !axis || !state || !close || !update || !result || (ctx.Chunk && !chunk)) return undefined;
    return { kind: 'scan', axis: this.ident(axis), ...(chunk ? { chunk } : {}), state: this.ident(state), update, result, span: this.spanOf(scan, endOf(close)) };
  }

  parenthesised(ctx: ParenthesisedCtx): Expr | undefined {
    const open = real(ctx.LParen);
    const close = real(ctx.RParen);
    const inner = this.expr(whole(ctx.inner));
    return open && close && inner && { ...inner, span: this.spanOf(open, endOf(close)) };
  }
}

const lowerer = new Lowerer();

/** Lowers a CST from `parser.program()` to the AST, with spans resolved through `lines`. */
export function lower(cst: CstNode, lines: LineMap): Program {
  lowerer.lines = lines;
  return lowerer.visit(cst) as Program;
}
