// Tuning: which kernel parameters `sagac tune` searches, which candidates an adapter cannot run
// (pruned before any is measured), how measured runs pick a winner per kernel, and the tuning
// file `sagac build --tuning` reads. Pure: the measuring is in cli/tune.ts.
import type { Plan } from '../../runtime/plan.js';
import { evalShape, numel } from '../../runtime/shape.js';
import type { CodegenOptions, KernelParams } from './index.js';
import type { MatmulTile } from './matmul.js';
import { workgroupBytes } from './print.js';

/** The search space: every matmul's tile, every KV reduction's token ranges. */
export const SEARCH = { tile: [64, '128x64', 128] as MatmulTile[], splits: [8, 16, 32, 64, 128, 256] };

/** One configuration tried: the same parameters for every kernel they apply to. */
export interface Candidate {
  readonly tile: MatmulTile;
  readonly splits: number;
}

export interface TuningEntry {
  readonly block: string;
  readonly kernel: string;
  /** The sizes tuned for, each rounded up to a power of two: `B=8,C=64,N=131072`. */
  readonly bucket: string;
  readonly params: KernelParams;
  /** GPU ms of the kernel (with its second-stage kernels) with the winning and the default parameters. */
  readonly ms: number;
  readonly defaultMs: number;
}

export interface TuningFile {
  readonly sagac: string;
  /** `vendor / architecture / device / description` of the adapter tuned on. */
  readonly adapter: string;
  readonly entries: readonly TuningEntry[];
}

export function candidates(space = SEARCH): Candidate[] {
  return space.tile.flatMap((tile) => space.splits.map((splits) => ({ tile, splits })));
}

export const candidateName = (c: Candidate) => `tile ${c.tile}, splits ${c.splits}`;

export function bucketOf(dims: ReadonlyMap<string, number>): string {
  return [...dims]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([s, v]) => `${s}=${2 ** Math.ceil(Math.log2(Math.max(v, 1)))}`)
    .join(',');
}

type Limits = Pick<GPUSupportedLimits, 'maxComputeWorkgroupStorageSize' | 'maxStorageBufferBindingSize' | 'maxBufferSize'>;

/** Why `plan` (generated with candidate `c`) cannot run on an adapter with `limits`, or null. */
export function exceedsLimits(c: Candidate, plan: Plan, env: ReadonlyMap<string, number>, limits: Limits): string | null {
  // The same measure the executor refuses kernels by, over every kernel the candidate changes.
  const shared = Math.max(0, ...plan.kernels.map((k) => workgroupBytes(k.wgsl)));
  if (shared > limits.maxComputeWorkgroupStorageSize) {
    return `tile ${c.tile} needs ${shared} bytes of workgroup memory, over maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`;
  }
  const bind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const b of plan.buffers) {
    const bytes = 4 * numel(evalShape(b.shape, env));
    if (bytes > bind) return `buffer ${b.id} needs ${bytes} bytes, over the binding limit ${bind}`;
  }
  return null;
}

/**
 * The kernels a parameter choice affects, by the kernel it is set on: a matmul alone (its tile),
 * a KV reduction's partial-sums kernel (or the one computing its projections inside) with the
 * kernels that add its partials (its splits). A matmul split over k at known sizes (`matmul_y`
 * written as `matmul_y_partial` and `sum_y`) is keyed by its name unsplit, as tuning sets it.
 */
export function tunableGroups(plan: Plan): Map<string, { param: 'tile' | 'splits'; kernels: string[] }> {
  const groups = new Map<string, { param: 'tile' | 'splits'; kernels: string[] }>();
  const withReaders = (k: (typeof plan.kernels)[number]) => {
    const partials = [k.writes, ...(k.alsoWrites ?? [])];
    return [k.name, ...plan.kernels.filter((r) => r.reads.some((id) => partials.includes(id))).map((r) => r.name)];
  };
  for (const k of plan.kernels) {
    if (k.name.startsWith('matmul_')) {
      const split = k.name.endsWith('_partial');
      groups.set(split ? k.name.slice(0, -'_partial'.length) : k.name, { param: 'tile', kernels: split ? withReaders(k) : [k.name] });
    }
    if (k.name.startsWith('outer_') && (k.name.endsWith('_partial') || k.name.endsWith('_projected'))) groups.set(k.name, { param: 'splits', kernels: withReaders(k) });
  }
  return groups;
}

