// Tokens of the .saga language, and the map from source offsets to line/column that every span
// uses. Characters no token matches become `Unknown` tokens, so the lexer never stops early.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import { diag, messages } from './messages.js';
import type { Diagnostic, Span } from './span.js';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

// Categories keep the grammar small: one CONSUME per kind of item or operator.
export const ValueKeyword = createToken({ name: 'ValueKeyword', pattern: Lexer.NA, label: 'const, dim, let or output' });
export const TensorKeyword = createToken({ name: 'TensorKeyword', pattern: Lexer.NA, label: 'input or param' });
export const Reserved = createToken({ name: 'Reserved', pattern: Lexer.NA, label: 'a reserved word' });
export const AdditiveOp = createToken({ name: 'AdditiveOp', pattern: Lexer.NA, label: "'+' or '-'" });
export const MultiplicativeOp = createToken({ name: 'MultiplicativeOp', pattern: Lexer.NA, label: "'*', '/' or '@'" });

const keyword = (word: string, categories: TokenType[] = []): TokenType =>
  createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: word, label: `'${word}'`, longer_alt: Identifier, categories });

export const Block = keyword('block');
export const Const = keyword('const', [ValueKeyword]);
export const Dim = keyword('dim', [ValueKeyword]);
export const Let = keyword('let', [ValueKeyword]);
export const Output = keyword('output', [ValueKeyword]);
export const Input = keyword('input', [TensorKeyword]);
export const Param = keyword('param', [TensorKeyword]);
export const True = keyword('true');
export const False = keyword('false');
/** The words of the causal-scan construct (`scan over N chunk 64 { state S = ... }`): never names. */
export const RESERVED_WORDS = ['scan', 'state', 'over', 'chunk'] as const;
const reservedTokens = RESERVED_WORDS.map((w) => keyword(w, [Reserved]));
export const [Scan, State, Over, Chunk] = reservedTokens;

const punct = (name: string, text: string, categories: TokenType[] = []): TokenType =>
  createToken({ name, pattern: text, label: `'${text}'`, categories });

export const Plus = punct('Plus', '+', [AdditiveOp]);
export const Minus = punct('Minus', '-', [AdditiveOp]);
export const Star = punct('Star', '*', [MultiplicativeOp]);
export const Slash = punct('Slash', '/', [MultiplicativeOp]);
export const At = punct('At', '@', [MultiplicativeOp]);
export const Equals = punct('Equals', '=');
export const Colon = punct('Colon', ':');
export const Comma = punct('Comma', ',');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const LCurly = punct('LCurly', '{');
export const RCurly = punct('RCurly', '}');

// `1e` and similar lex as one (bad) number, so the user hears about the number, not a stray name.
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d*)?/,
  label: 'a number',
});

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
/** `/*` with no closing `*\/`: swallows the rest of the file and is reported once. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, group: 'problems', line_breaks: true });
/** Any one character (or surrogate pair) nothing else matches. `[^]`, since chevrotain's start-char analysis mishandles `[\s\S]`. */
export const Unknown = createToken({ name: 'Unknown', pattern: /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^]/, group: 'problems', line_breaks: true });

// Order matters: comments before '/', keywords before names, the catch-all last.
export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  Block, Const, Dim, Let, Output, Input, Param, True, False, ...reservedTokens,
  Identifier, NumberLiteral,
  Plus, Minus, Star, Slash, At, Equals, Colon, Comma, LParen, RParen, LBracket, RBracket, LCurly, RCurly,
  ValueKeyword, TensorKeyword, Reserved, AdditiveOp, MultiplicativeOp,
  Unknown,
];

// Spans take line/column from LineMap, not from chevrotain's tracking, so one rule (only '\n' ends
// a line) holds everywhere, including format.ts.
export const lexer = new Lexer(allTokens);

export interface LexResult {
  readonly tokens: IToken[];
  /** Tokens of the 'problems' group: unknown characters and unterminated comments, in source order. */
  readonly problems: IToken[];
  /** Errors chevrotain itself reported (none expected, thanks to `Unknown`). */
  readonly errors: readonly { offset: number; length: number }[];
}

export function tokenize(source: string): LexResult {
  const r = lexer.tokenize(source);
  return { tokens: r.tokens, problems: r.groups['problems'] ?? [], errors: r.errors };
}

/** Offsets to 1-based line/column. Only '\n' ends a line ('\r\n' works since '\r' is left on the line). */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(
    readonly file: string,
    readonly source: string,
  ) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** A span from `start` to `end` (exclusive), both clamped into the source. */
  span(start: number, end: number = start): Span {
    const clamp = (x: number, lo: number): number => (Number.isFinite(x) ? Math.max(lo, Math.min(x, this.source.length)) : lo);
    const s = clamp(start, 0);
    const e = clamp(end, s);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= s) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, start: s, end: e, line: lo + 1, col: s - this.starts[lo] + 1 };
  }

  /**
   * The span of a real token; for EOF or an inserted token, a zero-width span just after the last
   * non-blank character, so the caret sits where the missing text belongs, not on an empty line.
   */
  tokenSpan(t: IToken): Span {
    if (Number.isFinite(t.startOffset)) return this.span(t.startOffset, t.startOffset + t.image.length);
    const end = this.source.trimEnd().length;
    return this.span(end);
  }
}

/** Shows a character so it is visible in a message: escapes for control and invisible characters. */
function visible(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp >= 0x21 && cp <= 0x7e ? ch : cp > 0xa0 && !/\s/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}

/**
 * SG1001 for each unknown character, SG1002 for an unterminated block comment, SG1003 for each
 * number literal that is not finite (checked here, so it is found even where the parse fails).
 */
export function lexDiagnostics(lexed: LexResult, lines: LineMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType !== NumberLiteral || Number.isFinite(Number(t.image))) continue;
    const hint = /[eE][+-]?$/.test(t.image) ? 'an exponent needs digits, as in 1e-6' : 'numbers must be finite (at most about 1.8e308)';
    out.push(diag(messages.badNumber, lines.tokenSpan(t), [t.image], hint));
  }
  for (const t of lexed.problems) {
    if (t.tokenType === UnterminatedComment) {
      out.push(diag(messages.syntax, lines.span(t.startOffset, t.startOffset + 2), ['unterminated block comment'], "close it with '*/'"));
      continue;
    }
    const cp = t.image.codePointAt(0)!;
    const hint = cp > 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}: outside comments, .saga source is ASCII` : undefined;
    out.push(diag(messages.unexpectedCharacter, lines.tokenSpan(t), [visible(t.image)], hint));
  }
  for (const e of lexed.errors) {
    out.push(diag(messages.unexpectedCharacter, lines.span(e.offset, e.offset + e.length), [visible(lines.source.slice(e.offset, e.offset + e.length))]));
  }
  return out;
}
