// Syntax diagnostics as users read them (golden, formatted), the printer's layout rules, and the
// promise that parse() never throws.
import { describe, expect, it } from 'vitest';
import type { Expr, Program } from '../../dsl/ast.js';
import { formatDiagnostic, formatDiagnostics } from '../../dsl/format.js';
import { parse } from '../../dsl/index.js';
import type { Diagnostic, Span } from '../../dsl/span.js';

/** Parses `source` and prints its diagnostics the way the CLI does. */
function report(source: string): string {
  return formatDiagnostics(parse(source, 'bad.saga').diagnostics, source);
}

const codes = (source: string): string[] => parse(source, 'bad.saga').diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code}`);

describe('syntax errors', () => {
  it('missing ] names what the shape needed', () => {
    expect(report('block b {\n  input x: [B, N, C\n  let q = x\n  output y = q\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:3:3: error SG1002: expected ',' or ']' after 'C' in the shape, found 'let'
          3 |   let q = x
            |   ^^^"
    `);
  });

  it('missing = after the name', () => {
    expect(report('block b {\n  const heads 2\n  output y = heads\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:2:15: error SG1002: expected '=' after 'heads', found '2'
          2 |   const heads 2
            |               ^"
    `);
  });

  it('missing expression after an operator', () => {
    expect(report('block b {\n  input x: [N]\n  output y = x *\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:4:1: error SG1002: expected an expression after '*', found '}'
          4 | }
            | ^"
    `);
  });

  it('unexpected token inside a block', () => {
    expect(report('block b {\n  input x: [N]\n  output y = x )\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:3:16: error SG1002: expected an item (const, dim, input, param, let, output) or '}', found ')'
          3 |   output y = x )
            |                ^"
    `);
  });

  it('unexpected token at the top level', () => {
    expect(report('let x = 1\nblock b { output y = 1 }\n')).toMatchInlineSnapshot(`
      "bad.saga:1:1: error SG1002: expected 'block', found 'let'
          1 | let x = 1
            | ^^^"
    `);
  });

  it('unknown characters are reported one by one and lexing goes on', () => {
    expect(report('block b {\n  input x: [N$, C]\n  output y = x # 1 é\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:2:14: error SG1001: unexpected character '$'
          2 |   input x: [N$, C]
            |              ^

      bad.saga:3:16: error SG1001: unexpected character '#'
          3 |   output y = x # 1 é
            |                ^

      bad.saga:3:20: error SG1001: unexpected character 'é'
          3 |   output y = x # 1 é
            |                    ^
        hint: U+00E9: outside comments, .saga source is ASCII"
    `);
  });

  it('unterminated block comment points at its opening', () => {
    expect(report('block b {\n  input x: [N]\n  /* TODO\n  output y = x\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:3:3: error SG1002: unterminated block comment
          3 |   /* TODO
            |   ^^
        hint: close it with '*/'"
    `);
  });

  it('an empty file is a valid program', () => {
    expect(report('')).toBe('');
  });

  it('the causal-scan keywords cannot be names', () => {
    expect(report('block b {\n  input x: [N]\n  let scan = x\n  output y = x\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:3:7: error SG1002: 'scan' is a keyword of the causal scan (scan over N chunk 64 { state S = ... }) and cannot be a name
          3 |   let scan = x
            |       ^^^^
        hint: choose another name: scan, state, over and chunk are keywords"
    `);
    expect(report('block state { output y = 1 }')).toMatchInlineSnapshot(`
      "bad.saga:1:7: error SG1002: 'state' is a keyword of the causal scan (scan over N chunk 64 { state S = ... }) and cannot be a name
          1 | block state { output y = 1 }
            |       ^^^^^
        hint: choose another name: scan, state, over and chunk are keywords"
    `);
  });

  it('numbers that are not finite', () => {
    expect(report('block b {\n  const big = 1e999\n  const eps = 1e\n  output y = big + eps\n}\n')).toMatchInlineSnapshot(`
      "bad.saga:2:15: error SG1003: '1e999' is not a finite number
          2 |   const big = 1e999
            |               ^^^^^
        hint: numbers must be finite (at most about 1.8e308)

      bad.saga:3:15: error SG1003: '1e' is not a finite number
          3 |   const eps = 1e
            |               ^^
        hint: an exponent needs digits, as in 1e-6"
    `);
  });

  it('a bad number is reported even inside an item that fails to parse', () => {
    expect(codes('block b {\n  let = 1e999\n}')).toEqual(['2:7 SG1002', '2:9 SG1003']);
  });

  it('end of file: a zero-width span after the last character', () => {
    const source = 'block b {\n  output y = relu(1';
    const [d] = parse(source, 'bad.saga').diagnostics;
    expect(d.span).toMatchObject({ start: source.length, end: source.length, line: 2, col: 20 });
    expect(report(source)).toMatchInlineSnapshot(`
      "bad.saga:2:20: error SG1002: expected ',' or ')' after '1' in the argument list, found end of file
          2 |   output y = relu(1
            |                    ^"
    `);
  });

  it('several errors in one file are all reported, each at its own place', () => {
    const source = [
      'block a {',
      '  input x: [N, C',
      '  param w: [C, C]',
      '  let q = x @',
      '  let = 3',
      '  output y = sum(q, N, keep = )',
      '}',
      'block b {',
      '  output z = (1 + 2',
      '}',
    ].join('\n');
    expect(codes(source)).toEqual(['3:3 SG1002', '5:3 SG1002', '5:7 SG1002', '6:31 SG1002', '10:1 SG1002']);
    expect(report(source)).toMatchInlineSnapshot(`
      "bad.saga:3:3: error SG1002: expected ',' or ']' after 'C' in the shape, found 'param'
          3 |   param w: [C, C]
            |   ^^^^^

      bad.saga:5:3: error SG1002: expected an expression after '@', found 'let'
          5 |   let = 3
            |   ^^^

      bad.saga:5:7: error SG1002: expected a name after 'let', found '='
          5 |   let = 3
            |       ^

      bad.saga:6:31: error SG1002: expected an expression after '=', found ')'
          6 |   output y = sum(q, N, keep = )
            |                               ^

      bad.saga:10:1: error SG1002: expected ')' after '2', found '}'
         10 | }
            | ^"
    `);
  });

  it('recovery keeps every block and item that parsed', () => {
    const r = parse('block a {\n  input x: [N]\n  let = 1\n  output y = x\n}\nblock b { output z = ( }\nblock c { output w = 1 }', 'r.saga');
    expect(r.program.blocks.map((b) => [b.name.name, b.items.map((i) => i.name.name)])).toEqual([
      ['a', ['x', 'y']],
      ['b', []],
      ['c', ['w']],
    ]);
  });
});

