// The benchmark's result rows, PyTorch's results (bench/torch/saga_bench.py's JSON), and where
// each of issue 5's five targets stands given both. Only measured figures: a target whose rows
// are not in this run says so rather than guessing.
import { readFileSync } from 'node:fs';
import type { KernelParams } from '../codegen/wgsl/index.js';
import type { Roofline, Timing } from './roofline.js';
import type { Config, WorkloadName } from './workloads.js';

export interface ArmResult {
  /**
   * Time per forward: the median GPU time of the block's kernels as a run encodes them
   * (timestamps at the first pass's beginning and the last's end), else `passMs` (`timing`).
   */
  readonly ms?: number;
  readonly spread?: [number, number];
  /** The sum of the kernels' times, each in a compute pass of its own (the per-kernel profile). */
  readonly kernelSumMs?: number;
  readonly kernelSumSpread?: [number, number];
  /** Wall time per pass over all the kernels, --repeat passes in one submission. */
  readonly passMs?: number;
  /** A whole `executor.run` (uploads, kernels, read-back), submit to onSubmittedWorkDone. */
  readonly runMs?: number;
  readonly runSpread?: [number, number];
  /** Every storage buffer of the plan (all live during a run): the memory figure. */
  readonly bytes: number;
  /** The runtime's allocation report: storage plus read-back staging and uniforms. */
  readonly peakBytes?: number;
  /** Perfect bytes / ms, and that as a fraction of the copy kernel's bandwidth. */
  readonly gbps?: number;
  readonly bandwidthFraction?: number;
  /** Analytic flops / ms, and that as a fraction of the matmul kernel's rate. */
  readonly gflops?: number;
  readonly flopFraction?: number;
  /** Why the arm did not run (a buffer over the device's limits, say). */
  readonly error?: string;
  /** With --tuning: the entries of the file this arm's plan used, by kernel (none: the defaults). */
  readonly tuned?: Readonly<Record<string, KernelParams>>;
  /**
   * With --profile: each kernel's median time in a pass of its own; for the fused arm of a whole
   * run also `oneRunMs`, its cost as a run encodes it (the run cut after it minus cut before it).
   */
  readonly kernels?: readonly { readonly name: string; readonly ms: number; readonly oneRunMs?: number }[];
  /** The chunked arm's tokens per chunk (RunOptions.tokenChunk). */
  readonly tokenChunk?: number;
}

export interface ResultRow extends Config {
  readonly workload: WorkloadName;
  /** f32 bytes of inputs, params and outputs, each once. */
  readonly perfectBytes: number;
  readonly flops: number;
  readonly fused: ArmResult;
  readonly unfused: ArmResult;
  /** Normwise relative error of the fused output against the unfused one. */
  readonly fusedVsUnfusedError?: number;
  /** The fused block run token chunk by token chunk (block rows; not with --whole-only). */
  readonly chunked?: ArmResult;
  readonly chunkedVsFusedError?: number;
}

interface TorchArm {
  readonly ms: number;
  readonly peak_bytes: number;
}
export interface TorchRow {
  readonly size: number;
  readonly stage: number;
  readonly B: number;
  readonly saga_eager?: TorchArm;
  readonly saga_compile?: TorchArm;
  readonly sra?: TorchArm;
}
export interface TorchResults {
  readonly device: string;
  readonly rows: readonly TorchRow[];
  /** The torch and CUDA versions saga_bench.py ran with, where the file has them. */
  readonly torch?: string;
  readonly cuda?: string;
}

export class TorchFileError extends Error {}

/** An arm's error, short: the usual one is a buffer larger than the adapter can bind. */
export const failure = (error: string) => (/more than this device can bind/.test(error) ? 'over limits' : 'failed');

/** Why reading or parsing a JSON file failed, in a few words (the bench's files: --torch, bench:report's). */
export function jsonFileError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return e instanceof SyntaxError ? `not JSON (${e.message})` : code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (e as Error).message;
}

/** Reads saga_bench.py's JSON, with a clear message for a wrong or damaged file. */
export function loadTorch(file: string): TorchResults {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TorchFileError(`--torch ${file}: ${jsonFileError(e)}`);
  }
  const d = data as { device?: unknown; rows?: unknown; torch?: unknown; cuda?: unknown };
  if (typeof d !== 'object' || d === null || !Array.isArray(d.rows)) throw new TorchFileError(`--torch ${file}: no "rows" array; expected the JSON bench/torch/saga_bench.py writes`);
  d.rows.forEach((r: Record<string, unknown>, i: number) => {
    for (const k of ['size', 'stage', 'B']) if (typeof r?.[k] !== 'number') throw new TorchFileError(`--torch ${file}: row ${i} has no numeric "${k}"`);
    for (const arm of ['saga_eager', 'saga_compile', 'sra']) {
      const a = r[arm] as Record<string, unknown> | undefined;
      if (a !== undefined && (typeof a.ms !== 'number' || typeof a.peak_bytes !== 'number')) throw new TorchFileError(`--torch ${file}: row ${i}, "${arm}" needs numeric "ms" and "peak_bytes"`);
    }
  });
  const versions = { ...(typeof d.torch === 'string' ? { torch: d.torch } : {}), ...(typeof d.cuda === 'string' ? { cuda: d.cuda } : {}) };
  return { device: typeof d.device === 'string' ? d.device : 'unknown device', rows: d.rows as TorchRow[], ...versions };
}

