// `npm run bench`: the SAGA block (examples/saga.saga, from x) and its attention core
// (bench/saga_core.saga, from the projections) at PVT-T's stage sizes, sagac fused vs unfused,
// on the default WebGPU adapter, against that adapter's roofline (bench/roofline.ts).
// Per arm: one warm-up run, then --repeat runs; time is the median of the block's kernel times
// from timestamp queries (else the wall time per pass over the kernels); memory is every buffer
// the plan allocates. docs/benchmarks.md has the method and the figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlan, type CodegenOptions } from '../codegen/wgsl/index.js';
import { describeTuning, tuningAt, type TuningFile } from '../codegen/wgsl/tuning.js';
import { readTuningFile, UsageError as CliUsageError } from '../cli/common.js';
import { chunkDims, runStorageBytes } from '../runtime/chunks.js';
import type { Graph } from '../compiler/ir.js';
import { SagaError } from '../runtime/errors.js';
import { writeSafetensorsFile } from '../runtime/safetensors-file.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, EXACT_TIMESTAMPS, Executor, withMeasuringDevice, type GpuContext, type RunResult } from '../runtime/webgpu/index.js';
import { createStorage, uploadF32 } from '../runtime/webgpu/buffers.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './args.js';
import { renderChart } from './chart.js';
import { renderReport } from './report.js';
import { Progress, type Stream } from './progress.js';
import { copyBandwidth, fmaPeak, matmulRate, median, range, type Roofline, type Timing } from './roofline.js';
import { assessTargets, failure, MEMORY_TARGET, formatTargets, loadTorch, TorchFileError, type ArmResult, type ResultRow, type TorchResults } from './targets.js';
import { compileWorkload, configs, envOf, flops, perfectBytes, tensorsFor, tokenChunkFor, type Config, type WorkloadName } from './workloads.js';

export interface BenchResult {
  readonly adapter: string;
  readonly date: string;
  readonly timing: Timing;
  readonly method: string;
  readonly options: Omit<BenchOptions, 'help'>;
  readonly roofline: Roofline;
  readonly rows: readonly ResultRow[];
  readonly targets: ReturnType<typeof assessTargets>;
  readonly torch?: { readonly file: string; readonly device: string };
}

/** Repetitions of the kernels one block-time sample spans. */
const BLOCK_REPEATS = 5;
/** Samples of each cut of the run in the one-run profile (--profile, fused arm; at most --repeat). */
const ONE_RUN_SAMPLES = 3;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The inputs and parameters uploaded once, as GPU buffers a run binds without copying. Timed runs
 * use them, as PyTorch's timings start from tensors already on the GPU: a run that uploads its
 * inputs leaves the GPU idle while the host copies (~0.45 s for the 1 GB of the 1280² stage-1 core
 * at batch 8), its clock falls to idle (345 of 1980 MHz on the H200) and the kernels after it timed
 * at up to 5× their time (3.6 vs 0.70 ms).
 */
export function resident(gpu: GpuContext, tensors: Record<string, Tensor>): { tensors: Record<string, GpuTensor>; destroy: () => void } {
  const buffers: GPUBuffer[] = [];
  const out: Record<string, GpuTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const buffer = createStorage(gpu.device, name, 4 * t.data.length);
    uploadF32(gpu.device, buffer, t.data);
    buffers.push(buffer);
    out[name] = { shape: t.shape, buffer };
  }
  return { tensors: out, destroy: () => buffers.forEach((b) => b.destroy()) };
}

/** How an arm runs besides its graph: in token chunks, with the one-run profile, tuned. */
interface ArmChoices {
  readonly tokenChunk?: number;
  readonly oneRunProfile?: boolean;
  readonly tuning?: TuningFile;
}

