// `node dist/bench/report.js RESULTS.json [--torch TORCH.json]` (npm run bench:report -- ...): a
// benchmark's JSON (bench/harness.ts) as the Markdown tables of docs/benchmarks.md, with the
// PyTorch columns where a torch file (bench/torch/saga_bench.py's JSON) is given or the results
// name one that exists. Only what the files say: no dates, no re-measuring, fixed decimals.
import { readFileSync, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Stream } from './progress.js';
import { failure, jsonFileError, loadTorch, TorchFileError, type ArmResult, type ResultRow, type TargetReport, type TorchResults } from './targets.js';

export const USAGE = 'usage: node dist/bench/report.js RESULTS.json [--torch TORCH.json]';

/** What the report reads of a BenchResult: older files have no FMA peak, and any file may lack targets. */
export interface ReportResults {
  readonly adapter: string;
  readonly date: string;
  readonly timing: string;
  readonly roofline: { readonly copy: { readonly gbps: number }; readonly matmul: { readonly gflops: number }; readonly fma?: { readonly gflops: number } };
  readonly rows: readonly Pick<ResultRow, 'workload' | 'size' | 'stage' | 'N' | 'C' | 'heads' | 'B' | 'fused' | 'unfused'>[];
  readonly targets?: readonly (Pick<TargetReport, 'id' | 'target' | 'summary'> & { readonly status: string })[];
  readonly torch?: { readonly file: string; readonly device: string };
}

type Row = ReportResults['rows'][number];

const dash = '—';
const fixed = (v: number | undefined, digits: number) => (v === undefined ? dash : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined ? dash : `${(100 * v).toFixed(1)}%`);
// MB as the harness's table has it: 10⁶ bytes of the plan's storage (ArmResult.bytes), which an arm over the limits has too.
const MB = (a: ArmResult) => (a.bytes / 1e6).toFixed(1);
const ms = (a: ArmResult) => (a.error ? failure(a.error) : fixed(a.ms, 3));
const ratio = (num: number | undefined, den: number | undefined, digits: number) => (num === undefined || den === undefined || den === 0 ? dash : (num / den).toFixed(digits));

function table(head: readonly string[], body: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((cells) => `| ${cells.join(' | ')} |`)];
}

function workloadTable(rows: readonly Row[], torch: TorchResults | undefined): string[] {
  const head = ['input', 'stage', 'N', 'C', 'heads', 'B', 'fused ms', 'unfused ms', 'speed-up', 'fused MB', 'unfused MB', 'GB/s', '% copy', 'TFLOP/s', '% matmul'];
  if (torch) head.push('eager ms', 'compile ms', '÷ eager', '÷ compile');
  const body = rows.map((r) => {
    const f = r.fused;
    const u = r.unfused;
    const cells = [`${r.size}²`, String(r.stage), String(r.N), String(r.C), String(r.heads), String(r.B), ms(f), ms(u)];
    const speedup = ratio(u.ms, f.ms, 1);
    cells.push(speedup === dash ? dash : `${speedup}×`, MB(f), MB(u), fixed(f.gbps, 1), pct(f.bandwidthFraction), fixed(f.gflops === undefined ? undefined : f.gflops / 1000, 2), pct(f.flopFraction));
    if (torch) {
      const t = torch.rows.find((p) => p.size === r.size && p.stage === r.stage && p.B === r.B);
      cells.push(fixed(t?.saga_eager?.ms, 3), fixed(t?.saga_compile?.ms, 3), ratio(t?.saga_eager?.ms, f.ms, 2), ratio(t?.saga_compile?.ms, f.ms, 2));
    }
    return cells;
  });
  return table(head, body);
}

const WORKLOADS = [
  ['block', 'the full SAGA block (examples/saga.saga, from x, projections included)'],
  ['core', 'the attention core (bench/saga_core.saga, from the projections)'],
] as const;