export type Status = 'met' | 'missed' | 'not measured';

export interface TargetReport {
  readonly id: number;
  readonly target: string;
  readonly status: Status;
  /** The figures, one line. */
  readonly summary: string;
  /** Per configuration, for the JSON. */
  readonly figures: readonly Record<string, number | string | undefined>[];
  /** Where the time goes in the worst row: its slowest fused kernels (with --profile). */
  readonly timeGoes?: string;
}

/**
 * `block 1280² s1 B8, 22.68 ms: a 3.50, b 2.60, c 2.20 ms (...)`: the slowest three of a row's
 * fused kernels, as one run where the profile has that, else each timed in a pass of its own.
 */
function timeGoes(r: ResultRow): string | undefined {
  const k = r.fused.kernels;
  if (!k || r.fused.ms === undefined) return undefined;
  const oneRun = k.every((t) => t.oneRunMs !== undefined);
  const ms = (t: (typeof k)[number]) => (oneRun ? t.oneRunMs! : t.ms);
  const top = [...k].sort((p, q) => ms(q) - ms(p)).slice(0, 3);
  return `${r.workload} ${where(r)}, ${r.fused.ms.toFixed(2)} ms: ${top.map((t) => `${t.name} ${ms(t).toFixed(2)}`).join(', ')} ms (of ${k.length} kernels, ${oneRun ? 'as one run' : 'each in a pass of its own'})`;
}