/** One arm: compile, warm up, time `repeat` runs. A buffer over the device's limits is a result, not a crash. */
async function measureArm(gpu: GpuContext, g: Graph, tensors: Record<string, Tensor>, env: ReadonlyMap<string, number>, o: BenchOptions, timing: Timing, { tokenChunk, oneRunProfile = false, tuning }: ArmChoices = {}): Promise<ArmResult & { out?: Float32Array }> {
  // In token chunks the kernels run at one chunk's sizes: compiled for them (and tuned for them).
  const dims = tokenChunk === undefined ? env : chunkDims(env, { dim: 'N', batch: 'B' }, tokenChunk);
  const tuned: CodegenOptions = (tuning && tuningAt(tuning, g.block, dims)) || {};
  const plan = generatePlan(g, { ...tuned, dims, kvProjections: o.kvProjections });
  const bytes = runStorageBytes(plan, env, tokenChunk);
  const chunk = tokenChunk === undefined ? {} : { tokenChunk };
  const timestamps = timing === 'timestamps';
  let ex: Executor | undefined;
  let onGpu: ReturnType<typeof resident> | undefined;
  try {
    ex = await Executor.create(gpu, plan, { keepBuffers: true });
    // The one run from host tensors: the output checked against PyTorch, the memory report.
    const warm = await ex.run(tensors, chunk);
    onGpu = resident(gpu, tensors);
    const given = onGpu.tensors;
    const timed = { ...chunk, outputs: 'buffers' } as const;
    await ex.warmUp(given, undefined, timed);
    const runs: RunResult[] = [];
    for (let i = 0; i < o.repeat; i++) runs.push(await ex.run(given, { ...timed, profile: timestamps }));
    // The kernels again, `repeat` passes in one submission: a wall-clock figure with no
    // per-kernel passes or uploads, the time itself where there are no timestamps.
    const passMs = (await ex.run(given, { ...timed, repeatKernels: o.repeat })).kernelsWallMs!;
    // The time per forward: the kernels as any run encodes them (one pass between copies), on the
    // GPU from the first pass to the last over BLOCK_REPEATS back-to-back repetitions. The sum of
    // each kernel in a pass of its own is higher where each pass drains the GPU (batch 1).
    const block = timestamps ? await ex.timeAsRun(given, { ...timed, samples: o.repeat, repeats: BLOCK_REPEATS }) : undefined;
    // --profile, whole runs: each kernel's cost as one run (Executor.profileAsRun).
    const oneRun = oneRunProfile && o.profile && timestamps && tokenChunk === undefined ? await ex.profileAsRun(given, Math.min(ONE_RUN_SAMPLES, o.repeat), BLOCK_REPEATS, { outputs: 'buffers' }) : undefined;
    const runMs = runs.map((r) => r.timings.gpuMs);
    const kernelSums = timestamps ? runs.map((r) => sum(r.kernelMs!.map((k) => k.ms))) : undefined;
    return {
      ms: block ? block.ms : passMs,
      spread: block?.spread,
      ...(kernelSums ? { kernelSumMs: median(kernelSums), kernelSumSpread: range(kernelSums) } : {}),
      passMs,
      runMs: median(runMs),
      runSpread: range(runMs),
      bytes,
      peakBytes: warm.report.peakBytes,
      kernels:
        o.profile && timestamps
          ? runs[0].kernelMs!.map((k, i) => ({ name: k.name, ms: median(runs.map((r) => r.kernelMs![i].ms)), ...(oneRun ? { oneRunMs: oneRun[i].ms } : {}) }))
          : undefined,
      ...chunk,
      ...(tuned.tuning ? { tuned: tuned.tuning } : {}),
      out: warm.outputs.y.data,
    };
  } catch (e) {
    if (!(e instanceof SagaError)) throw e;
    return { bytes, error: e.message };
  } finally {
    ex?.destroy();
    onGpu?.destroy();
  }
}

/** The arm's rates against the roofline: perfect bytes and analytic flops over its time. */
function withRates(a: ArmResult, perfect: number, flop: number, roof: Roofline): ArmResult {
  if (a.ms === undefined) return a;
  const gbps = perfect / (a.ms * 1e6);
  const gflops = flop / (a.ms * 1e6);
  return { ...a, gbps, bandwidthFraction: gbps / roof.copy.gbps, gflops, flopFraction: gflops / roof.matmul.gflops };
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '—' : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);

