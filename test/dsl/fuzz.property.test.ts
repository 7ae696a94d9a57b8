// The front end under fuzzing (fast-check): random token soup and valid programs with random edits
// (deleted, duplicated, swapped tokens, truncation, huge numbers, deep nesting, long names,
// non-ASCII) must each end in a program or in diagnostics with sane spans, never an exception,
// within a second. `npm run fuzz` runs the same properties 100,000 times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import { checkInput, editedProgram, EXAMPLES, generatedProgram, TIME_LIMIT_MS, tokenSoup } from './fuzz-cases.js';

const property = (arb: fc.Arbitrary<string>) =>
  fc.property(arb, (source) => {
    checkInput(source);
  });

describe('the front end never throws and always points inside the source', () => {
  it('on random token sequences (1,500 cases)', () => {
    fc.assert(property(tokenSoup), { numRuns: 1500, seed: 0x5a9a });
  });

  it('on examples and generated programs with random edits (1,500 cases)', () => {
    fc.assert(property(editedProgram), { numRuns: 1500, seed: 0x6a6c });
  });

  it('the generated programs mostly compile as they are, so edits start from something valid', () => {
    const ok = fc.sample(generatedProgram, { numRuns: 200, seed: 3 }).filter((s) => checkInput(s).ok).length;
    expect(ok).toBeGreaterThan(20);
    for (const src of EXAMPLES) expect(checkInput(src).ok).toBe(true);
  });

  const hdr = 'block b {\n  input x: [N, C]\n';
  const edge: Record<string, string> = {
    'the empty file': '',
    'only a comment': '// nothing here',
    'an unterminated block comment': 'block b { /* input x: [N]',
    '1e308 as a const': `${hdr}  const c = 1e308\n  output y = x * c * c\n}`,
    '1e400 as a number': `${hdr}  output y = x * 1e400\n}`,
    '99999999999999999999 as a dimension': 'block b {\n  input x: [N, 99999999999999999999]\n  output y = sum(x, 1)\n}',
    '1e400 as a dimension': 'block b {\n  input x: [N, 1e400]\n  output y = x\n}',
    'huge heads in split_heads': `${hdr}  output y = split_heads(x, 99999999999999999999)\n}`,
    '300 nested parentheses': `${hdr}  output y = ${'('.repeat(300)}x${')'.repeat(300)}\n}`,
    '300 nested calls': `${hdr}  output y = ${'relu('.repeat(300)}x${')'.repeat(300)}\n}`,
    '3000 unary minuses': `${hdr}  output y = ${'-'.repeat(3000)}x\n}`,
    '300 unclosed parentheses': `${hdr}  output y = ${'('.repeat(300)}x\n}`,
    'a 10,000-character name': `block b {\n  input ${'n'.repeat(10_000)}: [N]\n  output y = ${'n'.repeat(10_000)} + m\n}`,
    'non-ASCII names and a lone surrogate': `${hdr}  let é = x\n  output 😀 = x \ud800\n}`,
    'CRLF line ends': hdr.replace(/\n/g, '\r\n') + '  output y = relu(x)\r\n}\r\n',
    'a NUL byte': `${hdr}\0  output y = x\n}`,
    '1,000 operands (below the recursion bug below)': `${hdr}  output y = x${' + x'.repeat(1000)}\n}`,
  };
  for (const [what, source] of Object.entries(edge)) {
    it(`ends in a program or diagnostics on ${what}`, () => {
      checkInput(source);
    });
  }
});

describe('front-end bugs the fuzzer found (compiler/build.ts), fixed', () => {
  // BlockBuilder.expr recursed once per binary operator, and `a + b + c ...` folds to the left, so
  // a long flat chain was as deep as it was long: past ~4,700 operands it threw RangeError out of
  // compileSource. It now walks left-nested chains with a loop.
  it('a chain of 20,000 additions ends in a program, not a RangeError', () => {
    const source = `block b { input x: [N]\n output y = x${' + x'.repeat(20_000)} }`;
    const r = compileSource(source, 'chain.saga');
    expect(r.ok).toBe(true);
    expect(r.graphs[0].nodes.filter((n) => n.op === 'binary')).toHaveLength(20_000);
  });

  // suggest() computed the full edit distance to every name in scope (~0.6 s per use of an unknown
  // 10,000-character name); it now skips names whose length differs by more than 2 and stops a
  // distance once it exceeds 2 (nothing further is ever suggested).
  it(`two unknown 10,000-character names compile in under ${TIME_LIMIT_MS} ms, with the error`, () => {
    const [a, b] = ['a'.repeat(10_000), 'b'.repeat(10_000)];
    const t0 = performance.now();
    const r = compileSource(`block b { input ${a}: [N]\n output y = ${b} + ${b} }`, 'long.saga');
    expect(performance.now() - t0).toBeLessThan(TIME_LIMIT_MS);
    expect(r.diagnostics.filter((d) => d.code === 'SG2001')).toHaveLength(2);
  });
});
