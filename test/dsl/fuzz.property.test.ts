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

describe('known front-end bugs (compiler/build.ts), kept here until fixed', () => {
  // BlockBuilder.expr recurses once per binary operator, and `a + b + c ...` folds to the left, so
  // a long flat chain is as deep as it is long: past ~4,700 operands (default Node stack) it
  // throws RangeError out of compileSource. The parser copes; the 300-parenthesis guard in
  // dsl/index.ts does not cover build. Minimal input: 'block b { input x: [N]\n output y = x' +
  // ' + x'.repeat(5000) + ' }'.
  it.fails('a chain of 20,000 additions ends in a program or diagnostics, not a RangeError', () => {
    const source = `block b { input x: [N]\n output y = x${' + x'.repeat(20_000)} }`;
    expect(() => compileSource(source, 'chain.saga')).not.toThrow();
  });

  // suggest() computes the full edit distance to every name in scope, O(|name|·|candidate|) each,
  // with no length cut-off (a distance over 2 is never suggested, so a length gap over 2 or a band
  // of width 2 would do): two uses of an unknown 10,000-character name next to a defined one take
  // ~1.2 s here (~0.6 s each). Skipped, not it.fails, because it is about time, which varies by
  // machine. Minimal input below.
  it.skip(`two unknown 10,000-character names compile in under ${TIME_LIMIT_MS} ms`, () => {
    const [a, b] = ['a'.repeat(10_000), 'b'.repeat(10_000)];
    const t0 = performance.now();
    compileSource(`block b { input ${a}: [N]\n output y = ${b} + ${b} }`, 'long.saga');
    expect(performance.now() - t0).toBeLessThan(TIME_LIMIT_MS);
  });
});