const HEADER =
  'workload size st        N    C  h  B |   fused ms  unfused ms  speed-up |  fused MB  unfused MB | fused GB/s  %copy  GFLOP/s  %matmul | fused err';

function tableLine(r: ResultRow): string {
  const f = r.fused;
  const u = r.unfused;
  return [
    `${r.workload.padEnd(8)} ${String(r.size).padStart(4)} ${String(r.stage).padStart(2)} ${String(r.N).padStart(8)} ${String(r.C).padStart(4)} ${String(r.heads).padStart(2)} ${String(r.B).padStart(2)}`,
    `${(f.error ? failure(f.error) : fmt(f.ms)).padStart(10)} ${(u.error ? failure(u.error) : fmt(u.ms)).padStart(11)} ${(f.ms && u.ms ? `${(u.ms / f.ms).toFixed(2)}x` : '—').padStart(9)}`,
    `${fmt(f.bytes / 1e6, 1).padStart(9)} ${fmt(u.bytes / 1e6, 1).padStart(11)}`,
    `${fmt(f.gbps, 1).padStart(10)} ${pct(f.bandwidthFraction).padStart(6)} ${fmt(f.gflops, 1).padStart(8)} ${pct(f.flopFraction).padStart(8)}`,
    `${r.fusedVsUnfusedError === undefined ? '—' : r.fusedVsUnfusedError.toExponential(1)}`,
  ].join(' | ');
}

/** A tuning file, its mistakes as the bench's usage errors. */
function readTuning(path: string): TuningFile {
  try {
    return readTuningFile(path);
  } catch (e) {
    if (e instanceof CliUsageError) throw new UsageError(`--tuning: ${e.message}`);
    throw e;
  }
}

const withoutOut = ({ out: _, ...a }: ArmResult & { out?: Float32Array }): ArmResult => a;

function chunkedLine(r: ResultRow): string {
  const c = r.chunked!;
  if (c.error) return `      fused in chunks of ${c.tokenChunk} tokens: ${failure(c.error)} (${c.error})`;
  return `      fused in chunks of ${c.tokenChunk} tokens: ${fmt(c.ms)} ms (${r.fused.ms ? `${(c.ms! / r.fused.ms).toFixed(2)}x the whole run's` : '—'}), ${fmt(c.bytes / 1e6, 1)} MB (${(c.bytes / r.perfectBytes).toFixed(2)}x inputs + params + outputs), error vs whole ${r.chunkedVsFusedError?.toExponential(1) ?? '—'}`;
}

function kernelLine(arm: string, a: ArmResult): string | undefined {
  if (!a.kernels) return undefined;
  const top = [...a.kernels].sort((p, q) => q.ms - p.ms).slice(0, 4);
  const own = `      ${arm} kernels, each in a pass of its own: ${fmt(sum(a.kernels.map((k) => k.ms)))} ms in all; ${top.map((k) => `${k.name} ${k.ms.toFixed(2)}`).join(', ')}`;
  if (a.kernels.some((k) => k.oneRunMs === undefined)) return own;
  const oneRun = [...a.kernels].sort((p, q) => q.oneRunMs! - p.oneRunMs!).slice(0, 4);
  return `${own}\n      ${arm} kernels as one run (the run cut after each): ${oneRun.map((k) => `${k.name} ${k.oneRunMs!.toFixed(2)}`).join(', ')}`;
}

export interface BenchIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
}

