// `npm run bench` / `node dist/bench/run.js --help`: see bench/harness.ts.
import { SagaError } from '../runtime/errors.js';
import { runBench } from './harness.js';

runBench(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A SagaError is a condition of this machine or these sizes; anything else is a bug: keep its stack.
    console.error(e instanceof SagaError ? `bench: ${e.message}` : e);
    process.exitCode = 1;
  },
);
