// The front end's public API: source text -> AST and syntax diagnostics. Nothing from chevrotain
// is exported; the AST (ast.ts) and Diagnostic (span.ts) are the interface.
import type { Program } from './ast.js';
import { LineMap, lexDiagnostics, tokenize } from './lexer.js';
import { lower } from './lower.js';
import { diag, messages } from './messages.js';
import { parseTokens } from './parser.js';
import type { Diagnostic } from './span.js';

export interface ParseResult {
  /** Every block that parsed; with syntax errors, only what recovery could save (maybe nothing). */
  readonly program: Program;
  /** Lexer and parser diagnostics (codes SG1xxx), sorted by position. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses a .saga source. Never throws: every mistake, however bad the input, is a diagnostic.
 * @example
 *   const { program, diagnostics } = parse('block b { input x: [N]\n output y = relu(x) }', 'b.saga');
 *   program.blocks[0].items[1]; // { kind: 'output', name: { name: 'y', ... }, value: { kind: 'call', ... } }
 */
export function parse(source: string, file: string): ParseResult {
  const lines = new LineMap(file, source);
  try {
    const lexed = tokenize(source);
    const lexical = lexDiagnostics(lexed, lines);
    const parsed = parseTokens(lexed.tokens, lines);
    // Text swallowed by an unterminated comment makes the parser hit EOF early; that follow-on
    // error would only repeat the comment's.
    const unterminated = lexical.some((d) => d.code === messages.syntax.code);
    const syntax = parsed.diagnostics.filter(
      (d) => !(unterminated && d.span.start === source.trimEnd().length) && !followsUnknown(d.span.start, lexical, lexed.tokens),
    );
    const diagnostics = [...lexical, ...syntax].sort((a, b) => a.span.start - b.span.start);
    return { program: lower(parsed.cst, lines), diagnostics };
  } catch (e) {
    // Last resort: the recursive-descent parser runs out of stack past ~250 nested parentheses.
    // Report that (or any other failure) rather than crash the caller.
    const why = e instanceof RangeError ? 'expressions are nested too deeply to parse' : `cannot parse this file: ${e instanceof Error ? e.message : String(e)}`;
    return {
      program: { file, blocks: [], span: lines.span(0, source.length) },
      diagnostics: [diag(messages.syntax, lines.span(0), [why], e instanceof RangeError ? 'name some parts with let' : undefined)],
    };
  }
}

/**
 * True when an unknown character lies between the token before `offset` and `offset`: in
 * `let y = x $ 1` the parser's complaint about '1' only repeats the problem with '$'.
 */
function followsUnknown(offset: number, lexical: readonly Diagnostic[], tokens: readonly { startOffset: number; image: string }[]): boolean {
  let prevEnd = 0;
  for (const t of tokens) {
    if (t.startOffset >= offset) break;
    prevEnd = t.startOffset + t.image.length;
  }
  return lexical.some((d) => d.code === messages.unexpectedCharacter.code && d.span.start >= prevEnd && d.span.start < offset);
}

export { formatDiagnostic, formatDiagnostics } from './format.js';
export type { Diagnostic, Severity, Span } from './span.js';
export type * from './ast.js';
