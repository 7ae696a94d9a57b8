// Inputs for fuzzing the front end, and the one check every input must pass: compileSource ends in
// a program or in diagnostics with sane spans, formatDiagnostics prints them, all in bounded time.
// Shared by test/dsl/fuzz.property.test.ts (a few thousand cases in `npm test`) and scripts/fuzz.mjs
// (`npm run fuzz`, 100,000 by default), so this module imports nothing from vitest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { compileSource } from '../../compiler/index.js';
import { formatDiagnostics } from '../../dsl/format.js';

/** Longest a compile of one input may take. */
export const TIME_LIMIT_MS = 1000;

const KEYWORDS = ['block', 'const', 'dim', 'input', 'param', 'let', 'output', 'true', 'false', 'scan', 'state', 'over', 'chunk'];
const FUNCTIONS = ['relu', 'elu', 'sigmoid', 'silu', 'gelu', 'softplus', 'exp', 'log', 'sqrt', 'abs', 'pow', 'min', 'max', 'sum', 'mean', 'norm', 'amax', 'softmax', 'outer', 'transpose', 'split_heads', 'merge_heads'];
const NAMES = ['x', 'y', 'q', 'k', 'v', 'a', 'b', 's', 'w', 'N', 'C', 'B', 'd', 'heads', 'keep', 'letter', 'blocks', '_', 'x1'];
const PUNCT = ['{', '}', '[', ']', '(', ')', ',', ':', '=', '+', '-', '*', '/', '@'];
const NUMBERS = ['0', '1', '2', '64', '1.5', '.5', '1e-6', '2.5E+3', '1e', '1e+', '1.', '1e308', '1e400', '99999999999999999999', '0.0', '-1', '4294967296', '9007199254740993'];
const TRIVIA = [' ', '\n', '\t', '\r\n', '\r', '// comment\n', '/* block */', '/*', '*/', '//'];
const GARBAGE = ['$', '#', '"', "'", '`', '\\', '?', '!', '%', '^', '&', '|', '~', ';', '.', '<', '>', '\0', '\u00e9', '\u00a0', '\u2028', '\ufeff', '😀', '\ud800', '\udc00', 'λ', '∑', '①'];

/** One token of the language, or garbage. */
export const anyToken = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYWORDS, ...FUNCTIONS, ...NAMES) },
  { weight: 4, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(...TRIVIA) },
  { weight: 1, arbitrary: fc.constantFrom(...GARBAGE) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
);

/** (a) Random token sequences. */
export const tokenSoup = fc.array(fc.tuple(anyToken, fc.constantFrom(' ', '', '\n')), { maxLength: 80 }).map((ts) => ts.map(([t, s]) => t + s).join(''));

// A generated block that is valid, or nearly: random expressions over its own names.
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'w', 'h', '2', '0.5', 'eps'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '@'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('e').map((a) => `(${a})`),
    tie('e').map((a) => `-${a}`),
    fc.tuple(fc.constantFrom('relu', 'sigmoid', 'exp', 'softplus', 'transpose', 'merge_heads'), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(fc.constantFrom('sum', 'mean', 'softmax', 'amax'), tie('e'), fc.constantFrom('N', 'C', '-1', '0', 'N, keep = true')).map(([f, a, ax]) => `${f}(${a}, ${ax})`),
    fc.tuple(fc.constantFrom('outer', 'pow', 'min', 'max'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    tie('e').map((a) => `split_heads(${a}, heads)`),
  ),
})).e;

export const generatedProgram = fc
  .tuple(fc.array(expr, { minLength: 1, maxLength: 4 }), fc.constantFrom(1, 2, 4))
  .map(([lets, heads]) =>
    [
      'block g {',
      `  const heads = ${heads}`,
      '  const eps = 1e-6',
      '  dim d = C / heads',
      '  input x: [B, N, C]',
      '  param w: [C, C]',
      '  let h = split_heads(x, heads)',
      ...lets.map((e, i) => `  let l${i} = ${e}`),
      `  output y = ${lets.map((_, i) => `l${i}`).join(' + ')}`,
      '}',
      '',
    ].join('\n'),
  );