/** Runs the benchmark for `argv`; resolves to the exit code (2: usage, 1: failure). */
export async function runBench(argv: readonly string[], io: BenchIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let o: BenchOptions;
  let torch: TorchResults | undefined;
  let tuning: TuningFile | undefined;
  try {
    o = parseBenchArgs(argv);
    if (o.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    torch = o.torch === undefined ? undefined : loadTorch(o.torch);
    tuning = o.tuning === undefined ? undefined : readTuning(o.tuning);
    // Now rather than after an hour of runs.
    try {
      mkdirSync(o.out, { recursive: true });
    } catch (e) {
      throw new UsageError(`--out ${o.out}: cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`bench: ${e.message}\n(node dist/bench/run.js --help lists the options)\n`);
      return 2;
    }
    if (e instanceof TorchFileError) {
      io.stderr.write(`bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  let gpu: GpuContext;
  try {
    gpu = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
  } catch (e) {
    if (!(e instanceof SagaError)) throw e;
    io.stderr.write(`bench: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n`);
    return 1;
  }
  const timing: Timing = gpu.device.features.has('timestamp-query') && !o.wall ? 'timestamps' : 'wall';
  const noTimestamps = o.wall ? '--wall' : 'no timestamp-query';
  const cfgs = configs(o.sizes, o.stages, o.batch);
  const progress = new Progress(3 + cfgs.length * o.workloads.length * 2 + (o.chunked && o.workloads.includes('block') ? cfgs.length : 0), io.stderr, io.stdout);
  const rows: ResultRow[] = [];
  let roofline: Roofline;
  const reps = Math.max(5, o.repeat);
  try {
    progress.log(`adapter: ${gpu.describe()}`);
    progress.step('roofline: copy bandwidth');
    const copy = await copyBandwidth(gpu, reps, timing);
    progress.step('roofline: matmul FLOP rate');
    const matmul = await matmulRate(gpu, reps, timing);
    progress.step('roofline: FP32 multiply-add peak');
    const fma = await fmaPeak(gpu, reps, timing);
    roofline = { copy, matmul, fma, timing };
    progress.log(
      `roofline: copy ${copy.gbps.toFixed(1)} GB/s (${(copy.bytes / 2 ** 20).toFixed(0)} MiB moved in ${copy.ms.toFixed(3)} ms); ` +
        `matmul ${matmul.gflops.toFixed(1)} GFLOP/s (${matmul.size}³ in ${matmul.ms.toFixed(3)} ms); ` +
        `FP32 multiply-add peak ${fma.gflops.toFixed(1)} GFLOP/s (${fma.workgroups} workgroups in ${fma.ms.toFixed(3)} ms)`,
    );
    progress.log(`times: ${timing === 'timestamps' ? `GPU time of the kernels as a run encodes them (timestamp queries), median of ${o.repeat} sample${o.repeat > 1 ? 's' : ''} of ${BLOCK_REPEATS} back-to-back repetitions` : `wall time per pass over the kernels, ${o.repeat} in one submission (${noTimestamps})`}`);
    progress.log(HEADER);
    const compiled = new Map<string, { unfused: Graph; fused: Graph }>();
    for (const c of cfgs) {
      for (const w of o.workloads) {
        const key = `${w} ${c.heads}`;
        if (!compiled.has(key)) compiled.set(key, compileWorkload(w, c.heads));
        rows.push(await measureRow(w, c, compiled.get(key)!, gpu, o, roofline, progress, tuning));
      }
    }
  } finally {
    progress.finish();
    gpu.destroy();
  }

  const targets = assessTargets(rows, roofline, torch);
  io.stdout.write(`\n${formatTargets(targets, timing, o.tuning)}\n`);
  const date = new Date().toISOString().slice(0, 10);
  const name = `${gpu.info.device || gpu.info.description || 'adapter'}-${date}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  const { help: _, ...options } = o;
  const result: BenchResult = {
    adapter: gpu.describe(),
    date,
    timing,
    method:
      timing === 'timestamps'
        ? `ms = median over --repeat samples of the GPU time of the block's kernels as a run encodes them, from the first compute pass's beginning to the last's end (timestamp queries), each sample ${BLOCK_REPEATS} repetitions in one submission; kernelSumMs = median over the runs of the sum of the kernels' times, each kernel in a compute pass of its own (the per-kernel profile); passMs = wall time per pass over all kernels, --repeat passes in one submission; runMs = submit to onSubmittedWorkDone of a whole run`
        : `ms = passMs = wall time per pass over all kernels, --repeat passes in one submission (${noTimestamps}); runMs = submit to onSubmittedWorkDone of a whole run`,
    options,
    roofline,
    rows,
    targets,
    ...(torch ? { torch: { file: o.torch!, device: torch.device } } : {}),
  };
  const json = join(o.out, `${name}.json`);
  const svg = join(o.out, `${name}.svg`);
  const md = join(o.out, `${name}.md`);
  writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(svg, renderChart(rows, `sagac on ${gpu.describe()}, ${date}`));
  writeFileSync(md, renderReport(result, torch));
  io.stdout.write(`wrote ${json}\nwrote ${svg}\nwrote ${md}\n`);
  return 0;
}

/** Every arm on a device of its own (see withMeasuringDevice), on the adapter the roofline used. */
function onFreshDevice<T>(like: GpuContext, f: (d: GpuContext) => Promise<T>): Promise<T> {
  return withMeasuringDevice((d) => {
    if (d.describe() !== like.describe()) throw new SagaError(`a second device opened on another adapter (${d.describe()})`);
    return f(d);
  });
}

async function measureRow(w: WorkloadName, c: Config, g: { unfused: Graph; fused: Graph }, gpu: GpuContext, o: BenchOptions, roof: Roofline, progress: Progress, tuning?: TuningFile): Promise<ResultRow> {
  const env = envOf(c);
  const tensors = tensorsFor(g.unfused, env);
  const perfect = perfectBytes(g.unfused, env);
  const flop = flops(w, c);
  const label = `${w} ${c.size}² stage ${c.stage} B=${c.B} (N=${c.N}, C=${c.C})`;
  progress.step(`${label}: fused`);
  const { out: fusedOut, ...fused } = await onFreshDevice(gpu, (d) => measureArm(d, g.fused, tensors, env, o, roof.timing, { oneRunProfile: true, tuning }));
  progress.step(`${label}: unfused`);
  const { out: unfusedOut, ...unfused } = await onFreshDevice(gpu, (d) => measureArm(d, g.unfused, tensors, env, o, roof.timing));
  // The block token chunk by token chunk (RunOptions.tokenChunk): intermediates chunk-sized.
  const tokenChunk = w === 'block' && o.chunked ? tokenChunkFor(c, g.fused, MEMORY_TARGET) : undefined;
  let chunked: (ArmResult & { out?: Float32Array }) | undefined;
  if (tokenChunk !== undefined) {
    progress.step(`${label}: fused, in ${(c.B * c.N) / tokenChunk} token chunks`);
    chunked = await onFreshDevice(gpu, (d) => measureArm(d, g.fused, tensors, env, o, roof.timing, { tokenChunk, tuning }));
  }
  if (o.dump && w === 'block' && c.B === 1 && c.size === o.sizes[0] && fusedOut) {
    mkdirSync(o.dump, { recursive: true });
    writeSafetensorsFile(join(o.dump, `saga_${c.size}_s${c.stage}_h${c.heads}.safetensors`), { ...tensors, y: { shape: [c.B, c.N, c.C], data: fusedOut } });
  }
  const row: ResultRow = {
    workload: w,
    ...c,
    perfectBytes: perfect,
    flops: flop,
    fused: withRates(fused, perfect, flop, roof),
    unfused: withRates(unfused, perfect, flop, roof),
    fusedVsUnfusedError: fusedOut && unfusedOut ? maxRelativeError(fusedOut, unfusedOut) : undefined,
    ...(chunked ? { chunked: withRates(withoutOut(chunked), perfect, flop, roof), chunkedVsFusedError: chunked.out && fusedOut ? maxRelativeError(chunked.out, fusedOut) : undefined } : {}),
  };
  progress.log(tableLine(row));
  if (tuning) progress.log(`      fused: ${row.fused.tuned ? `tuned (${describeTuning(row.fused.tuned)})` : `defaults (${o.tuning} has no entries for ${g.fused.block} at these sizes)`}`);
  if (row.chunked) progress.log(chunkedLine(row));
  for (const [arm, a] of [['fused', row.fused], ['unfused', row.unfused], ...(row.chunked ? [['chunked', row.chunked] as const] : [])] as const) {
    const line = kernelLine(arm, a);
    if (line) progress.log(line);
  }
  return row;
}
