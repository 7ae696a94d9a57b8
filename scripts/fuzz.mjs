// Fuzzes the front end outside vitest: `npm run fuzz` (FUZZ_RUNS=100000, FUZZ_SEED=<random>).
// The inputs and the check live in test/dsl/fuzz-cases.ts; `npm run fuzz` first compiles the
// project with tsc into node_modules/.cache/sagac-fuzz, since Node 20 cannot import TypeScript.
// Prints progress every 5,000 inputs and a summary; on a failure, prints the shrunk input as a
// JSON string and exits 1.
import { join } from 'node:path';
import fc from 'fast-check';

const root = join(import.meta.dirname, '..');
const { checkInput, fuzzInput } = await import(join(root, 'node_modules/.cache/sagac-fuzz/test/dsl/fuzz-cases.js'));

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('FUZZ_RUNS must be a positive integer and FUZZ_SEED an integer');
  process.exit(2);
}

const stats = { cases: 0, compiled: 0, diagnosed: 0, diagnostics: 0, chars: 0, slowestMs: 0, slowest: '' };
const t0 = performance.now();
let failing = false;

console.log(`fuzzing the front end: ${runs} inputs, seed ${seed}`);
const result = fc.check(
  fc.property(fuzzInput, (source) => {
    // While shrinking, fast-check re-runs the property on smaller inputs: don't count those.
    if (failing) {
      checkInput(source);
      return;
    }
    let outcome;
    try {
      outcome = checkInput(source);
    } catch (e) {
      failing = true;
      throw e;
    }
    stats.cases++;
    stats.chars += source.length;
    stats[outcome.ok ? 'compiled' : 'diagnosed']++;
    stats.diagnostics += outcome.diagnostics;
    if (outcome.ms > stats.slowestMs) [stats.slowestMs, stats.slowest] = [outcome.ms, source];
    if (stats.cases % 5000 === 0) {
      const s = (performance.now() - t0) / 1000;
      console.log(`  ${stats.cases} inputs, ${s.toFixed(1)} s (${Math.round(stats.cases / s)}/s), slowest ${stats.slowestMs.toFixed(0)} ms`);
    }
  }),
  { numRuns: runs, seed },
);

const seconds = ((performance.now() - t0) / 1000).toFixed(1);
if (result.failed) {
  const [input] = result.counterexample ?? [];
  console.error(`\nFAILED after ${result.numRuns} inputs (${result.numShrinks} shrinks), seed ${seed}, path ${JSON.stringify(result.counterexamplePath)}`);
  console.error(`error: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`);
  console.error(`input (${input?.length ?? 0} characters, JSON): ${JSON.stringify(input)}`);
  console.error(`reproduce: FUZZ_SEED=${seed} npm run fuzz`);
  process.exit(1);
}
console.log(
  `ok: ${stats.cases} inputs in ${seconds} s, seed ${seed}; ${stats.compiled} compiled, ${stats.diagnosed} ended in errors ` +
    `(${stats.diagnostics} diagnostics); ${(stats.chars / stats.cases).toFixed(0)} characters on average; ` +
    `slowest ${stats.slowestMs.toFixed(0)} ms (${stats.slowest.length} characters, JSON, cut at 300: ${JSON.stringify(stats.slowest.slice(0, 300))})`,
);
