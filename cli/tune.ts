// `sagac tune FILE --dim N=... [--block B] [--repeat R] [--out F]`: searches the fused kernels'
// parameters (codegen/wgsl/tuning.ts) on this adapter, timing every kernel with timestamp queries,
// and writes the winners to a tuning file that `sagac build --tuning F` embeds.
import { existsSync } from 'node:fs';
import { generatePlan, sizedFor, type CodegenOptions } from '../codegen/wgsl/index.js';
import { SAGAC_VERSION } from '../codegen/ts/version.js';
import { bucketOf, candidateName, candidates, chooseSchedules, chooseWinners, evenSplitCounts, exceedsLimits, groupMs, SCHEDULES, tunableGroups, type Candidate, type MeasuredRun, type TuningEntry, type TuningFile } from '../codegen/wgsl/tuning.js';
import { SagaError } from '../runtime/errors.js';
import { writeFileAtomic } from '../runtime/safetensors-file.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, EXACT_TIMESTAMPS, Executor, median, withMeasuringDevice, type GpuContext } from '../runtime/webgpu/index.js';
import type { Graph } from '../compiler/ir.js';
import { compileFile, parseDims, pickBlock, randomTensors, readTuningFile, UsageError } from './common.js';

export interface TuneOptions {
  readonly file: string;
  readonly block?: string;
  readonly dims: readonly string[];
  readonly repeat: number;
  readonly out: string;
  /** Only these candidates (tests use a small space). */
  readonly space?: readonly Candidate[];
  /** Limits to prune against instead of the adapter's (tests lower them). */
  readonly limits?: Pick<GPUSupportedLimits, 'maxComputeWorkgroupStorageSize' | 'maxStorageBufferBindingSize' | 'maxBufferSize'>;
}

export interface TuneResult {
  readonly measured: readonly Candidate[];
  readonly skipped: readonly { readonly candidate: Candidate; readonly why: string }[];
  readonly file: TuningFile;
  /** The block's time as one run (RunOptions.timeBlock), defaults vs tuned, measured again at the end. */
  readonly defaultMs: number;
  readonly tunedMs: number;
}

/**
 * Median GPU ms per kernel over `repeat` profiled runs after a warm-up (Executor.warmUp), on a
 * fresh device (withMeasuringDevice), of the plan made for the tuned sizes (`options.dims`), with
 * its tunable groups.
 */
async function profile(gpu: GpuContext, graph: Graph, options: CodegenOptions, tensors: Record<string, Tensor>, repeat: number) {
  const plan = generatePlan(graph, options);
  const ex = await Executor.create(gpu, plan, { keepBuffers: true });
  try {
    const out = (await ex.run(tensors)).outputs;
    await ex.warmUp(tensors);
    const per = new Map<string, number[]>();
    for (let i = 0; i < repeat; i++) {
      for (const k of (await ex.run(tensors, { profile: true })).kernelMs ?? []) per.set(k.name, [...(per.get(k.name) ?? []), k.ms]);
    }
    return { out, ms: new Map([...per].map(([k, v]) => [k, median(v)])), plan, groups: tunableGroups(plan) };
  } finally {
    ex.destroy();
  }
}

/** Every candidate computes the same block: a wrong one must not win on speed. */
function sameAs(reference: Record<string, Tensor>, out: Record<string, Tensor>, what: string): void {
  for (const name of Object.keys(out)) {
    const e = maxRelativeError(out[name].data, reference[name].data);
    if (!(e <= 1e-4)) throw new SagaError(`${what} gives output ${name} ${e.toExponential(1)} away from the first candidate's: a bug in sagac`);
  }
}

/** The whole block's GPU ms as a run encodes it (RunOptions.timeBlock), median of `repeat` samples of 5 repetitions, after a warm-up, on a fresh device. */
async function blockTime(gpu: GpuContext, graph: Graph, options: CodegenOptions, tensors: Record<string, Tensor>, repeat: number) {
  const ex = await Executor.create(gpu, generatePlan(graph, options), { keepBuffers: true });
  try {
    await ex.warmUp(tensors);
    // tune() refuses adapters without timestamp-query.
    return (await ex.timeAsRun(tensors, { samples: Math.max(1, repeat) }))!.ms;
  } finally {
    ex.destroy();
  }
}