/** examples/ of the repository: two levels up here, further up when compiled by `npm run fuzz`. */
function readExamples(): string[] {
  let root = join(import.meta.dirname, '../..');
  while (!existsSync(join(root, 'examples/saga.saga')) && dirname(root) !== root) root = dirname(root);
  const dir = join(root, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.saga'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

export const EXAMPLES: readonly string[] = readExamples();

/** Source text as tokens with the whitespace and comments that follow each, so edits keep the rest intact. */
function pieces(source: string): string[] {
  return source.match(/\/\/[^\n]*\n?|\/\*[\s\S]*?\*\/\s*|[A-Za-z_][A-Za-z0-9_]*\s*|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d*)?\s*|[\s\S]\s*/g) ?? [];
}

/** The name a long-identifier edit uses: one name per input, so two of them never differ. */
const longName = (n: number) => `long_${'q'.repeat(n)}`;

const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: anyToken }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom('1e308', '1e400', '99999999999999999999', '1e-400', '0', '4294967297', '1.7976931348623157e308', '0.000000000000000000001') }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(199, 200, 201, 250, 300, 1000)), call: fc.boolean() }),
  fc.record({ kind: fc.constant('long-name' as const), at: fc.nat(), length: fc.constantFrom(100, 1000, 10_000), everywhere: fc.boolean() }),
  fc.record({ kind: fc.constant('non-ascii' as const), at: fc.nat(), text: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(ps: string[], e: Edit): string[] {
  if (ps.length === 0) return e.kind === 'insert' ? [e.token] : ps;
  const i = e.at % ps.length;
  const out = [...ps];
  switch (e.kind) {
    case 'delete':
      out.splice(i, 1);
      return out;
    case 'duplicate':
      out.splice(i, 0, ps[i]);
      return out;
    case 'swap': {
      const j = e.to % ps.length;
      [out[i], out[j]] = [out[j], out[i]];
      return out;
    }
    case 'insert':
      out.splice(i, 0, `${e.token} `);
      return out;
    case 'truncate':
      return out.slice(0, i);
    case 'number':
      out[i] = `${e.value} `;
      return out;
    case 'nest': {
      const [open, close] = e.call ? ['relu(', ')'] : ['(', ')'];
      out[i] = `${open.repeat(e.depth)}${ps[i].trimEnd()}${close.repeat(e.depth)} `;
      return out;
    }
    case 'long-name': {
      const word = ps[i].trimEnd();
      const long = longName(e.length);
      if (e.everywhere && /^[A-Za-z_]\w*$/.test(word)) return out.map((p) => (p.trimEnd() === word ? p.replace(word, long) : p));
      out[i] = `${long} `;
      return out;
    }
    case 'non-ascii':
      out[i] = ps[i] + e.text;
      return out;
  }
}

/** (b) A valid program (an example or a generated one) with random edits. */
export const editedProgram = fc
  .tuple(fc.oneof(fc.constantFrom(...EXAMPLES), generatedProgram), fc.array(edit, { minLength: 1, maxLength: 6 }))
  .map(([source, edits]) => edits.reduce(apply, pieces(source)).join(''));

/** Everything the fuzzers feed the compiler. */
export const fuzzInput = fc.oneof({ weight: 2, arbitrary: tokenSoup }, { weight: 3, arbitrary: editedProgram }, { weight: 1, arbitrary: generatedProgram }, fc.constant(''));

export interface Outcome {
  readonly ok: boolean;
  readonly diagnostics: number;
  readonly ms: number;
}

/**
 * Compiles `source` and checks what came out; throws an Error saying what is wrong (an exception
 * escaping the compiler is rethrown with the input's length in the message).
 */
export function checkInput(source: string): Outcome {
  const t0 = performance.now();
  let r: ReturnType<typeof compileSource>;
  try {
    r = compileSource(source, 'fuzz.saga', { verify: true });
  } catch (e) {
    throw new Error(`compileSource threw on a ${source.length}-character input: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  const ms = performance.now() - t0;
  if (ms >= TIME_LIMIT_MS) throw new Error(`compileSource took ${ms.toFixed(0)} ms (limit ${TIME_LIMIT_MS} ms) on a ${source.length}-character input`);
  if (!r.ok && !r.diagnostics.some((d) => d.severity === 'error')) throw new Error('not ok, but no error diagnostic');
  for (const d of r.diagnostics) {
    const { start, end, line, col } = d.span;
    const sane = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(line) && Number.isInteger(col);
    if (!sane || start < 0 || start > end || end > source.length || line < 1 || col < 1) {
      throw new Error(`${d.code} '${d.message}' has a bad span ${JSON.stringify(d.span)} in a ${source.length}-character input`);
    }
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const expectedLine = source.slice(0, start).split('\n').length;
    if (line !== expectedLine || col !== start - lineStart + 1) {
      throw new Error(`${d.code} at offset ${start} says ${line}:${col}, but that offset is at ${expectedLine}:${start - lineStart + 1}`);
    }
    if (!d.code || !d.message) throw new Error(`a diagnostic without a code or message: ${JSON.stringify(d)}`);
  }
  const text = formatDiagnostics(r.diagnostics, source);
  if (typeof text !== 'string') throw new Error('formatDiagnostics returned no string');
  return { ok: r.ok, diagnostics: r.diagnostics.length, ms };
}
