// The grammar of .saga as a chevrotain CST parser: syntax only, with labels for the parts that
// lower.ts reads. Recovery is on, so one run reports every syntax error it can get past.
import { CstParser, EOF, tokenLabel, tokenMatcher, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import {
  AdditiveOp, allTokens, Block, Colon, Comma, Equals, False, Identifier, LBracket, LCurly, LParen, Minus,
  MultiplicativeOp, NumberLiteral, Over, RBracket, RCurly, Reserved, RParen, Scan, State, TensorKeyword, True, ValueKeyword, type LineMap,
  Chunk,
} from './lexer.js';
import { diag, messages } from './messages.js';
import type { Diagnostic } from './span.js';

class SagaParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: 'full', errorMessageProvider, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  // An explicit EOF gives the block loop a token to recover towards, so stray text between blocks
  // is skipped and reported instead of ending the parse.
  readonly program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.block, { LABEL: 'blocks' }));
    this.CONSUME(EOF);
  });

  readonly block = this.RULE('block', () => {
    this.CONSUME(Block);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.item, { LABEL: 'items' }));
    this.CONSUME(RCurly);
  });

  readonly item = this.RULE('item', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.valueItem) }, { ALT: () => this.SUBRULE(this.tensorItem) }]);
  });

  /** const / dim / let / output NAME = expr */
  readonly valueItem = this.RULE('valueItem', () => {
    this.CONSUME(ValueKeyword, { LABEL: 'keyword' });
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  /** input / param NAME : shape */
  readonly tensorItem = this.RULE('tensorItem', () => {
    this.CONSUME(TensorKeyword, { LABEL: 'keyword' });
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Colon);
    this.SUBRULE(this.shape);
  });

  /** [a, b, c] with an optional trailing comma; LL(2) tells `, expr` from `, ]`. */
  readonly shape = this.RULE('shape', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'dims' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression, { LABEL: 'dims' });
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  /** Left-associative `+ -` over terms. */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.term, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(AdditiveOp, { LABEL: 'operators' });
      this.SUBRULE2(this.term, { LABEL: 'operands' });
    });
  });

  /** Left-associative `* / @`, one precedence level as in Python. */
  readonly term = this.RULE('term', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.CONSUME(MultiplicativeOp, { LABEL: 'operators' });
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  readonly unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus);
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.SUBRULE(this.parenthesised) },
      { ALT: () => this.SUBRULE(this.scanExpression) },
    ]);
  });

  /** `scan over N chunk 64 { state S = a * S + outer(k, v)  q @ S }`: update, then the per-token result. */
  readonly scanExpression = this.RULE('scanExpression', () => {
    this.CONSUME(Scan);
    this.CONSUME(Over);
    this.CONSUME(Identifier, { LABEL: 'axis' });
    this.OPTION(() => {
      this.CONSUME(Chunk);
      this.SUBRULE(this.expression, { LABEL: 'chunk' });
    });
    this.CONSUME(LCurly);
    this.CONSUME(State);
    this.CONSUME2(Identifier, { LABEL: 'state' });
    this.CONSUME(Equals);
    this.SUBRULE2(this.expression, { LABEL: 'update' });
    this.SUBRULE3(this.expression, { LABEL: 'result' });
    this.CONSUME(RCurly);
  });

  /** A name, or a call when an argument list follows. */
  readonly reference = this.RULE('reference', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.argument, { LABEL: 'args' });
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.argument, { LABEL: 'args' });
        });
      });
      this.CONSUME(RParen);
    });
  });

  /** `expr` or `name = expr`; LL(2) sees the '='. */
  readonly argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(Identifier, { LABEL: 'name' });
      this.CONSUME(Equals);
    });
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  readonly parenthesised = this.RULE('parenthesised', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.expression, { LABEL: 'inner' });
    this.CONSUME(RParen);
  });
}