/** A measured run: each kernel's median GPU ms, and the plan's tunable groups (names can change with the parameters at known sizes). */
export interface MeasuredRun {
  readonly ms: ReadonlyMap<string, number>;
  readonly groups: ReadonlyMap<string, { readonly kernels: readonly string[] }>;
}

/** GPU ms of tunable kernel `kernel` (with its group) in `run`; Infinity where the run has no such kernel. */
export const groupMs = (run: MeasuredRun, kernel: string) => (run.groups.get(kernel)?.kernels ?? [kernel]).reduce((s, k) => s + (run.ms.get(k) ?? Infinity), 0);

/**
 * The winner per tunable kernel: for each group of `plan` (the defaults'), the candidate whose
 * kernels took the least GPU time, and the time of `defaults` (a run of the plan without tuning).
 * Ties go to the earlier candidate, so the choice is deterministic.
 */
export function chooseWinners(plan: Plan, runs: readonly (MeasuredRun & { readonly candidate: Candidate })[], defaults?: MeasuredRun): Map<string, { params: KernelParams; ms: number; defaultMs: number }> {
  const out = new Map<string, { params: KernelParams; ms: number; defaultMs: number }>();
  for (const [kernel, g] of tunableGroups(plan)) {
    let best: { candidate: Candidate; ms: number } | undefined;
    for (const r of runs) {
      const ms = groupMs(r, kernel);
      if (!best || ms < best.ms) best = { candidate: r.candidate, ms };
    }
    if (!best) continue;
    out.set(kernel, { params: g.param === 'tile' ? { tile: best.candidate.tile } : { splits: best.candidate.splits }, ms: best.ms, defaultMs: defaults ? groupMs(defaults, kernel) : NaN });
  }
  return out;
}

/** The matmul schedules `sagac tune` tries once tiles are chosen, the default first (it wins ties). */
export const SCHEDULES = ['pipelined', 'simple'] as const;
export type TunedSchedule = (typeof SCHEDULES)[number];

/**
 * Per matmul kernel (`tunableGroups`' tile groups), the schedule whose run timed it fastest. `runs`
 * holds one run per schedule, every matmul of the plan set to it. Ties go to the earlier run.
 */
export function chooseSchedules(plan: Plan, runs: readonly (MeasuredRun & { readonly schedule: TunedSchedule })[]): Map<string, { schedule: TunedSchedule; ms: number }> {
  const out = new Map<string, { schedule: TunedSchedule; ms: number }>();
  for (const [kernel, g] of tunableGroups(plan)) {
    if (g.param !== 'tile') continue;
    for (const r of runs) {
      const ms = groupMs(r, kernel);
      const best = out.get(kernel);
      if (!best || ms < best.ms) out.set(kernel, { schedule: r.schedule, ms });
    }
  }
  return out;
}

/**
 * Split counts `sagac tune` tries with even ranges (KvProjectedSpec.ranges) for a KV reduction
 * computing its projections, around the count `w` the grid search chose: w·2^(k/16), k = −8..8,
 * rounded, each once (w/√2 to w·√2, about 4% apart). Whole ranges leave a count that is no power
 * of 2 with idle ranges; even ones keep every range working, so the grid can fit the adapter's
 * waves (H200, 1280², stage 3 batch 8: 33 even ranges 2.0% faster than 32, docs/benchmarks-log.md).
 */
export function evenSplitCounts(w: number): number[] {
  return [...new Set(Array.from({ length: 17 }, (_, i) => Math.max(1, Math.round(w * 2 ** ((i - 8) / 16)))))];
}

/**
 * Codegen options from a tuning file for `block` on any adapter: when the file has several buckets
 * for a kernel, the largest (the sizes where speed matters most) wins; a build never tunes. Given
 * the block's sizes (`dims`), the entries of their bucket where the file has any (a bucket names
 * every size, so only `dims` with all of them can match one).
 */
