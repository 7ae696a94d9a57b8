// Valid programs parse to the AST the grammar promises: structure, precedence, and spans.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block, Expr, Item } from '../../dsl/ast.js';
import { parse } from '../../dsl/index.js';

const root = join(import.meta.dirname, '../..');

/** An expression as a fully parenthesised string, so precedence reads at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'bool':
      return String(e.value);
    case 'name':
      return e.name;
    case 'neg':
      return `(-${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.callee.name}(${e.args.map((a) => (a.name ? `${a.name.name}=` : '') + show(a.value)).join(', ')})`;
    case 'scan':
      return `scan over ${e.axis.name}${e.chunk ? ` chunk ${show(e.chunk)}` : ''} { state ${e.state.name} = ${show(e.update)} ${show(e.result)} }`;
  }
}

/** Parses one block and expects no diagnostics. */
function block(body: string): Block {
  const source = `block b {\n${body}\n}\n`;
  const r = parse(source, 't.saga');
  expect(r.diagnostics).toEqual([]);
  expect(r.program.blocks).toHaveLength(1);
  return r.program.blocks[0];
}

function value(item: Item): Expr {
  if (!('value' in item)) throw new Error(`${item.kind} has no value`);
  return item.value;
}

/** The expression of `let e = <text>`. */
const expr = (text: string): Expr => value(block(`let e = ${text}`).items[0]);

describe('parse: programs', () => {
  it('parses every example without diagnostics', () => {
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.saga'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const file = `examples/${name}`;
      const r = parse(readFileSync(join(root, file), 'utf8'), file);
      expect(r.diagnostics, name).toEqual([]);
      expect(r.program.blocks.length, name).toBeGreaterThan(0);
    }
  });

  it('the SAGA block from docs/language.md has its items in source order, with spans', () => {
    const file = 'test/fixtures/dsl/saga.saga';
    const source = readFileSync(join(root, file), 'utf8');
    const [saga] = parse(source, file).program.blocks;
    expect(saga.name.name).toBe('saga');
    expect(saga.items.map((i) => `${i.kind} ${i.name.name}`)).toEqual([
      'const heads', 'const eps', 'dim d', 'input x',
      'param w_q', 'param w_k', 'param w_v', 'param w_a', 'param b_a', 'param w_b', 'param b_b', 'param w_o',
      'let q', 'let k', 'let v', 'let a', 'let b', 'let g', 'let s', 'let z', 'let den', 'let o', 'output y',
    ]);
    const out = saga.items.at(-1)!;
    expect(show(value(out))).toBe('(merge_heads(o) @ w_o)');
    // Spans: an identifier's line/col, and offsets that cut out exactly its text.
    const wq = saga.items.find((i) => i.name.name === 'w_q')!;
    expect(wq.name.span).toMatchObject({ file, line: 8, col: 9 });
    expect(source.slice(wq.name.span.start, wq.name.span.end)).toBe('w_q');
    expect(source.slice(wq.span.start, wq.span.end)).toBe('param w_q: [C, C]');
    expect(source.slice(out.span.start, out.span.end)).toBe('output y = merge_heads(o) @ w_o');
    expect(source.slice(saga.span.start, saga.span.end)).toMatch(/^block saga \{[\s\S]*\}$/);
  });

  it('an empty file, or one of only comments, is a program with no blocks', () => {
    for (const source of ['', '  \n\t\n', '// nothing\n/* still\nnothing */\n']) {
      const r = parse(source, 'empty.saga');
      expect(r.diagnostics).toEqual([]);
      expect(r.program).toMatchObject({ file: 'empty.saga', blocks: [], span: { start: 0, end: source.length } });
    }
  });

  it('several blocks keep their own names and items', () => {
    const r = parse('block a { input x: [N] output y = x }\nblock b { output z = 1 }', 'two.saga');
    expect(r.diagnostics).toEqual([]);
    expect(r.program.blocks.map((b) => [b.name.name, b.items.length])).toEqual([['a', 2], ['b', 1]]);
    expect(r.program.blocks[1].name.span).toMatchObject({ line: 2, col: 7 });
  });

  it('items of every kind, with newlines not significant', () => {
    const b = block('const heads = 2 dim d = C / heads input x: [B,\n N, C] param w:\n[C, d]\noutput y = x');
    expect(b.items.map((i) => i.kind)).toEqual(['const', 'dim', 'input', 'param', 'output']);
    const x = b.items[2];
    expect(x.kind === 'input' && x.shape.map(show)).toEqual(['B', 'N', 'C']);
    expect(show(value(b.items[1]))).toBe('(C / heads)');
  });

  it('shapes may be empty or end in a comma', () => {
    const b = block('input s: []\nparam w: [C * 2, C / heads,]');
    expect(b.items.map((i) => (i.kind === 'input' || i.kind === 'param' ? i.shape.map(show) : []))).toEqual([[], ['(C * 2)', '(C / heads)']]);
  });

  it('keywords are whole words: names may start with one', () => {
    const b = block('let letter = blocks + scanner + output_1 + true_ + state2');
    expect(b.items[0].name.name).toBe('letter');
    expect(show(value(b.items[0]))).toBe('((((blocks + scanner) + output_1) + true_) + state2)');
  });

  it('comments are skipped wherever whitespace may go', () => {
    const b = block('let /* here */ a = x // there\n  /* a\n multi-line */ output y = a');
    expect(b.items.map((i) => i.name.name)).toEqual(['a', 'y']);
    expect(b.items[1].name.span).toMatchObject({ line: 4, col: 23 });
  });

  it('CRLF line endings give the same lines and columns', () => {
    const r = parse('block b {\r\n  input x: [N]\r\n  output y = x\r\n}\r\n', 'crlf.saga');
    expect(r.diagnostics).toEqual([]);
    expect(r.program.blocks[0].items[1].name.span).toMatchObject({ line: 3, col: 10 });
  });
});