// Syntax error wording: say what was expected in the user's terms (token labels, not chevrotain
// token names), what was found, and where the parser was.

const EXPRESSION_RULES = new Set(['expression', 'term', 'unary', 'primary', 'reference', 'argument', 'parenthesised', 'scanExpression']);

const isEof = (t: IToken | undefined): boolean => t === undefined || tokenMatcher(t, EOF);
const found = (t: IToken): string => (isEof(t) ? 'end of file' : `'${t.image}'`);
const after = (prev: IToken | undefined): string => (isEof(prev) || !Number.isFinite(prev!.startOffset) ? '' : ` after '${prev!.image}'`);

function reserved(t: IToken): string | undefined {
  if (isEof(t) || !tokenMatcher(t, Reserved)) return undefined;
  return `'${t.image}' is a keyword of the causal scan (scan over N chunk 64 { state S = ... }) and cannot be a name`;
}

function mismatch(expected: TokenType, actual: IToken, prev: IToken | undefined, rule: string): string {
  const prevImage = isEof(prev) ? '' : prev!.image;
  if (expected === Identifier) {
    const what = rule === 'block' ? 'a name for the block' : 'a name';
    return `expected ${what}${after(prev)}, found ${found(actual)}`;
  }
  if (expected === RBracket && rule === 'shape') {
    const what = prevImage === '[' || prevImage === ',' ? "a dimension or ']'" : "',' or ']'";
    return `expected ${what}${after(prev)} in the shape, found ${found(actual)}`;
  }
  if (expected === RParen && rule === 'reference') {
    const what = prevImage === '(' || prevImage === ',' ? "an argument or ')'" : "',' or ')'";
    return `expected ${what}${after(prev)} in the argument list, found ${found(actual)}`;
  }
  if (expected === RCurly) return `expected an item (const, dim, input, param, let, output) or '}', found ${found(actual)}`;
  if (expected === EOF) return `expected 'block', found ${found(actual)}`;
  return `expected ${tokenLabel(expected)}${after(prev)}, found ${found(actual)}`;
}

function alternatives(paths: TokenType[][], actual: IToken, prev: IToken | undefined, rule: string): string {
  if (EXPRESSION_RULES.has(rule)) return `expected an expression${after(prev)}, found ${found(actual)}`;
  const labels = [...new Set(paths.filter((p) => p.length > 0).map((p) => tokenLabel(p[0])))];
  return `expected ${labels.join(' or ')}${after(prev)}, found ${found(actual)}`;
}

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous, ruleName }) =>
    reserved(actual) ?? mismatch(expected, actual, previous, ruleName),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => reserved(firstRedundant) ?? `expected 'block', found ${found(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, previous, ruleName }) =>
    reserved(actual[0]) ?? alternatives(expectedPathsPerAlt.flat(), actual[0], previous, ruleName),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, previous, ruleName }) =>
    reserved(actual[0]) ?? alternatives(expectedIterationPaths, actual[0], previous, ruleName),
};

/** One parser for the process: chevrotain's grammar analysis runs once; each parse resets `input`. */
export const parser = new SagaParser();

/**
 * Parses tokens into a CST, turning chevrotain's errors into SG1002 diagnostics. Recovery can
 * report a second error at the token where the first one was found; only the first is kept.
 */
export function parseTokens(tokens: IToken[], lines: LineMap): { cst: CstNode; diagnostics: Diagnostic[] } {
  parser.input = tokens;
  const cst = parser.program();
  const seen = new Set<number>();
  const diagnostics: Diagnostic[] = [];
  for (const e of parser.errors) {
    const span = lines.tokenSpan(e.token);
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    const hint = !isEof(e.token) && tokenMatcher(e.token, Reserved) ? 'choose another name: scan, state, over and chunk are keywords' : undefined;
    diagnostics.push(diag(messages.syntax, span, [e.message], hint));
  }
  return { cst, diagnostics };
}
