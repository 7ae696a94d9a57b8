// Command-line options of `npm run bench`, checked up front so a typo gets one clear line and the
// usage text rather than a stack trace an hour into a run.
import { parseArgs } from 'node:util';
import { STAGES, type WorkloadName } from './workloads.js';

export const USAGE = `usage: node dist/bench/run.js [options]        (npm run bench -- [options])

Times the SAGA block (examples/saga.saga, from x, projections included) and its attention core
(bench/saga_core.saga, from the projections) at PVT-T stage sizes, sagac fused vs unfused, on the
default WebGPU adapter, next to a copy-bandwidth and matmul roofline of the same adapter.
Writes a table to stdout, progress to stderr, and <adapter>-<date>.json, .svg (a chart) and .md
(the tables as Markdown, as npm run bench:report prints them) to --out.

options:
  --sizes R,...       input resolutions R (R x R images); multiples of 32   [224,512,1024,1280]
  --stages S,...      PVT-T stages 1-4: N = (R/stride)^2, C and heads of the stage  [1,2,3,4]
  --batch B,...       batch sizes                                            [1,8]
  --workloads W,...   block, core                                            [block,core]
  --repeat N          timed runs per arm after one warm-up; median and range [10]
  --profile           also list each kernel's GPU time: in a pass of its own, and (fused)
                      as one run, from the run cut after each kernel
  --wall              time by wall clock only, as on an adapter without timestamp-query
  --whole-only        leave out the block's arm in token chunks (RunOptions.tokenChunk)
  --stored-kv         store the gated keys and values, then reduce them (CodegenOptions.kvProjections
                      = false), instead of computing the projections inside the KV reduction
  --torch FILE        bench/torch/saga_bench.py's JSON: targets 2 and 5 against PyTorch
  --tuning FILE       a sagac tune file: the fused arms use its entries for their sizes' bucket
                      (rows without entries keep the defaults; each row says which it used)
  --dump DIR          write x, params and the fused block output at the smallest size, batch 1
                      (for bench/torch/saga_bench.py --check DIR)
  --out DIR           where the JSON and SVG go                              [bench/results]
  --help              this text`;

export class UsageError extends Error {}

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly stages: readonly number[];
  readonly batch: readonly number[];
  readonly workloads: readonly WorkloadName[];
  readonly repeat: number;
  readonly profile: boolean;
  readonly wall: boolean;
  /** The block's third arm: fused, token chunk by token chunk. */
  readonly chunked: boolean;
  /** CodegenOptions.kvProjections for the fused arm (--stored-kv: false). */
  readonly kvProjections: boolean;
  readonly torch?: string;
  /** A tuning file (`sagac tune`) whose entries the fused arms use at their sizes. */
  readonly tuning?: string;
  readonly dump?: string;
  readonly out: string;
  readonly help: boolean;
}

function positiveInts(option: string, text: string): number[] {
  const items = text.split(',').map((s) => s.trim());
  for (const s of items) {
    if (!/^[1-9][0-9]*$/.test(s)) throw new UsageError(`--${option}: '${s}' is not a positive integer (expected a comma-separated list such as 1,8)`);
  }
  return items.map(Number);
}

/** Parses argv (without node and the script); throws UsageError with a one-line reason. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        sizes: { type: 'string', default: '224,512,1024,1280' },
        stages: { type: 'string', default: '1,2,3,4' },
        batch: { type: 'string', default: '1,8' },
        workloads: { type: 'string', default: 'block,core' },
        repeat: { type: 'string', default: '10' },
        profile: { type: 'boolean', default: false },
        wall: { type: 'boolean', default: false },
        'whole-only': { type: 'boolean', default: false },
        'stored-kv': { type: 'boolean', default: false },
        torch: { type: 'string' },
        tuning: { type: 'string' },
        dump: { type: 'string' },
        out: { type: 'string', default: 'bench/results' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    // node:util's messages name the option; keep their first sentence.
    const message = e instanceof Error ? e.message : String(e);
    const ambiguous = /Option '(--\w+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} has no value (write a value starting with '-' as ${ambiguous[1]}=VALUE)`);
    throw new UsageError(message.split('. ')[0].replace(/\.$/, ''));
  }
  const sizes = positiveInts('sizes', values.sizes);
  for (const R of sizes) {
    if (R % 32 !== 0) throw new UsageError(`--sizes: ${R} is not a multiple of 32 (stage 4 has stride 32, so N = (R/32)^2 must be whole)`);
  }
  const stages = positiveInts('stages', values.stages);
  for (const s of stages) if (s > STAGES.length) throw new UsageError(`--stages: ${s} is not a PVT-T stage (1 to ${STAGES.length})`);
  const workloads = values.workloads.split(',').map((s) => s.trim());
  for (const w of workloads) if (w !== 'block' && w !== 'core') throw new UsageError(`--workloads: '${w}' is not block or core`);
  const [repeat] = positiveInts('repeat', values.repeat);
  return {
    sizes,
    stages,
    batch: positiveInts('batch', values.batch),
    workloads: workloads as WorkloadName[],
    repeat,
    profile: values.profile,
    wall: values.wall,
    chunked: !values['whole-only'],
    kvProjections: !values['stored-kv'],
    torch: values.torch,
    ...(values.tuning !== undefined ? { tuning: values.tuning } : {}),
    dump: values.dump,
    out: values.out,
    help: values.help,
  };
}