const where = (r: Config) => `${r.size}² s${r.stage} B${r.B}`;
const x = (v: number) => `${v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const MB = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

function target1(rows: readonly ResultRow[], roofline: Roofline): TargetReport {
  const target = 'fused attention core ≥ 75% of the copy-kernel bandwidth at N ≥ 25,600';
  const got = rows.filter((r) => r.workload === 'core' && r.N >= 25_600 && r.fused.bandwidthFraction !== undefined);
  if (got.length === 0) return { id: 1, target, status: 'not measured', summary: 'no core row at N ≥ 25,600 in this run', figures: [] };
  const worst = got.reduce((a, b) => (b.fused.bandwidthFraction! < a.fused.bandwidthFraction! ? b : a));
  const best = Math.max(...got.map((r) => r.fused.bandwidthFraction!));
  const status = worst.fused.bandwidthFraction! >= 0.75 ? 'met' : 'missed';
  return {
    id: 1,
    target,
    status,
    summary: `${pct(worst.fused.bandwidthFraction!)} to ${pct(best)} of ${roofline.copy.gbps.toFixed(1)} GB/s over ${got.length} rows; worst ${where(worst)}: ${worst.fused.gbps!.toFixed(1)} GB/s`,
    figures: got.map((r) => ({ size: r.size, stage: r.stage, B: r.B, N: r.N, gbps: r.fused.gbps, fraction: r.fused.bandwidthFraction })),
    timeGoes: timeGoes(worst),
  };
}

function target2(rows: readonly ResultRow[], torch?: TorchResults): TargetReport {
  const target = 'fused full block ≥ 1.5× faster than eager PyTorch and ≥ 1.0× torch.compile, float32, every stage at 1280²';
  if (!torch) return { id: 2, target, status: 'not measured', summary: 'needs --torch FILE (bench/torch/saga_bench.py)', figures: [] };
  const figures = rows
    .filter((r) => r.workload === 'block' && r.size === 1280 && r.fused.ms !== undefined)
    .flatMap((r) => {
      const t = torch.rows.find((p) => p.size === r.size && p.stage === r.stage && p.B === r.B);
      if (!t?.saga_eager || !t.saga_compile) return [];
      return [{ size: r.size, stage: r.stage, B: r.B, sagacMs: r.fused.ms!, eagerMs: t.saga_eager.ms, compileMs: t.saga_compile.ms, vsEager: t.saga_eager.ms / r.fused.ms!, vsCompile: t.saga_compile.ms / r.fused.ms! }];
    });
  if (figures.length === 0) return { id: 2, target, status: 'not measured', summary: 'no 1280² block row measured here with a PyTorch row to match', figures: [] };
  const minEager = Math.min(...figures.map((f) => f.vsEager));
  const minCompile = Math.min(...figures.map((f) => f.vsCompile));
  const stages = [...new Set(figures.map((f) => f.stage))];
  const slowest = figures.reduce((a, b) => (b.vsEager < a.vsEager ? b : a));
  const status = minEager >= 1.5 && minCompile >= 1.0 ? (stages.length === 4 ? 'met' : 'not measured') : 'missed';
  return {
    id: 2,
    target,
    status,
    summary: `speed-up vs eager ${x(minEager)} to ${x(Math.max(...figures.map((f) => f.vsEager)))}, vs torch.compile ${x(minCompile)} to ${x(Math.max(...figures.map((f) => f.vsCompile)))} (stages ${stages.join(', ')}; > 1 = sagac faster; PyTorch on ${torch.device})`,
    figures,
    timeGoes: timeGoes(rows.find((r) => r.workload === 'block' && r.size === 1280 && r.stage === slowest.stage && r.B === slowest.B)!),
  };
}

/** Target 3's bound on the block's storage, × inputs + params + outputs (also the chunked arm's budget). */
export const MEMORY_TARGET = 1.25;

function target3(rows: readonly ResultRow[]): TargetReport {
  const target = 'peak GPU memory of the fused full block ≤ 1.25× (inputs + outputs + parameters)';
  const got = rows.filter((r) => r.workload === 'block');
  if (got.length === 0) return { id: 3, target, status: 'not measured', summary: 'no block rows in this run', figures: [] };
  const ratio = (r: ResultRow) => r.fused.bytes / r.perfectBytes;
  const worst = got.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
  const whole = `${x(Math.min(...got.map(ratio)))} to ${x(ratio(worst))}; worst ${where(worst)}: ${MB(worst.fused.bytes)} for ${MB(worst.perfectBytes)} of inputs, params and outputs`;
  // The same kernels token chunk by token chunk: intermediates chunk-sized, at a cost in time.
  const chunked = got.filter((r) => r.chunked && r.chunked.ms !== undefined);
  const cratio = (r: ResultRow) => r.chunked!.bytes / r.perfectBytes;
  const cost = (r: ResultRow) => (r.fused.ms ? r.chunked!.ms! / r.fused.ms : NaN);
  const inChunks = chunked.length
    ? `; as a trade-off, in token chunks (RunOptions.tokenChunk, the largest chunk planned within 1.25×), ${x(Math.min(...chunked.map(cratio)))} to ${x(Math.max(...chunked.map(cratio)))} at ${x(Math.min(...chunked.map(cost)))} to ${x(Math.max(...chunked.map(cost)))} the whole run's time`
    : '';
  // Met by whole runs only: in chunks the memory is bought with time (the summary says how much).
  return {
    id: 3,
    target,
    status: ratio(worst) <= MEMORY_TARGET ? 'met' : 'missed',
    summary: `whole runs ${whole}${inChunks}`,
    figures: got.map((r) => ({ size: r.size, stage: r.stage, B: r.B, fusedBytes: r.fused.bytes, perfectBytes: r.perfectBytes, ratio: ratio(r), ...(r.chunked?.ms !== undefined ? { chunkedBytes: r.chunked.bytes, chunkedRatio: cratio(r), chunkedTime: cost(r), tokenChunk: r.chunked.tokenChunk } : {}) })),
  };
}

function target4(rows: readonly ResultRow[]): TargetReport {
  const target = 'fused vs unfused ≥ 3× faster and ≥ 10× less memory at N = 102,400';
  const got = rows.filter((r) => r.workload === 'block' && r.N === 102_400);
  if (got.length === 0) return { id: 4, target, status: 'not measured', summary: 'no block row at N = 102,400 in this run', figures: [] };
  const figures = got.map((r) => ({
    size: r.size,
    stage: r.stage,
    B: r.B,
    speedup: r.fused.ms !== undefined && r.unfused.ms !== undefined ? r.unfused.ms / r.fused.ms : undefined,
    memoryRatio: r.unfused.bytes / r.fused.bytes,
    unfused: r.unfused.error ? `did not run (${failure(r.unfused.error)}: ${r.unfused.error})` : undefined,
  }));
  const speed = figures.flatMap((f) => (f.speedup === undefined ? [] : [f.speedup]));
  const memory = figures.map((f) => f.memoryRatio);
  const status = speed.length === 0 ? 'not measured' : Math.min(...speed) >= 3 && Math.min(...memory) >= 10 ? 'met' : 'missed';
  const time = speed.length ? `time ${x(Math.min(...speed))}${speed.length > 1 ? ` to ${x(Math.max(...speed))}` : ''}` : 'time not measured (the unfused arm did not run)';
  const slowest = got.filter((r) => r.fused.ms !== undefined && r.unfused.ms !== undefined).sort((a, b) => a.unfused.ms! / a.fused.ms! - b.unfused.ms! / b.fused.ms!)[0];
  const summary = `${time}; memory ${x(Math.min(...memory))}${memory.length > 1 ? ` to ${x(Math.max(...memory))}` : ''} (plan bytes)`;
  return { id: 4, target, status, summary, figures, timeGoes: slowest && timeGoes(slowest) };
}