/** The results (and PyTorch's, for the block rows) as Markdown: a header list, a table per workload, the targets. */
export function renderReport(results: ReportResults, torch?: TorchResults): string {
  const roof = results.roofline;
  const fma = roof.fma ? `; FP32 multiply-add peak ${(roof.fma.gflops / 1000).toFixed(2)} TFLOP/s` : '';
  const lines = [
    `- adapter: ${results.adapter}`,
    `- date: ${results.date}`,
    `- timing: ${results.timing}${results.timing === 'timestamps' ? " (GPU time of the block's kernels as a run encodes them, from timestamp queries)" : results.timing === 'wall' ? ' (wall time per pass over the kernels, no timestamp queries)' : ''}`,
    `- roofline: copy ${roof.copy.gbps.toFixed(1)} GB/s; matmul ${(roof.matmul.gflops / 1000).toFixed(2)} TFLOP/s${fma}`,
  ];
  if (torch) lines.push(`- PyTorch: ${torch.device}${torch.torch ? `, torch ${torch.torch}` : ''}${torch.cuda ? `, CUDA ${torch.cuda}` : ''}`);
  lines.push(
    "- columns: speed-up = unfused ms ÷ fused ms; MB = 10⁶ bytes of the plan's storage buffers; GB/s and TFLOP/s: the fused arm's perfect bytes and analytic flops over its time, then as a fraction of the copy and matmul rooflines" +
      (torch ? "; eager, compile: PyTorch's SAGA block (eager, torch.compile) at the same input, stage and B; ÷ eager, ÷ compile = PyTorch ms ÷ sagac fused ms (> 1: sagac faster)" : ''),
  );
  for (const [workload, what] of WORKLOADS) {
    const rows = results.rows.filter((r) => r.workload === workload);
    lines.push('', `### ${workload}: ${what}`, '');
    // PyTorch's rows are of the whole block: the core has no peer there.
    if (rows.length) lines.push(...workloadTable(rows, workload === 'block' ? torch : undefined));
    else lines.push(`No ${workload} rows in this run.`);
  }
  if (results.targets?.length) {
    lines.push('', '### Targets', '');
    for (const t of results.targets) lines.push(`${t.id}. **${t.target}** — ${t.status.toUpperCase()}: ${t.summary}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A mistake in the command line or its files: one line, exit code 2. */
class ReportError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ReportError(`${file}: ${jsonFileError(e)}`);
  }
}

/** Checks the fields the report reads, so a wrong file is one line rather than a TypeError. */
function checkResults(data: unknown, file: string): ReportResults {
  const wrong = (what: string) => new ReportError(`${file}: ${what}; expected the JSON node dist/bench/run.js writes`);
  if (!isObject(data)) throw wrong('not an object');
  for (const k of ['adapter', 'date', 'timing']) if (typeof data[k] !== 'string') throw wrong(`no "${k}" string`);
  const roof = data.roofline;
  if (!isObject(roof) || !isObject(roof.copy) || typeof roof.copy.gbps !== 'number' || !isObject(roof.matmul) || typeof roof.matmul.gflops !== 'number') throw wrong('no "roofline" with copy.gbps and matmul.gflops');
  if (roof.fma !== undefined && !(isObject(roof.fma) && typeof roof.fma.gflops === 'number')) throw wrong('a "roofline.fma" without numeric gflops');
  if (!Array.isArray(data.rows)) throw wrong('no "rows" array');
  data.rows.forEach((r: unknown, i: number) => {
    if (!isObject(r) || typeof r.workload !== 'string') throw wrong(`row ${i} has no "workload"`);
    for (const k of ['size', 'stage', 'N', 'C', 'heads', 'B']) if (typeof r[k] !== 'number') throw wrong(`row ${i} has no numeric "${k}"`);
    for (const arm of ['fused', 'unfused']) {
      const a = r[arm];
      if (!isObject(a) || typeof a.bytes !== 'number') throw wrong(`row ${i}, "${arm}" has no numeric "bytes"`);
      if (a.error !== undefined && typeof a.error !== 'string') throw wrong(`row ${i}, "${arm}".error is not a string`);
      for (const k of ['ms', 'gbps', 'bandwidthFraction', 'gflops', 'flopFraction']) if (a[k] !== undefined && typeof a[k] !== 'number') throw wrong(`row ${i}, "${arm}".${k} is not a number`);
    }
  });
  if (data.targets !== undefined) {
    if (!Array.isArray(data.targets)) throw wrong('"targets" is not an array');
    data.targets.forEach((t: unknown, i: number) => {
      if (!isObject(t) || typeof t.id !== 'number' || typeof t.target !== 'string' || typeof t.status !== 'string' || typeof t.summary !== 'string') throw wrong(`target ${i} needs numeric "id" and strings "target", "status", "summary"`);
    });
  }
  return data as unknown as ReportResults;
}

export interface ReportIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
}

/** The command line: resolves to the exit code (2: a mistake in it or its files). */
export function runReport(argv: readonly string[], io: ReportIo = { stdout: process.stdout, stderr: process.stderr }): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { torch: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
    } catch (e) {
      // node:util's messages name the option; keep their first sentence.
      throw new ReportError((e instanceof Error ? e.message : String(e)).split('. ')[0].replace(/\.$/, ''));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new ReportError(positionals.length === 0 ? 'expected a results JSON' : `expected one results JSON, got ${positionals.length}`);
    const results = checkResults(readJson(positionals[0]), positionals[0]);
    // The torch file the run used, where this checkout has it (its path is relative to the repository root).
    const named = results.torch?.file;
    const torchFile = values.torch ?? (named !== undefined && existsSync(named) ? named : undefined);
    let torch: TorchResults | undefined;
    try {
      torch = torchFile === undefined ? undefined : loadTorch(torchFile);
    } catch (e) {
      // loadTorch names the option; a file the results named was not given as one.
      if (e instanceof TorchFileError && values.torch === undefined) throw new TorchFileError(e.message.replace(/^--torch /, `${positionals[0]}'s torch.file `));
      throw e;
    }
    io.stdout.write(renderReport(results, torch));
    return 0;
  } catch (e) {
    // One line: JSON.parse's message quotes the text it stopped at, newlines and all.
    const line = (message: string) => message.replace(/\s*\n\s*/g, ' ');
    if (e instanceof ReportError) {
      io.stderr.write(`report: ${line(e.message)} (${USAGE})\n`);
      return 2;
    }
    if (e instanceof TorchFileError) {
      io.stderr.write(`report: ${line(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = runReport(process.argv.slice(2));
