// Runs a Plan on a WebGPU device: pipelines are built once per distinct kernel; each run binds the
// block's symbols from the given shapes, allocates and uploads buffers, encodes every dispatch in
// one command buffer, and reads the outputs back.
import { bindSymbols, checkRequires } from '../bind.js';
import { originOfLine } from '../../codegen/wgsl/origin.js';
import { workgroupBytes } from '../../codegen/wgsl/print.js';
import { SagaError, ShaderError, type ShaderProblem } from '../errors.js';
import type { KernelSpec, Plan } from '../plan.js';
import { evalShape, lit, numel } from '../shape.js';
import { chunkPhases, chunkRun, chunkSchedule, combineKernel, combineMode, combineWeight } from '../chunks.js';
import { isGpuTensor, type GpuTensor, type RunTensors, type Tensor32 } from '../tensor.js';
import { checkBufferSize, createStorage, createUniform, packUniforms, readF16, readF32, storageBytes, uploadF16, uploadF32, workgroupCounts } from './buffers.js';
import { keepBusy, median, WARMUP_MS, type GpuContext } from './device.js';
import { assignSlots, donatableInputs, writesOf } from '../memory-plan.js';
import type { BufferRecord, BufferUsage, MemoryReport } from '../report.js';

export interface RunTimings {
  /** Binding, allocating and queueing uploads, on the CPU. */
  readonly uploadMs: number;
  /** Submit to `onSubmittedWorkDone` (uploads, all dispatches, copies to staging). */
  readonly gpuMs: number;
  /** Mapping the staging buffers and copying out. */
  readonly readbackMs: number;
  readonly totalMs: number;
}

export interface RunResult {
  readonly outputs: Record<string, Tensor32>;
  readonly timings: RunTimings;
  /** Every buffer this run allocated and every dispatch. */
  readonly report: MemoryReport;
  /** With `profile` and an adapter with `timestamp-query`: GPU time of each kernel, in order. */
  readonly kernelMs?: readonly { readonly name: string; readonly ms: number }[];
  /** With `repeatKernels`: wall time of one pass over all the kernels (see RunOptions). */
  readonly kernelsWallMs?: number;
  /** With `repeatKernels` and `timeBlock`: GPU time of one repetition of the kernels (timestamps). */
  readonly blockMs?: number;
  /**
   * With `outputs: 'buffers'`: each output as the GPU buffer holding it (no read-back; `outputs`
   * is then empty). With keepBuffers they stay the executor's, valid until its next run or
   * destroy(); otherwise they are the caller's to destroy.
   */
  readonly buffers?: Record<string, GpuTensor>;
}

export interface RunOptions {
  /** Time each kernel with timestamp queries (one compute pass per kernel). */
  readonly profile?: boolean;
  /**
   * With `repeatKernels` and an adapter with `timestamp-query`: also time the repetitions on the
   * GPU, from the beginning of their first compute pass to the end of their last, encoded as any
   * run encodes its kernels (one pass between copies): `blockMs`, per repetition. A run's own
   * kernels are not timed this way: the first pass's timestamp may be written while the
   * uploads before it still run.
   */
  readonly timeBlock?: boolean;
  /**
   * With `repeatKernels`: repeat only the plan's first n kernels (a whole run, no token chunks).
   * Timed with `timeBlock` for n = 1, 2, …, the differences are each kernel's cost as a run
   * encodes it, without a pass of its own (the bench's one-run profile).
   */
  readonly kernelsUpTo?: number;
  /**
   * After the run, dispatch the whole plan this many more times in one submission (no uploads
   * or read-backs) and report the wall time per repetition as `kernelsWallMs`: the block's GPU
   * time without timestamp queries (whose resolution Dawn may coarsen) or per-pass overheads.
   * The kernels are pure functions of their inputs, so the outputs do not change.
   */
  readonly repeatKernels?: number;
  /** `arrays` (default): outputs read back into Float32Arrays; `buffers`: left on the GPU. */
  readonly outputs?: 'arrays' | 'buffers';
  /**
   * Run `tokenChunk` tokens at a time: a divisor of the token count N (the reductions over the
   * tokens chunk by chunk into the whole's, then the outputs chunk by chunk), or a multiple of N
   * dividing B·N (whole batch elements at a time). Intermediates are then chunk-sized (inputs and
   * outputs stay whole); the block must allow it (`plan.chunks`, compiler/token-chunks.ts).
   * Compile the plan at the chunk's sizes (chunkDims) for its tiles and splits.
   */
  readonly tokenChunk?: number;
}

// Pipelines and layouts per device, keyed by WGSL text: equal kernels (same op and ranks) and
// later executors of the same device share them.
const pipelineCache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();
const layoutCache = new WeakMap<GPUDevice, Map<string, GPUBindGroupLayout>>();