function target5(rows: readonly ResultRow[], torch?: TorchResults): TargetReport {
  const target = "SAGA block vs PVT-T's SRA softmax block, summed over the four stages at 1280² (paper: 1.76× throughput, 2.69× less memory)";
  if (!torch) return { id: 5, target, status: 'not measured', summary: 'needs --torch FILE (bench/torch/saga_bench.py)', figures: [] };
  type Figure = Record<'B' | 'sagacMs' | 'sagacBytes' | 'sraMs' | 'sraBytes' | 'throughput' | 'memory' | 'eagerThroughput' | 'eagerMemory', number> & { chunkedThroughput?: number; chunkedMemory?: number };
  const figures: Figure[] = [];
  for (const B of [...new Set(rows.map((r) => r.B))]) {
    const ours = [1, 2, 3, 4].map((s) => rows.find((r) => r.workload === 'block' && r.size === 1280 && r.stage === s && r.B === B));
    const theirs = [1, 2, 3, 4].map((s) => torch.rows.find((r) => r.size === 1280 && r.stage === s && r.B === B));
    if (ours.some((r) => r?.fused.ms === undefined) || theirs.some((t) => !t?.sra || !t.saga_eager)) continue;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const sagaMs = sum(ours.map((r) => r!.fused.ms!));
    const sagaBytes = sum(ours.map((r) => r!.fused.bytes));
    const sraMs = sum(theirs.map((t) => t!.sra!.ms));
    const sraBytes = sum(theirs.map((t) => t!.sra!.peak_bytes));
    const eagerMs = sum(theirs.map((t) => t!.saga_eager!.ms));
    const eagerBytes = sum(theirs.map((t) => t!.saga_eager!.peak_bytes));
    const chunks = ours.every((r) => r!.chunked?.ms !== undefined) ? { chunkedThroughput: sraMs / sum(ours.map((r) => r!.chunked!.ms!)), chunkedMemory: sraBytes / sum(ours.map((r) => r!.chunked!.bytes)) } : {};
    figures.push({ B, sagacMs: sagaMs, sagacBytes: sagaBytes, sraMs, sraBytes, throughput: sraMs / sagaMs, memory: sraBytes / sagaBytes, eagerThroughput: sraMs / eagerMs, eagerMemory: sraBytes / eagerBytes, ...chunks });
  }
  if (figures.length === 0) return { id: 5, target, status: 'not measured', summary: 'needs all four stages at 1280² here and in the PyTorch file', figures: [] };
  const status = figures.every((f) => f.throughput >= 1.76 && f.memory >= 2.69) ? 'met' : 'missed';
  const summary = figures
    .map((f) => `B${f.B}: SRA ÷ sagac fused SAGA: time ${x(f.throughput)}, memory ${x(f.memory)}${f.chunkedMemory !== undefined ? ` (in token chunks: ${x(f.chunkedThroughput!)}, ${x(f.chunkedMemory)})` : ''} (SRA ÷ PyTorch eager SAGA: ${x(f.eagerThroughput)}, ${x(f.eagerMemory)})`)
    .join('; ') + `; PyTorch on ${torch.device}`;
  return { id: 5, target, status, summary, figures };
}

export function assessTargets(rows: readonly ResultRow[], roofline: Roofline, torch?: TorchResults): TargetReport[] {
  return [target1(rows, roofline), target2(rows, torch), target3(rows), target4(rows), target5(rows, torch)];
}

/** The targets as the terminal shows them; `tuning`: the --tuning file the fused arms used where it had entries. */
export function formatTargets(targets: readonly TargetReport[], timing: Timing, tuning?: string): string {
  const times = timing === 'timestamps' ? 'GPU times of the kernels as a run encodes them, from timestamp queries' : 'wall times per pass over the kernels, no timestamp queries';
  const lines = [`targets (issue 5; times are ${times}${tuning ? `; fused arms tuned from ${tuning} where it has entries for their sizes` : ''}):`];
  for (const t of targets) {
    lines.push(`  ${t.id}. ${t.target}`, `     ${t.status.toUpperCase()}: ${t.summary}`);
    if (t.status === 'missed' && t.timeGoes) lines.push(`     where the time goes: ${t.timeGoes}`);
  }
  return lines.join('\n');
}