describe('formatDiagnostic', () => {
  const span = (source: string, start: number, end: number): Span => {
    const before = source.slice(0, start).split('\n');
    return { file: 'f.saga', start, end, line: before.length, col: before.at(-1)!.length + 1 };
  };
  const at = (source: string, text: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => {
    const start = source.indexOf(text);
    return { severity, code: 'SG2001', message: `unknown name '${text}'`, span: span(source, start, start + text.length), hint: "did you mean 'w_q'?" };
  };

  it('prints location, source line, caret and hint', () => {
    const source = 'block b {\n  input x: [N, C]\n  let q = x @ wq\n}';
    expect(formatDiagnostic(at(source, 'wq'), source)).toMatchInlineSnapshot(`
      "f.saga:3:15: error SG2001: unknown name 'wq'
          3 |   let q = x @ wq
            |               ^^
        hint: did you mean 'w_q'?"
    `);
  });

  it('keeps the caret aligned under tabs', () => {
    const source = 'block b {\n\tlet q =\tx @ wq\n}';
    const out = formatDiagnostic(at(source, 'wq'), source).split('\n');
    expect(out[1]).toBe('    2 |     let q = x @ wq');
    expect(out[2]).toBe('      |                 ^^');
    expect(out[1].indexOf('wq')).toBe(out[2].indexOf('^'));
  });

  it('clips a span that runs past its line, and says warning for warnings', () => {
    const source = 'block b {\n  param w: [C]\n}';
    const d: Diagnostic = { ...at(source, 'param w: [C]\n}'), severity: 'warning', code: 'SG4001', message: "parameter 'w' is never used", hint: undefined };
    expect(formatDiagnostic(d, source)).toMatchInlineSnapshot(`
      "f.saga:2:3: warning SG4001: parameter 'w' is never used
          2 |   param w: [C]
            |   ^^^^^^^^^^^^"
    `);
  });

  it('separates diagnostics with a blank line and aligns gutters of different widths', () => {
    const source = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n');
    const out = formatDiagnostics([at(source, 'line9'), at(source, 'line12')], source);
    expect(out).toMatchInlineSnapshot(`
      "f.saga:9:1: error SG2001: unknown name 'line9'
          9 | line9
            | ^^^^^
        hint: did you mean 'w_q'?

      f.saga:12:1: error SG2001: unknown name 'line12'
         12 | line12
            | ^^^^^^
        hint: did you mean 'w_q'?"
    `);
  });
});

describe('parse never throws', () => {
  /** A deterministic LCG (Numerical Recipes constants), so a failure reproduces. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }

  const PIECES = [
    'block', 'const', 'dim', 'input', 'param', 'let', 'output', 'true', 'false', 'scan', 'state', 'over', 'chunk',
    'x', 'N', 'w_q', 'relu', 'sum', 'keep', 'b1', '0', '12', '1.5', '1e-6', '.5', '2.5E+3', '1e999', '1e',
    '+', '-', '*', '/', '@', '=', ':', ',', '(', ')', '[', ']', '{', '}',
    '// c\n', '/* c */', '/*', '*/', ' ', ' ', '\n', '\t', '\r\n',
    '$', '#', '.', '"', 'é', '😀', '\uD83D', '\u0000', '\u00a0',
  ];
  const VALID = 'block b {\n  const h = 2\n  dim d = C / h\n  input x: [B, N, C,]\n  param w: [C, C]\n  let q = relu(split_heads(x @ w, h)) // c\n  output y = sum(-q * 2, N, keep = true) / (1 + 1e-6)\n}\n';

  /** Checks the contract: returns, and every span (diagnostic or AST) lies in the source with matching line/col. */
  function check(source: string): void {
    const r = parse(source, 'fuzz.saga');
    const inside = (s: Span): void => {
      expect(s.file).toBe('fuzz.saga');
      expect(0 <= s.start && s.start <= s.end && s.end <= source.length, JSON.stringify({ source, s })).toBe(true);
      const before = source.slice(0, s.start).split('\n');
      expect([s.line, s.col]).toEqual([before.length, before.at(-1)!.length + 1]);
    };
    for (const d of r.diagnostics) {
      inside(d.span);
      // Neither the safety net nor chevrotain's own wording (token type names) may show.
      expect(d.message).not.toMatch(/cannot parse|nested too deeply|-->|<--/);
      expect(d.message).not.toMatch(/\b(Identifier|NumberLiteral|[LR](Paren|Bracket|Curly)|\w+(Keyword|Op)|EOF)\b/);
    }
    walk(r.program, inside);
    expect(typeof formatDiagnostics(r.diagnostics, source)).toBe('string');
  }

  function walk(p: Program, visit: (s: Span) => void): void {
    const expr = (e: Expr): void => {
      visit(e.span);
      if (e.kind === 'neg') expr(e.operand);
      if (e.kind === 'binary') [e.left, e.right].forEach(expr);
      if (e.kind === 'call') {
        visit(e.callee.span);
        for (const a of e.args) {
          visit(a.span);
          if (a.name) visit(a.name.span);
          expr(a.value);
        }
      }
    };
    visit(p.span);
    for (const b of p.blocks) {
      visit(b.span);
      for (const i of b.items) {
        visit(i.span);
        visit(i.name.span);
        if ('value' in i) expr(i.value);
        else i.shape.forEach(expr);
      }
    }
  }

  it('on 300 random token soups', () => {
    const next = rng(42);
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(next() * 60);
      let s = '';
      for (let i = 0; i < len; i++) {
        s += next() < 0.9 ? PIECES[Math.floor(next() * PIECES.length)] + ' ' : String.fromCharCode(Math.floor(next() * 0x3000));
      }
      check(s);
    }
  });

  it('on 300 mutations of a valid program (deleted, duplicated, swapped characters)', () => {
    const next = rng(7);
    for (let n = 0; n < 300; n++) {
      let s = VALID;
      for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
        const i = Math.floor(next() * s.length);
        const j = Math.min(s.length, i + 1 + Math.floor(next() * 8));
        const r = next();
        s = r < 0.4 ? s.slice(0, i) + s.slice(j) : r < 0.7 ? s.slice(0, j) + s.slice(i, j) + s.slice(j) : s.slice(0, i) + PIECES[Math.floor(next() * PIECES.length)] + s.slice(i);
      }
      check(s);
    }
  });

  it('on absurdly deep nesting', () => {
    const source = `block b { output y = ${'('.repeat(20000)}1${')'.repeat(20000)} }`;
    const r = parse(source, 'deep.saga');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['expressions are nested too deeply to parse']);
    expect(parse(`block b { output y = ${'('.repeat(100)}1${')'.repeat(100)} }`, 'ok.saga').diagnostics).toEqual([]);
  });
});