/** Bindings 0..r-1 read-only storage, r read-write storage, r+1 uniform (see KernelSpec). */
function bindGroupLayout(device: GPUDevice, reads: number, writes = 1): GPUBindGroupLayout {
  let byCount = layoutCache.get(device);
  if (!byCount) layoutCache.set(device, (byCount = new Map()));
  const key = `${reads}_${writes}`;
  let layout = byCount.get(key);
  if (!layout) {
    const entries: GPUBindGroupLayoutEntry[] = [];
    for (let b = 0; b < reads; b++) entries.push({ binding: b, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } });
    for (let b = reads; b < reads + writes; b++) entries.push({ binding: b, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } });
    entries.push({ binding: reads + writes, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
    layout = device.createBindGroupLayout({ label: `saga_${reads}_reads_${writes}_writes`, entries });
    byCount.set(key, layout);
  }
  return layout;
}

function closedError(context: GpuContext): SagaError {
  return new SagaError(`the WebGPU device ${context.lostReason ? `was lost (${context.lostReason})` : 'is closed'}`, 'open another with GpuContext.reacquire() and create the executor again');
}

const pick = (l: GPUSupportedLimits) => ({
  maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
  maxBufferSize: l.maxBufferSize,
  maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
  maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
});

/** Shader compile errors as one message per error, with the offending WGSL line. */
export function formatCompilationErrors(wgsl: string, messages: readonly GPUCompilationMessage[]): string | null {
  const lines = wgsl.split('\n');
  const errors = messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return null;
  return errors
    .map((m) => {
      const where = m.lineNum > 0 ? `line ${m.lineNum}:${m.linePos}: ` : '';
      const source = m.lineNum > 0 ? `\n  ${String(m.lineNum).padStart(4)} | ${lines[m.lineNum - 1] ?? ''}` : '';
      return `${where}${m.message}${source}`;
    })
    .join('\n');
}

/** The compiler's errors, each with the .saga location its WGSL line was generated from. */
export function shaderProblems(wgsl: string, messages: readonly GPUCompilationMessage[]): ShaderProblem[] {
  const lines = wgsl.split('\n');
  return messages
    .filter((m) => m.type === 'error')
    .map((m) => {
      if (m.lineNum <= 0) return { message: m.message };
      const origin = originOfLine(wgsl, m.lineNum);
      return { message: m.message, wgslLine: m.lineNum, wgslText: lines[m.lineNum - 1] ?? '', ...(origin ? { origin } : {}) };
    });
}