export function tuningFor(file: TuningFile, block: string, dims?: ReadonlyMap<string, number>): CodegenOptions {
  const exact = dims ? tuningAt(file, block, dims) : undefined;
  if (exact) return exact;
  const best = new Map<string, TuningEntry>();
  for (const e of file.entries) {
    if (e.block !== block) continue;
    const known = best.get(e.kernel);
    if (!known || compareBuckets(e.bucket, known.bucket) > 0) best.set(e.kernel, e);
  }
  return { tuning: byKernel([...best.values()]) };
}

/** The tuning file's entries for `block` at these sizes (every dim of the block: their bucket), or undefined where it has none. */
export function tuningAt(file: TuningFile, block: string, dims: ReadonlyMap<string, number>): CodegenOptions | undefined {
  const bucket = bucketOf(dims);
  const entries = file.entries.filter((e) => e.block === block && e.bucket === bucket);
  return entries.length ? { tuning: byKernel(entries) } : undefined;
}

/** Tuned parameters as one line: `matmul_y tile 64, outer_mean_s_projected splits 27 ranges even`. */
export const describeTuning = (tuning: Readonly<Record<string, KernelParams>>) =>
  Object.entries(tuning)
    .map(([k, p]) => `${k} ${Object.entries(p).map(([n, v]) => `${n} ${v}`).join(' ')}`)
    .join(', ');

/** What `sagac run` / `demo --tuning FILE` say of the entries they took for `block`. */
export const tunedSummary = (options: CodegenOptions, block: string, file: string) => describeTuning(options.tuning ?? {}) || `no entries for block ${block} in ${file}`;

const byKernel = (entries: readonly TuningEntry[]) => Object.fromEntries([...entries].sort((a, b) => (a.kernel < b.kernel ? -1 : 1)).map((e) => [e.kernel, e.params]));

const bucketSize = (b: string) => b.split(',').reduce((p, kv) => p * Number(kv.split('=')[1] ?? 1), 1);
const compareBuckets = (a: string, b: string) => bucketSize(a) - bucketSize(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Checks a parsed tuning file's shape, naming what is wrong. */
export function validateTuningFile(data: unknown): string | null {
  const f = data as Partial<TuningFile>;
  if (typeof f !== 'object' || f === null || !Array.isArray(f.entries) || typeof f.adapter !== 'string') return 'expected {"sagac", "adapter", "entries": [...]}';
  for (const [i, e] of f.entries.entries()) {
    if (typeof e?.block !== 'string' || typeof e.kernel !== 'string' || typeof e.bucket !== 'string' || typeof e.params !== 'object' || e.params === null) return `entry ${i}: expected block, kernel, bucket and params`;
    const { tile, splits, kSplits, schedule, slab, threads, ranges } = e.params as KernelParams;
    if (tile !== undefined && !SEARCH.tile.includes(tile)) return `entry ${i} (${e.kernel}): tile must be one of ${SEARCH.tile.join(', ')}`;
    if (splits !== undefined && !(Number.isInteger(splits) && splits >= 1 && splits <= 4096)) return `entry ${i} (${e.kernel}): splits must be a whole number from 1 to 4096`;
    if (kSplits !== undefined && !(Number.isInteger(kSplits) && kSplits >= 1 && kSplits <= 64)) return `entry ${i} (${e.kernel}): kSplits must be a whole number from 1 to 64`;
    if (schedule !== undefined && schedule !== 'pipelined' && schedule !== 'simple' && schedule !== 'unrolled') return `entry ${i} (${e.kernel}): schedule must be pipelined, simple or unrolled`;
    if (slab !== undefined && slab !== 16 && slab !== 32) return `entry ${i} (${e.kernel}): slab must be 16 or 32`;
    if (threads !== undefined && threads !== 16 && threads !== 8) return `entry ${i} (${e.kernel}): threads must be 16 or 8`;
    if (threads === 8 && tile !== undefined && tile !== 64) return `entry ${i} (${e.kernel}): threads 8 needs tile 64`;
    if (ranges !== undefined && ranges !== 'whole' && ranges !== 'even') return `entry ${i} (${e.kernel}): ranges must be whole or even`;
  }
  return null;
}
