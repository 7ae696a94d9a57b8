#!/usr/bin/env node
// sagac's command line. User mistakes (bad DSL, bad tensors, bad flags) print one clear message
// and exit 1; only a bug in sagac itself prints a stack trace.
import { parseArgs } from 'node:util';
import { SAGAC_VERSION } from '../codegen/ts/version.js';
import { SagaError, ShaderError } from '../runtime/errors.js';
import { check } from './check.js';
import { readText, UsageError } from './common.js';
import { demo } from './demo.js';
import { explain } from './explain.js';
import { graph } from './graph.js';
import { info } from './info.js';
import { ir } from './ir.js';
import { parseBytes, run } from './run.js';
import { formatShaderError } from './shader-errors.js';
import { wgsl } from './wgsl.js';

const USAGE = `usage: sagac <command> FILE.saga [options]
       sagac --version | --help

commands:
  check FILE                 report errors and warnings
  ir FILE [--block B] [--after PASS] [--verify]
                             print the IR as built, or after a pass
  explain FILE               which rewrites fired, where
  graph FILE [--block B] [--after PASS] [--format svg|dot|mermaid] [--out F] [--dims N=102400,C=64]
                             the IR as a dataflow picture, kernels as clusters (docs/graph.md)
  wgsl FILE [--block B] [--no-fuse] [--dim C=64 ...]
                             print the generated WGSL kernels
  info FILE [--json]         the blocks' inputs, params and outputs with symbolic shapes
  run FILE --inputs IN.safetensors [--params P.safetensors] --out OUT.safetensors
           [--block B] [--backend webgpu|cpu] [--no-fuse] [--allow-nonfinite] [--report R.json]
           [--token-chunk T]     T tokens at a time: intermediates chunk-sized (docs/memory.md)
           [--max-memory 2G]     whole if its storage fits, else the largest token chunk that does
           [--tuning F]          the fused kernels' parameters from sagac tune, for these sizes
  demo FILE [--block B] [--dim N=4096 ...] [--seed S] [--repeat R] [--precision f16] [--tuning F]
                             run on WebGPU and in the float64 interpreter, compare, time
  selftest [FILE...] [--precision f16]
                             every kernel, fused and unfused, on this adapter vs the float64
                             interpreter (the bundled examples when no file is given)
  tune FILE --dim N=... [--block B] [--repeat R] [--out sagac-tuning.json]
                             search the fused kernels' parameters on this adapter (docs/tuning.md)
  build GLOB... --out DIR [--no-fuse] [--check] [--watch] [--tuning F] [--dim C=64 ...]
                             a TypeScript module and .wgsl files per block (docs/build.md)
`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      block: { type: 'string' },
      json: { type: 'boolean', default: false },
      inputs: { type: 'string' },
      params: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string', default: 'webgpu' },
      dim: { type: 'string', multiple: true, default: [] },
      dims: { type: 'string', multiple: true, default: [] },
      format: { type: 'string' },
      seed: { type: 'string', default: '1' },
      repeat: { type: 'string', default: '5' },
      after: { type: 'string' },
      verify: { type: 'boolean', default: false },
      'no-fuse': { type: 'boolean', default: false },
      'allow-nonfinite': { type: 'boolean', default: false },
      report: { type: 'string' },
      check: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      tuning: { type: 'string' },
      precision: { type: 'string', default: 'f32' },
      'token-chunk': { type: 'string' },
      'max-memory': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, file, ...rest] = positionals;
  if (values.version || command === 'version') {
    process.stdout.write(`sagac ${SAGAC_VERSION}\n`);
    return 0;
  }
  if (values.help || command === 'help' || !command) {
    process.stdout.write(USAGE);
    return values.help || command === 'help' ? 0 : 1;
  }
  if (command === 'build') {
    if (!values.out) throw new UsageError('build needs --out DIR');
    // Loaded on demand: ts-morph and prettier cost a second at start-up that other commands skip.
    const { build } = await import('./build.js');
    return build({ patterns: positionals.slice(1), out: values.out, fuse: !values['no-fuse'], check: values.check, watch: values.watch, ...(values.tuning ? { tuning: values.tuning } : {}), dims: values.dim });
  }
  const precision = values.precision;
  if (precision !== 'f32' && precision !== 'f16') throw new UsageError(`--precision must be f32 or f16, got '${precision}'`);
  if (command === 'selftest') {
    const { selftest } = await import('./selftest.js');
    return selftest(positionals.slice(1), precision);
  }
  if (!file) throw new UsageError(`${command} needs a .saga file\n\n${USAGE}`);
  if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
  const int = (name: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} expects a whole number, got '${v}'`);
    return Number(v);
  };
  try {
    return await dispatch(command, file, values, int);
  } catch (e) {
    // A rejected kernel is shown on the .saga line it was generated from.
    if (!(e instanceof ShaderError)) throw e;
    process.stderr.write(formatShaderError(e, readText(file), file) + '\n');
    if (e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    return 1;
  }
}

type Values = ReturnType<typeof parse>['values'];

async function dispatch(command: string, file: string, values: Values, int: (name: string, v: string) => number): Promise<number> {
  switch (command) {
    case 'check':
      check(file);
      return 0;
    case 'ir':
      ir(file, values.block, values.after, values.verify);
      return 0;
    case 'wgsl':
      wgsl(file, values.block, !values['no-fuse'], values.dim);
      return 0;
    case 'explain':
      explain(file, values.verify);
      return 0;
    case 'info':
      info(file, values.json, values.block);
      return 0;
    case 'run':
      await run({ file, block: values.block, inputs: values.inputs, params: values.params, out: values.out, backend: values.backend, fuse: !values['no-fuse'], checkFinite: !values['allow-nonfinite'], report: values.report, precision: values.precision as 'f32' | 'f16', ...(values.tuning !== undefined ? { tuning: values.tuning } : {}), ...(values['token-chunk'] !== undefined ? { tokenChunk: int('token-chunk', values['token-chunk']) } : {}), ...(values['max-memory'] !== undefined ? { maxMemory: parseBytes(values['max-memory']) } : {}) });
      return 0;
    case 'tune': {
      const { tune } = await import('./tune.js');
      await tune({ file, block: values.block, dims: values.dim, repeat: int('repeat', values.repeat), out: values.out ?? 'sagac-tuning.json' });
      return 0;
    }
    case 'graph':
      await graph({ file, block: values.block, after: values.after, format: values.format, out: values.out, dims: values.dims });
      return 0;
    case 'demo':
      return (await demo({ file, block: values.block, dims: values.dim, seed: int('seed', values.seed), repeat: int('repeat', values.repeat), tolerance: values.precision === 'f16' ? 1e-2 : 1e-4, precision: values.precision as 'f32' | 'f16', ...(values.tuning !== undefined ? { tuning: values.tuning } : {}) })) ? 0 : 1;
    default:
      throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof SagaError) {
      process.stderr.write(`sagac: error: ${e.message}\n`);
      if (e instanceof SagaError && e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
    } else if (e instanceof TypeError && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sagac: error: ${e.message}\n\n${USAGE}`);
    } else {
      process.stderr.write(`sagac: internal error (a bug in sagac, please report it):\n${e instanceof Error ? e.stack : String(e)}\n`);
    }
    process.exit(1);
  },
);