async function buildPipeline(device: GPUDevice, kernel: KernelSpec): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: kernel.name, code: kernel.wgsl });
  const messages = (await module.getCompilationInfo()).messages;
  const problems = formatCompilationErrors(kernel.wgsl, messages);
  if (problems) throw new ShaderError(`kernel ${kernel.name} does not compile:\n${problems}`, kernel.name, shaderProblems(kernel.wgsl, messages));
  const layout = device.createPipelineLayout({ label: kernel.name, bindGroupLayouts: [bindGroupLayout(device, kernel.reads.length, 1 + (kernel.alsoWrites?.length ?? 0))] });
  try {
    return await device.createComputePipelineAsync({ label: kernel.name, layout, compute: { module, entryPoint: 'main' } });
  } catch (e) {
    throw new SagaError(`kernel ${kernel.name}: cannot build its pipeline: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function pipelineFor(device: GPUDevice, kernel: KernelSpec): Promise<GPUComputePipeline> {
  let cache = pipelineCache.get(device);
  if (!cache) pipelineCache.set(device, (cache = new Map()));
  let p = cache.get(kernel.wgsl);
  if (!p) {
    p = buildPipeline(device, kernel);
    // A failed build must not poison the cache for a later, corrected plan.
    p.catch(() => cache.delete(kernel.wgsl));
    cache.set(kernel.wgsl, p);
  }
  return p;
}

const now = () => performance.now();

/**
 * A compiled plan bound to one device.
 * @example
 *   const exec = await Executor.create(await acquireDevice(), generatePlan(graph));
 *   const { outputs, timings } = await exec.run({ x: { shape: [1, 7, 6], data } });
 */
export interface ExecutorOptions {
  /**
   * Limits to plan against instead of the device's, each no higher than the device's (tests lower
   * them to run the paths that split dispatches or refuse work on any adapter).
   */
  readonly limits?: Partial<Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize' | 'maxComputeWorkgroupsPerDimension' | 'maxComputeWorkgroupStorageSize'>>;
  /**
   * Keep the storage and read-back buffers between runs with the same sizes (runs are then
   * serialised). Saves allocating and zero-filling them every run; `destroy()` frees them.
   */
  readonly keepBuffers?: boolean;
}

export class Executor {
  /** Buffers kept between runs (keepBuffers), for the sizes in `key`. */
  private kept?: { key: string; buffers: Map<string, GPUBuffer> };
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly context: GpuContext,
    readonly plan: Plan,
    private readonly pipelines: readonly GPUComputePipeline[],
    private readonly options: ExecutorOptions,
  ) {}

  /** Compiles every kernel (a SagaError names the first that fails). */
  static async create(context: GpuContext, plan: Plan, options: ExecutorOptions = {}): Promise<Executor> {
    if (!context.isOpen) throw closedError(context);
    if (plan.precision === 'f16' && !context.device.features.has('shader-f16')) {
      throw new SagaError(`block ${plan.block} was compiled for f16 storage, and this device has no shader-f16 feature (${context.describe()})`, 'compile for f32 (the default), or use an adapter with shader-f16');
    }
    const storage = options.limits?.maxComputeWorkgroupStorageSize ?? context.limits.maxComputeWorkgroupStorageSize;
    for (const k of plan.kernels) {
      const bytes = workgroupBytes(k.wgsl);
      const hint = k.name.endsWith('_projected') ? 'compile with CodegenOptions.kvProjections = false (projections stored, then reduced: 16 KiB)' : 'a smaller tile (sagac tune / CodegenOptions.matmulTile), or a device with more workgroup memory';
      if (bytes > storage) throw new SagaError(`kernel ${k.name} needs ${bytes} bytes of workgroup memory, over this device's maxComputeWorkgroupStorageSize ${storage}`, hint);
      const bound = k.reads.length + 1 + (k.alsoWrites?.length ?? 0);
      const most = context.device.limits.maxStorageBuffersPerShaderStage;
      if (bound > most) throw new SagaError(`kernel ${k.name} binds ${bound} storage buffers, over this device's maxStorageBuffersPerShaderStage ${most}`, 'compile with CodegenOptions.kvProjections = false (projections stored, then reduced)');
    }
    const pipelines = await Promise.all(plan.kernels.map((k) => pipelineFor(context.device, k)));
    return new Executor(context, plan, pipelines, options);
  }

  /** Frees the buffers kept between runs (only keepBuffers keeps any). */
  destroy(): void {
    for (const b of this.kept?.buffers.values() ?? []) b.destroy();
    this.kept = undefined;
  }

  /** The block's kernels over and over for `ms` of wall time (keepBusy): the bench and `sagac tune` call this before timing. */
  warmUp(tensors: RunTensors, ms = WARMUP_MS, options: Pick<RunOptions, 'tokenChunk' | 'outputs'> = {}): Promise<void> {
    return keepBusy((repeats) => this.run(tensors, { ...options, repeatKernels: repeats }), ms);
  }

  /**
   * Each kernel's GPU time as a run encodes it, with no compute pass of its own: the run cut after
   * kernel n (`kernelsUpTo`), `repeats` back-to-back repetitions a sample timed with timestamps
   * (`timeBlock`), the median of `samples`, minus the cut after n - 1. The times add up to the
   * whole run's; noise can make a tiny kernel's negative. Undefined without `timestamp-query`.
   */
  async profileAsRun(tensors: RunTensors, samples = 3, repeats = 5, options: Pick<RunOptions, 'outputs'> = {}): Promise<{ name: string; ms: number }[] | undefined> {
    const cuts: number[] = [];
    for (let n = 1; n <= this.plan.kernels.length; n++) {
      const t = await this.timeAsRun(tensors, { ...options, samples, repeats, kernelsUpTo: n });
      if (!t) return undefined;
      cuts.push(t.ms);
    }
    return this.plan.kernels.map((k, i) => ({ name: k.name, ms: cuts[i] - (cuts[i - 1] ?? 0) }));
  }

  /**
   * The kernels' GPU time as a run encodes them (`timeBlock`): `samples` samples of `repeats`
   * back-to-back repetitions, each after a run; the median and range per repetition. Undefined
   * without `timestamp-query`. Give GPU tensors and `outputs: 'buffers'` for steady figures: a
   * large upload or read-back idles the GPU, and the repetitions after it start at idle clocks.
   */
  async timeAsRun(tensors: RunTensors, o: { readonly samples: number; readonly repeats?: number } & Pick<RunOptions, 'kernelsUpTo' | 'tokenChunk' | 'outputs'>): Promise<{ ms: number; spread: [number, number] } | undefined> {
    if (!this.context.device.features.has('timestamp-query')) return undefined;
    const { samples, repeats = 5, ...rest } = o;
    const xs: number[] = [];
    for (let i = 0; i < samples; i++) xs.push((await this.run(tensors, { ...rest, repeatKernels: repeats, timeBlock: true })).blockMs!);
    return { ms: median(xs), spread: [Math.min(...xs), Math.max(...xs)] };
  }

  run(tensors: RunTensors, options: RunOptions = {}): Promise<RunResult> {
    if (!this.options.keepBuffers) return this.guarded(tensors, options);
    // Kept buffers are shared by every run: one at a time.
    const result = this.queue.then(() => this.guarded(tensors, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A device lost during the run (mapAsync and friends reject) becomes the lost-device error. */
  private async guarded(tensors: RunTensors, options: RunOptions): Promise<RunResult> {
    try {
      return await this.runOnce(tensors, options);
    } catch (e) {
      if (e instanceof SagaError) throw e;
      await new Promise((r) => setTimeout(r, 0)); // let device.lost settle
      if (!this.context.isOpen) throw closedError(this.context);
      throw e;
    }
  }

  private async runOnce(tensors: RunTensors, options: RunOptions): Promise<RunResult> {
    const { device } = this.context;
    if (!this.context.isOpen) throw closedError(this.context);
    const plan = this.plan;
    const t0 = now();
    // In token chunks the kernels run at one chunk's sizes; x and y stay whole, bound a chunk at a time.
    const chunked = options.tokenChunk === undefined ? undefined : chunkRun(plan, tensors, options.tokenChunk);
    const full = chunked?.full ?? bindSymbols(plan.tensors, tensors);
    const env = chunked?.env ?? full;
    const sliced = chunked?.sliced ?? new Set<string>();
    checkRequires(plan.requires, env);
    /** What the kernels see of each buffer (a chunk of a sliced one), and each buffer's whole shape. */
    const shapes = new Map(plan.buffers.map((b) => [b.id, evalShape(b.shape, env)]));
    const wholeShapes = new Map(plan.buffers.map((b) => [b.id, sliced.has(b.id) ? evalShape(b.shape, full) : shapes.get(b.id)!]));
    const limits = { ...pick(device.limits), ...this.options.limits };
    const precision = plan.precision ?? 'f32';
    const bytesOf = (shape: readonly number[]) => storageBytes(numel(shape), precision);
    for (const [id, shape] of shapes) checkBufferSize(id, bytesOf(shape), limits);
    for (const id of sliced) {
      const whole = bytesOf(wholeShapes.get(id)!);
      if (whole > limits.maxBufferSize) throw new SagaError(`buffer '${id}' needs ${whole} bytes, more than this device's maxBufferSize ${limits.maxBufferSize}`, 'use smaller sizes');
      const align = device.limits.minStorageBufferOffsetAlignment;
      if (bytesOf(shapes.get(id)!) % align !== 0) {
        throw new SagaError(`token chunks of ${options.tokenChunk} tokens start '${id}' at offsets that are not multiples of ${align} bytes (minStorageBufferOffsetAlignment)`, `use a tokenChunk whose rows of '${id}' fill multiples of ${align} bytes`);
      }
    }
    // Chunks within batch elements: the reductions first, then the outputs (chunkPhases).
    const upTo = options.kernelsUpTo;
    if (upTo !== undefined && (chunked || !Number.isInteger(upTo) || upTo < 1 || upTo > plan.kernels.length)) {
      throw new SagaError(`kernelsUpTo ${upTo}: expected a whole number from 1 to ${plan.kernels.length} (the plan's kernels), without tokenChunk`);
    }
    const split = chunked && !chunked.wholeElements ? chunked : undefined;
    const phases = split ? chunkPhases(plan, split.chunking) : undefined;
    const schedule = chunkSchedule(plan.kernels.length, chunked, phases);
    // One combine kernel per group size the run needs (all its reductions, usually, in one group);
    // pipelineFor keeps its pipeline for the device.
    const groupSizes = [...new Set(schedule.flatMap((st) => (st.kind === 'combine' ? [st.reductions.length] : [])))];
    const combines = new Map(await Promise.all(groupSizes.map(async (n) => {
      const spec = combineKernel(precision, n);
      return [n, { spec, pipeline: await pipelineFor(device, spec) }] as const;
    })));
    const maxPerDim = limits.maxComputeWorkgroupsPerDimension;
    const launches = plan.kernels.map((k) => ({ counts: workgroupCounts(k, env, maxPerDim), uniforms: packUniforms(k, env) }));

    const owned: GPUBuffer[] = [];
    const records: BufferRecord[] = [];
    const outputBuffers = new Set(plan.outputs.map((o) => o.buffer));
    const roles = new Map(plan.tensors.map((t) => [t.name, t.role]));
    const holds = new Map(plan.buffers.map((b) => [b.id, b.holds]));
    const record = (buffer: GPUBuffer, name: string, usage: BufferUsage, shape: readonly number[], values?: BufferRecord['values']) =>
      records.push({ name, holds: values ? values.map((v) => v.holds).join('; then ') : (holds.get(name) ?? ''), shape, bytes: buffer.size, usage, ...(values ? { values } : {}) });
    const track = (buffer: GPUBuffer, name: string, usage: BufferUsage, shape: readonly number[]) => {
      owned.push(buffer);
      record(buffer, name, usage, shape);
      return buffer;
    };
    // A storage or read-back buffer: the kept one for these sizes, or a new one (kept, or freed after the run).
    const key = JSON.stringify([[...full].sort(), options.tokenChunk ?? null]);
    if (this.kept && this.kept.key !== key) this.destroy();
    const kept = this.options.keepBuffers ? (this.kept ??= { key, buffers: new Map() }) : undefined;
    const reusable = (name: string, usage: BufferUsage, shape: readonly number[], make: () => GPUBuffer, values?: BufferRecord['values']) => {
      const buffer = kept?.buffers.get(name) ?? make();
      if (kept) kept.buffers.set(name, buffer);
      else owned.push(buffer);
      record(buffer, name, usage, shape, values);
      return buffer;
    };
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let scopesOpen = true;
    try {
      const buffers = new Map<string, GPUBuffer>();
      // Computed values with disjoint lifetimes share a buffer (runtime/memory-plan.ts). In chunks
      // the whole outputs and the reductions (read by the chunks after all of them) keep their own.
      const reductions = split?.chunking.reductions ?? [];
      const own = new Set([...sliced, ...reductions.map((r) => r.buffer)]);
      // A whole run's inputs uploaded from host arrays lend their buffers to later values once read;
      // not with repetitions (they read the inputs again), nor a caller's GPU buffer.
      const donated = chunked || options.repeatKernels ? new Set<string>() : donatableInputs(plan, (name) => tensors[name] !== undefined && !isGpuTensor(tensors[name]));
      const { slotOf, slotBytes } = assignSlots(plan, (id) => bytesOf(shapes.get(id)!), own, donated);
      const slots = slotBytes.map((bytes, s) => {
        const ids = [...slotOf].filter(([, t]) => t === s).map(([id]) => id);
        const usage: BufferUsage = ids.some((id) => outputBuffers.has(id)) ? 'output' : ids.some((id) => donated.has(id)) ? 'input' : 'intermediate';
        if (ids.length === 1) return reusable(ids[0], usage, shapes.get(ids[0])!, () => createStorage(device, ids[0], bytes));
        // Shared: named `t12 + t9`, with each value it holds.
        const name = ids.join(' + ');
        const values = ids.map((id) => ({ name: id, holds: holds.get(id) ?? '', shape: shapes.get(id)!, bytes: bytesOf(shapes.get(id)!) }));
        return reusable(name, usage, [bytes / (precision === 'f16' ? 2 : 4)], () => createStorage(device, name, bytes), values);
      });
      for (const [id, shape] of wholeShapes) {
        const slot = slotOf.get(id);
        if (slot !== undefined) {
          buffers.set(id, slots[slot]);
          const given = donated.has(id) ? tensors[id] : undefined;
          if (given !== undefined && !isGpuTensor(given)) (precision === 'f16' ? uploadF16 : uploadF32)(device, slots[slot], given.data);
          continue;
        }
        const usage: BufferUsage = roles.get(id) ?? (outputBuffers.has(id) ? 'output' : 'intermediate');
        const given = plan.tensors.some((t) => t.name === id) ? tensors[id] : undefined;
        if (given !== undefined && isGpuTensor(given)) {
          // The caller's buffer is bound as it is: no copy, not ours to keep or free.
          if (!(given.buffer.usage & GPUBufferUsage.STORAGE)) throw new SagaError(`${usage} '${id}' is a GPU buffer without STORAGE usage, so no kernel can read it`, 'create it with GPUBufferUsage.STORAGE');
          buffers.set(id, given.buffer);
          records.push({ name: id, holds: holds.get(id) ?? '', shape, bytes: given.buffer.size, usage });
          continue;
        }
        const buffer = reusable(id, usage, shape, () => createStorage(device, id, bytesOf(shape)));
        buffers.set(id, buffer);
        if (given !== undefined) (precision === 'f16' ? uploadF16 : uploadF32)(device, buffer, given.data);
      }
      const get = (id: string) => buffers.get(id) ?? bug(`plan names unknown buffer '${id}'`);
      // The whole's reductions, batch element after batch element.
      const accs = new Map(reductions.map((r) => [r.buffer, reusable(`${r.buffer}_whole`, 'intermediate', evalShape(plan.buffers.find((b) => b.id === r.buffer)!.shape, full), () => createStorage(device, `${r.buffer}_whole`, split!.batch * bytesOf(shapes.get(r.buffer)!)))]));

      const uniforms = plan.kernels.map((k, i) => track(createUniform(device, `${k.name}_sizes`, launches[i].uniforms), `${k.name}_sizes`, 'uniform', [launches[i].uniforms.length]));
      // Bind groups and uniforms made once each: a kernel binding no sliced buffer, or a combine of
      // one batch element past its first chunk, is the same dispatch chunk after chunk.
      const made = new Map<string, Step>();
      const once = (key: string, make: () => Step) => made.get(key) ?? made.set(key, make()).get(key)!;
      /** Kernel i's dispatch; `chunk` binds the sliced buffers at that chunk. */
      const bindsSliced = plan.kernels.map((k) => [...k.reads, ...writesOf(k)].some((id) => sliced.has(id)));
      const dispatch = (i: number, chunk = 0): Step => once(`k${i}@${bindsSliced[i] ? chunk : 0}`, () => {
        const k = plan.kernels[i];
        const writes = [k.writes, ...(k.alsoWrites ?? [])];
        // A shared buffer is bound at the size of the value it holds now.
        const entries: GPUBindGroupEntry[] = [...k.reads, ...writes].map((id, binding) => {
          const size = bytesOf(shapes.get(id)!);
          return { binding, resource: { buffer: get(id), size, ...(sliced.has(id) ? { offset: chunk * size } : {}) } };
        });
        entries.push({ binding: k.reads.length + writes.length, resource: { buffer: uniforms[i] } });
        const group = device.createBindGroup({ label: k.name, layout: bindGroupLayout(device, k.reads.length, writes.length), entries });
        return { kind: 'dispatch', kernel: i, label: k.name, pipeline: this.pipelines[i], group, counts: launches[i].counts };
      });
      const combineStep = (which: readonly number[], b: number, first: boolean): Step => once(`c${which.join(',')}@${b}${first ? '!' : ''}`, () => {
        const rs = which.map((i) => reductions[i]);
        const counts = rs.map((r) => numel(shapes.get(r.buffer)!));
        const words = new Uint32Array(4 * rs.length);
        const weights = new Float32Array(words.buffer);
        rs.forEach((r, i) => {
          // Batch element b's whole starts where the copy back reads it (f16 pads odd counts).
          const stride = bytesOf(shapes.get(r.buffer)!) / (precision === 'f16' ? 2 : 4);
          words.set([counts[i], b * stride, combineMode(r.kind, first)], 4 * i);
          weights[4 * i + 3] = combineWeight(r.kind, split!.chunk, split!.tokens);
        });
        const label = `combine_${rs.map((r) => r.buffer).join('_')}`;
        const uniform = track(createUniform(device, `${label}_sizes`, words), `${label}_sizes`, 'uniform', [words.length]);
        const entries: GPUBindGroupEntry[] = [
          ...rs.map((r, i) => ({ binding: i, resource: { buffer: get(r.buffer), size: bytesOf(shapes.get(r.buffer)!) } })),
          ...rs.map((r, i) => ({ binding: rs.length + i, resource: { buffer: accs.get(r.buffer)! } })),
          { binding: 2 * rs.length, resource: { buffer: uniform } },
        ];
        const group = device.createBindGroup({ label, layout: bindGroupLayout(device, rs.length, rs.length), entries });
        const { spec, pipeline } = combines.get(rs.length)!;
        const grid = workgroupCounts({ ...spec, dispatch: { kind: 'linear', count: [lit(Math.max(...counts))] } }, env, maxPerDim);
        return { kind: 'dispatch', kernel: -1, label, pipeline, group, counts: grid };
      });
      const steps: Step[] = schedule.map((s) => {
        if (s.kind === 'kernel') return dispatch(s.kernel, s.chunk);
        if (s.kind === 'combine') return combineStep(s.reductions, s.batch, s.first);
        const r = reductions[s.reduction];
        const bytes = bytesOf(shapes.get(r.buffer)!);
        return { kind: 'copy', from: accs.get(r.buffer)!, offset: s.batch * bytes, to: get(r.buffer), bytes };
      });

      const encoder = device.createCommandEncoder({ label: plan.block });
      const timed = steps.filter((s) => s.kind === 'dispatch').length;
      const stamps = device.features.has('timestamp-query');
      const profile = options.profile && stamps;
      if (profile && 2 * timed > 4096) throw new SagaError(`profiling times each of ${timed} dispatches, over the 2048 a query set holds`, 'use fewer, larger token chunks to profile');
      /** `count` timestamps resolved into a read-back buffer after the work `encoder` holds. */
      const stampsAfter = (encoder: GPUCommandEncoder, label: string, count: number) => {
        const querySet = device.createQuerySet({ type: 'timestamp', count });
        const resolved = track(device.createBuffer({ label, size: 8 * count, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }), label, 'staging', [count]);
        const readback = track(device.createBuffer({ label: `${label}_readback`, size: 8 * count, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }), `${label}_readback`, 'staging', [count]);
        return {
          querySet,
          resolve: () => {
            encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
            encoder.copyBufferToBuffer(resolved, 0, readback, 0, 8 * count);
          },
          /** Nanoseconds, once the submitted work is done. */
          read: async () => {
            await readback.mapAsync(GPUMapMode.READ);
            const ns = new BigInt64Array(readback.getMappedRange().slice(0));
            readback.unmap();
            querySet.destroy();
            return ns;
          },
        };
      };
      const times = profile ? stampsAfter(encoder, 'timestamps', 2 * timed) : undefined;
      encodeSteps(encoder, steps, plan.block, times && { querySet: times.querySet, each: true });
      times?.resolve();

      // One staging buffer per distinct output buffer.
      const staging = new Map<string, GPUBuffer>();
      const toGpu = options.outputs === 'buffers';
      for (const o of toGpu ? [] : plan.outputs) {
        if (staging.has(o.buffer)) continue;
        const shape = wholeShapes.get(o.buffer) ?? bug(`output buffer '${o.buffer}' has no shape`);
        const bytes = bytesOf(shape);
        const s = reusable(`${o.buffer}_readback`, 'staging', shape, () =>
          device.createBuffer({ label: `${o.buffer}_readback`, size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
        );
        staging.set(o.buffer, s);
        encoder.copyBufferToBuffer(get(o.buffer), 0, s, 0, bytes);
      }
      const t1 = now();
      device.queue.submit([encoder.finish()]);
      scopesOpen = false;
      const [, validation, oom] = await Promise.all([device.queue.onSubmittedWorkDone(), device.popErrorScope(), device.popErrorScope()]);
      const t2 = now();
      if (validation) throw this.gpuError('validation error', validation.message);
      if (oom) throw this.gpuError('out of GPU memory', oom.message);
      let kernelsWallMs: number | undefined;
      let blockMs: number | undefined;
      if (options.repeatKernels && options.repeatKernels > 0) {
        const again = device.createCommandEncoder({ label: `${plan.block}_repeat` });
        const bracket = options.timeBlock && stamps ? stampsAfter(again, 'block_timestamps', 2) : undefined;
        // A whole run's steps are its kernels in order, one dispatch each.
        const repeated = upTo === undefined ? steps : steps.slice(0, upTo);
        encodeSteps(again, Array.from({ length: options.repeatKernels }, () => repeated).flat(), `${plan.block}_repeat`, bracket && { querySet: bracket.querySet, each: false });
        bracket?.resolve();
        const r0 = now();
        device.queue.submit([again.finish()]);
        await device.queue.onSubmittedWorkDone();
        kernelsWallMs = (now() - r0) / options.repeatKernels;
        if (bracket) {
          const ns = await bracket.read();
          blockMs = Number(ns[1] - ns[0]) / 1e6 / options.repeatKernels;
        }
      }

      const data = new Map<string, Float32Array>();
      await Promise.all([...staging].map(async ([id, s]) => data.set(id, await (precision === 'f16' ? readF16 : readF32)(s, numel(wholeShapes.get(id)!)))));
      const outputs: Record<string, Tensor32> = {};
      const used = new Set<string>();
      for (const o of toGpu ? [] : plan.outputs) {
        const d = data.get(o.buffer)!;
        // Two outputs of one value get separate arrays, so writing one never changes the other.
        outputs[o.name] = { shape: wholeShapes.get(o.buffer)!, data: used.has(o.buffer) ? d.slice() : d };
        used.add(o.buffer);
      }
      let kernelMs: { name: string; ms: number }[] | undefined;
      if (times) {
        const ns = await times.read();
        // Each kernel's dispatches summed (one a run unless in chunks), then the chunks' combines.
        const ms = plan.kernels.map(() => 0);
        let combined = 0;
        steps.filter((s) => s.kind === 'dispatch').forEach((s, q) => {
          const t = Number(ns[2 * q + 1] - ns[2 * q]) / 1e6;
          if (s.kernel < 0) combined += t;
          else ms[s.kernel] += t;
        });
        kernelMs = [...plan.kernels.map((k, i) => ({ name: k.name, ms: ms[i] })), ...(split ? [{ name: 'combine_chunks', ms: combined }] : [])];
      }
      let gpuOutputs: Record<string, GpuTensor> | undefined;
      if (toGpu) {
        gpuOutputs = {};
        for (const o of plan.outputs) {
          const buffer = get(o.buffer);
          gpuOutputs[o.name] = { shape: wholeShapes.get(o.buffer)!, buffer };
          // Handed to the caller: not freed with this run's other buffers.
          const i = owned.indexOf(buffer);
          if (i >= 0) owned.splice(i, 1);
        }
      }
      const t3 = now();
      const totalBytes = records.reduce((sum, r) => sum + r.bytes, 0);
      const report: MemoryReport = {
        block: plan.block,
        buffers: records,
        totalBytes,
        peakBytes: totalBytes,
        kernels: plan.kernels.map((k, i) => ({ name: k.name, workgroups: launches[i].counts, invocations: launches[i].counts.reduce((p, c) => p * c, 1) * k.workgroupSize, dispatches: schedule.filter((st) => st.kind === 'kernel' && st.kernel === i).length })),
        ...(chunked ? { tokenChunks: { tokenChunk: chunked.chunk, chunks: chunked.chunks } } : {}),
      };
      return { outputs, timings: { uploadMs: t1 - t0, gpuMs: t2 - t1, readbackMs: t3 - t2, totalMs: t3 - t0 }, report, ...(kernelMs ? { kernelMs } : {}), ...(kernelsWallMs !== undefined ? { kernelsWallMs } : {}), ...(blockMs !== undefined ? { blockMs } : {}), ...(gpuOutputs ? { buffers: gpuOutputs } : {}) };
    } finally {
      if (scopesOpen) {
        // Something threw before submit: close the scopes so later runs see their own errors.
        await device.popErrorScope().catch(() => null);
        await device.popErrorScope().catch(() => null);
      }
      for (const b of owned) b.destroy();
    }
  }

  /** A SagaError naming the kernel whose label the message mentions, if any. */
  private gpuError(what: string, message: string): SagaError {
    const kernel = this.plan.kernels.find((k) => message.includes(`"${k.name}"`));
    return new SagaError(`WebGPU ${what} in block ${this.plan.block}${kernel ? `, kernel ${kernel.name}` : ''}: ${message}`);
  }
}

/** A kernel's dispatch, or a copy between passes (a chunked run's reductions into place). */
type Step =
  | { readonly kind: 'dispatch'; readonly kernel: number; readonly label: string; readonly pipeline: GPUComputePipeline; readonly group: GPUBindGroup; readonly counts: readonly [number, number, number] }
  | { readonly kind: 'copy'; readonly from: GPUBuffer; readonly offset: number; readonly to: GPUBuffer; readonly bytes: number };

/**
 * The steps in one compute pass between copies. Timing `each`: a pass per dispatch, timestamps at
 * its beginning and end (2q, 2q + 1); otherwise timestamps 0 and 1 at the beginning of the first
 * pass and the end of the one holding the last dispatch.
 */
function encodeSteps(encoder: GPUCommandEncoder, steps: readonly Step[], label: string, timing?: { readonly querySet: GPUQuerySet; readonly each: boolean }): void {
  let pass: GPUComputePassEncoder | undefined;
  let q = 0;
  const last = steps.reduce((l, s, i) => (s.kind === 'dispatch' ? i : l), -1);
  // A pass begun after the last copy before the last dispatch is the last pass.
  const lastCopy = steps.reduce((l, s, i) => (s.kind === 'copy' && i < last ? i : l), -1);
  steps.forEach((s, i) => {
    if (s.kind === 'copy') {
      pass?.end();
      pass = undefined;
      encoder.copyBufferToBuffer(s.from, s.offset, s.to, 0, s.bytes);
      return;
    }
    if (timing?.each) {
      pass?.end();
      pass = encoder.beginComputePass({ label: s.label, timestampWrites: { querySet: timing.querySet, beginningOfPassWriteIndex: 2 * q, endOfPassWriteIndex: 2 * q + 1 } });
      q++;
    } else if (!pass) {
      const first = q++ === 0;
      const end = i > lastCopy;
      const writes = timing && (first || end) ? { querySet: timing.querySet, ...(first ? { beginningOfPassWriteIndex: 0 } : {}), ...(end ? { endOfPassWriteIndex: 1 } : {}) } : undefined;
      pass = encoder.beginComputePass({ label, ...(writes ? { timestampWrites: writes } : {}) });
    }
    pass.setPipeline(s.pipeline);
    pass.setBindGroup(0, s.group);
    pass.dispatchWorkgroups(...s.counts);
  });
  pass?.end();
}

function bug(message: string): never {
  throw new Error(`executor: ${message}`);
}