export async function tune(o: TuneOptions): Promise<TuneResult> {
  const result = compileFile(o.file);
  const graph = pickBlock(result, o.block, true);
  const env = parseDims(graph, o.dims);
  const bucket = bucketOf(env);
  const tensors = randomTensors(graph, env, 1);
  const previous = existsSync(o.out) ? readTuningFile(o.out) : undefined;
  const gpu = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
  try {
    if (!gpu.device.features.has('timestamp-query')) throw new SagaError('tuning times each kernel with timestamp queries, and this adapter has no timestamp-query feature');
    if (previous && previous.adapter !== gpu.describe()) throw new UsageError(`tuning file '${o.out}' is for adapter '${previous.adapter}', not this one ('${gpu.describe()}'): write to another file`);
    console.log(`sagac tune: ${o.file}, block ${graph.block} (${[...env].map(([k, v]) => `${k}=${v}`).join(' ')}; bucket ${bucket})`);
    console.log(`  adapter: ${gpu.describe()}`);
    const space = o.space ?? candidates();
    // Plans made for these sizes, as `sagac run`, the bench and `sagac build --dim` make them (vec4
    // rows, k splits and tiles for the grid): what is measured is what those run.
    const sized = sizedFor(graph, env);
    const runs: (MeasuredRun & { candidate: Candidate })[] = [];
    const skipped: { candidate: Candidate; why: string }[] = [];
    // The plan without tuning first: every winner's baseline, and the reference output.
    const defaults = await withMeasuringDevice((d) => profile(d, graph, sized, tensors, o.repeat));
    const reference = defaults.out;
    const kernelsMs = (ms: ReadonlyMap<string, number>) => `${[...ms.values()].reduce((a, b) => a + b, 0).toFixed(3)} ms of kernels`;
    process.stderr.write(`  [defaults] ${''.padEnd(22)}${kernelsMs(defaults.ms)}\n`);
    for (const [i, c] of space.entries()) {
      const options = { matmulTile: c.tile, splits: c.splits, ...sized };
      const why = exceedsLimits(c, generatePlan(graph, options), env, o.limits ?? gpu.limits);
      const step = `  [${i + 1}/${space.length}] ${candidateName(c).padEnd(22)}`;
      if (why) {
        process.stderr.write(`${step} skipped: ${why}\n`);
        skipped.push({ candidate: c, why });
        continue;
      }
      const r = await withMeasuringDevice((d) => profile(d, graph, options, tensors, o.repeat));
      sameAs(reference, r.out, `candidate ${candidateName(c)}`);
      runs.push({ candidate: c, ms: r.ms, groups: r.groups });
      process.stderr.write(`${step} ${kernelsMs(r.ms)}\n`);
    }
    if (runs.length === 0) throw new SagaError('every candidate exceeds this adapter\'s limits at these sizes');
    const plan = defaults.plan;
    const chosen = chooseWinners(plan, runs, defaults);

    // Then each matmul's schedule at its chosen tile: one run per schedule, every matmul set to it
    // (which is faster moves with the grid: docs/benchmarks-log.md, thirteenth session).
    const tiled = Object.fromEntries([...chosen].map(([k, w]) => [k, w.params]));
    const matmuls = [...defaults.groups].filter(([, g]) => g.param === 'tile').map(([k]) => k);
    const scheduleRuns = [];
    for (const [i, schedule] of (matmuls.length ? SCHEDULES : []).entries()) {
      const options = { tuning: { ...tiled, ...Object.fromEntries(matmuls.map((k) => [k, { ...tiled[k], schedule }])) }, ...sized };
      const r = await withMeasuringDevice((d) => profile(d, graph, options, tensors, o.repeat));
      sameAs(reference, r.out, `matmul schedule ${schedule}`);
      scheduleRuns.push({ schedule, ms: r.ms, groups: r.groups });
      process.stderr.write(`  [schedule ${i + 1}/${SCHEDULES.length}] ${schedule.padEnd(12)} ${matmuls.reduce((t, k) => t + groupMs(r, k), 0).toFixed(3)} ms of matmuls\n`);
    }
    for (const [k, w] of chooseSchedules(plan, scheduleRuns)) {
      const tileWinner = chosen.get(k)!;
      chosen.set(k, { ...tileWinner, params: { ...tileWinner.params, schedule: w.schedule }, ms: w.ms });
    }

    // Then the token ranges of each KV reduction computing its projections: even ranges at split
    // counts around the chosen one, one run per count, every such kernel set to it.
    const projected = [...chosen].filter(([k, w]) => k.endsWith('_projected') && w.params.splits !== undefined);
    const ladders = new Map(projected.map(([k, w]) => [k, evenSplitCounts(w.params.splits!)]));
    const steps = Math.max(0, ...[...ladders.values()].map((l) => l.length));
    for (let i = 0; i < steps; i++) {
      const even = Object.fromEntries(projected.map(([k, w]) => [k, { ...w.params, splits: ladders.get(k)![Math.min(i, ladders.get(k)!.length - 1)], ranges: 'even' as const }]));
      const options = { tuning: { ...Object.fromEntries([...chosen].map(([k, w]) => [k, w.params])), ...even }, ...sized };
      const r = await withMeasuringDevice((d) => profile(d, graph, options, tensors, o.repeat));
      sameAs(reference, r.out, 'even token ranges');
      const line = projected.map(([k]) => `${k} ${even[k].splits}: ${groupMs(r, k).toFixed(3)} ms`).join(', ');
      process.stderr.write(`  [ranges ${i + 1}/${steps}] even, ${line}\n`);
      for (const [k] of projected) {
        const best = chosen.get(k)!;
        const ms = groupMs(r, k);
        if (ms < best.ms) chosen.set(k, { ...best, params: even[k], ms });
      }
    }

    const tuning = Object.fromEntries([...chosen].map(([k, w]) => [k, w.params]));
    console.log(`\n  ${'kernel'.padEnd(32)}${'default ms'.padStart(12)}${'tuned ms'.padStart(12)}  chosen`);
    for (const [kernel, w] of chosen) console.log(`  ${kernel.padEnd(32)}${w.defaultMs.toFixed(3).padStart(12)}${w.ms.toFixed(3).padStart(12)}  ${JSON.stringify(w.params)}`);
    // The block as a run runs it: each kernel in a pass of its own (above) adds a pass start and drain a kernel.
    const defaultMs = await withMeasuringDevice((d) => blockTime(d, graph, sized, tensors, o.repeat));
    const tunedMs = await withMeasuringDevice((d) => blockTime(d, graph, { tuning, ...sized }, tensors, o.repeat));
    console.log(`\n  block as one run: ${defaultMs.toFixed(3)} ms with the defaults, ${tunedMs.toFixed(3)} ms tuned (${(defaultMs / tunedMs).toFixed(2)}x)`);
    // Each choice won alone; together they can lose (kernels sharing the GPU, or noise on a busy or software adapter).
    if (tunedMs > defaultMs * 1.02) console.log(`  note: the tuned block ran slower than the defaults as one run; tune again with a larger --repeat, or time \`sagac demo\` with and without \`--tuning ${o.out}\` before using the file`);

    const fresh: TuningEntry[] = [...chosen].map(([kernel, w]) => ({ block: graph.block, kernel, bucket, params: w.params, ms: w.ms, defaultMs: w.defaultMs }));
    const kept = (previous?.entries ?? []).filter((e) => !fresh.some((f) => f.block === e.block && f.kernel === e.kernel && f.bucket === e.bucket));
    const entries = [...kept, ...fresh].sort((a, b) => (a.block + '\0' + a.kernel + '\0' + a.bucket < b.block + '\0' + b.kernel + '\0' + b.bucket ? -1 : 1));
    const file: TuningFile = { sagac: SAGAC_VERSION, adapter: gpu.describe(), entries };
    writeFileAtomic(o.out, JSON.stringify(file, null, 2) + '\n');
    console.log(`  wrote ${o.out} (${entries.length} entries)`);
    return { measured: runs.map((r) => r.candidate), skipped, file, defaultMs, tunedMs };
  } finally {
    gpu.destroy();
  }
}