describe('parse: expressions', () => {
  it('@ binds like * and tighter than +: x @ w + b is (x @ w) + b', () => {
    expect(show(expr('x @ w + b'))).toBe('((x @ w) + b)');
    expect(show(expr('b + x @ w'))).toBe('(b + (x @ w))');
  });

  it('* / @ share one level, left-associative like Python', () => {
    expect(show(expr('a * b @ c / d'))).toBe('(((a * b) @ c) / d)');
  });

  it('- is left-associative: a - b - c is (a - b) - c', () => {
    expect(show(expr('a - b - c + d'))).toBe('(((a - b) - c) + d)');
  });

  it('unary minus binds tightest: -a * b is (-a) * b', () => {
    expect(show(expr('-a * b'))).toBe('((-a) * b)');
    expect(show(expr('a - -b'))).toBe('(a - (-b))');
    expect(show(expr('--a'))).toBe('(-(-a))');
  });

  it('a negative literal is neg(number)', () => {
    expect(expr('-2')).toMatchObject({ kind: 'neg', operand: { kind: 'number', value: 2 } });
  });

  it('parentheses group and widen the inner span to cover them', () => {
    const source = 'block b {\nlet e = (q @ s) / (den + eps)\n}';
    const e = value(parse(source, 't.saga').program.blocks[0].items[0]);
    expect(show(e)).toBe('((q @ s) / (den + eps))');
    if (e.kind !== 'binary') throw new Error('expected binary');
    expect(source.slice(e.left.span.start, e.left.span.end)).toBe('(q @ s)');
    expect(e.left).toMatchObject({ kind: 'binary', op: '@', span: { line: 2, col: 9 } });
    expect(source.slice(e.span.start, e.span.end)).toBe('(q @ s) / (den + eps)');
  });

  it('numbers keep their text and value', () => {
    const nums = ['12', '1.5', '1e-6', '2.5E+3', '.5', '0'];
    expect(nums.map((n) => expr(n))).toEqual(
      nums.map((n) => expect.objectContaining({ kind: 'number', text: n, value: Number(n) })),
    );
  });

  it('true and false are booleans', () => {
    expect(expr('true')).toMatchObject({ kind: 'bool', value: true });
    expect(expr('false')).toMatchObject({ kind: 'bool', value: false });
  });

  it('a scan is an expression: axis, optional chunk, state update, then the per-token result', () => {
    const e = expr('scan over N chunk 2 * 32 {\n  state S = a * S + outer(k, v)\n  q @ S\n} / 2');
    expect(show(e)).toBe('(scan over N chunk (2 * 32) { state S = ((a * S) + outer(k, v)) (q @ S) } / 2)');
    const plain = expr('scan over T { state z = z + outer(k, 1) q @ z }');
    expect(show(plain)).toBe('scan over T { state z = (z + outer(k, 1)) (q @ z) }');
    if (plain.kind !== 'scan') throw new Error('not a scan');
    expect(plain.chunk).toBeUndefined();
    expect([plain.span.col, plain.span.end - plain.span.start]).toEqual([9, 'scan over T { state z = z + outer(k, 1) q @ z }'.length]);
  });

  it('calls take positional and named arguments', () => {
    const e = expr('sum(g * outer(k, v), N, keep = true)');
    expect(show(e)).toBe('sum((g * outer(k, v)), N, keep=true)');
    if (e.kind !== 'call') throw new Error('expected call');
    expect(e.callee).toMatchObject({ name: 'sum', span: { line: 2, col: 9 } });
    expect(e.args[2]).toMatchObject({ name: { name: 'keep' }, value: { kind: 'bool', value: true }, span: { col: 33, end: e.args[2].value.span.end } });
    expect(e.span.end - e.span.start).toBe('sum(g * outer(k, v), N, keep = true)'.length);
    expect(show(expr('f()'))).toBe('f()');
  });
});
