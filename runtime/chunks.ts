// Running a plan token chunk by token chunk (RunOptions.tokenChunk): which kernels run in which
// phase, the sizes of one chunk, and the kernel that adds a chunk's reductions into the whole's.
// The executor (runtime/webgpu/executor.ts) encodes the dispatches; docs/memory.md has the why.
import { bindSymbols } from './bind.js';
import { SagaError } from './errors.js';
import type { KernelSpec, Plan, TokenChunking, TokenReduction } from './plan.js';
import { assignSlots, donatableInputs, writesOf } from './memory-plan.js';
import { evalShape, numel, type Bindings, type Dim } from './shape.js';
import { storageBytes } from './webgpu/buffers.js';
import type { RunTensors } from './tensor.js';

export interface ChunkPhases {
  /** Kernels that compute the reductions over the tokens from a chunk (run chunk by chunk, then combined). */
  readonly reduce: readonly number[];
  /** Kernels that compute the outputs of a chunk from it and the whole's reductions. */
  readonly finish: readonly number[];
}

/**
 * Kernel indices of each phase, in plan order: the kernels the reductions' buffers need, and the
 * kernels the outputs need given those buffers. A token-wise value both need is computed in both.
 */
export function chunkPhases(plan: Plan, chunking: TokenChunking): ChunkPhases {
  const reduced = new Set(chunking.reductions.map((r) => r.buffer));
  const writers = new Map<string, number[]>();
  plan.kernels.forEach((k, i) => writesOf(k).forEach((id) => writers.set(id, [...(writers.get(id) ?? []), i])));
  const needed = (targets: Iterable<string>, stopAt: ReadonlySet<string>) => {
    const kernels = new Set<number>();
    const todo = [...targets];
    const seen = new Set<string>();
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const i of writers.get(id) ?? []) {
        if (kernels.has(i)) continue;
        kernels.add(i);
        todo.push(...plan.kernels[i].reads.filter((r) => !stopAt.has(r)));
      }
    }
    return [...kernels].sort((a, b) => a - b);
  };
  const reduce = needed(reduced, new Set());
  const finish = needed(plan.outputs.map((o) => o.buffer), reduced);
  // Codegen stores every reduction by a kernel of its own phase; a kernel that also computes an
  // output-side value would overwrite the whole's reduction with a chunk's.
  const clash = finish.find((i) => writesOf(plan.kernels[i]).some((id) => reduced.has(id)));
  if (clash !== undefined) throw new SagaError(`block ${plan.block} cannot run in token chunks: kernel ${plan.kernels[clash].name} computes a reduction over ${chunking.dim} together with values the outputs need`);
  const late = reduce.find((i) => plan.kernels[i].reads.some((id) => reduced.has(id)));
  if (late !== undefined) throw new SagaError(`block ${plan.block} cannot run in token chunks: kernel ${plan.kernels[late].name} reads one reduction over ${chunking.dim} to compute another`);
  return { reduce, finish };
}

/** The buffers a chunked run keeps whole and binds a chunk at a time: the outputs and the token-axis inputs. */
export function slicedBuffers(plan: Plan, chunking: Pick<TokenChunking, 'dim'>): Set<string> {
  const outputs = new Set(plan.outputs.map((o) => o.buffer));
  const tensors = new Set(plan.tensors.map((t) => t.name));
  return new Set(plan.buffers.filter((b) => outputs.has(b.id) || (tensors.has(b.id) && b.shape.some((d) => d.sym === chunking.dim))).map((b) => b.id));
}

export interface ChunkRun {
  readonly chunking: TokenChunking;
  /** The whole run's dims, and one chunk's (the token dim the chunk's, the batch dim 1): the kernels'. */
  readonly full: Bindings;
  readonly env: Bindings;
  readonly batch: number;
  readonly tokens: number;
  readonly chunk: number;
  /** Chunks in one batch element (1 when a chunk holds whole batch elements). */
  readonly perBatch: number;
  /** Chunks in the run. */
  readonly chunks: number;
  /**
   * Each chunk holds whole batch elements (tokenChunk a multiple of N): its reductions are
   * complete, so the whole plan runs chunk after chunk, nothing combined.
   */
  readonly wholeElements: boolean;
  /** Tensors and outputs with a token axis: whole-sized buffers, bound one chunk at a time. */
  readonly sliced: ReadonlySet<string>;
}

/**
 * The sizes of a chunked run, or a SagaError saying why `tokenChunk` does not fit this plan or
 * these tensors: it divides N (chunks within a batch element), or is a multiple of N dividing B·N
 * (chunks of whole batch elements).
 */
export function chunkRun(plan: Plan, tensors: RunTensors, tokenChunk: number): ChunkRun {
  const c = plan.chunks;
  if (c === undefined) throw new SagaError(`block ${plan.block} was compiled without token-chunk information`, 'compile it again with this version of sagac');
  if ('why' in c) throw new SagaError(`block ${plan.block} cannot run in token chunks: ${c.why}`, 'run it whole (leave tokenChunk out)');
  const full = bindSymbols(plan.tensors, tensors);
  const tokens = full.get(c.dim);
  if (tokens === undefined) throw new SagaError(`block ${plan.block}: no tensor gives the token dim ${c.dim}`);
  const batch = c.batch ? (full.get(c.batch) ?? 1) : 1;
  const within = Number.isInteger(tokenChunk) && tokenChunk >= 1 && tokens % tokenChunk === 0;
  const across = Number.isInteger(tokenChunk) && tokenChunk >= tokens && tokenChunk % tokens === 0 && batch % (tokenChunk / tokens) === 0;
  if (!within && !across) {
    const divisors: number[] = [];
    for (let d = 1; d <= tokens; d++) if (tokens % d === 0) divisors.push(d);
    const elements = c.batch && batch > 1 ? ` or whole batch elements (a multiple of ${tokens} dividing ${c.batch}·${c.dim} = ${batch * tokens})` : '';
    throw new SagaError(`tokenChunk ${tokenChunk} does not divide ${c.dim} = ${tokens} into whole chunks${elements}`, `use a divisor of ${tokens}: ${divisors.length > 6 ? '…, ' : ''}${divisors.slice(-6).join(', ')}`);
  }
  const env = chunkDims(full, c, tokenChunk);
  const sliced = slicedBuffers(plan, c);
  const perBatch = across ? 1 : tokens / tokenChunk;
  return { chunking: c, full, env, batch, tokens, chunk: tokenChunk, perBatch, chunks: (batch * tokens) / tokenChunk, wholeElements: across, sliced };
}

/** One step of a run: a kernel at a chunk, a chunk's reduction added into the whole's, or the whole's copied into place. */
export type ChunkStep =
  | { readonly kind: 'kernel'; readonly kernel: number; readonly chunk: number }
  | { readonly kind: 'combine'; readonly reductions: readonly number[]; readonly batch: number; readonly first: boolean }
  | { readonly kind: 'copy'; readonly reduction: number; readonly batch: number };

/**
 * The order of a run's steps. Whole, or in chunks of whole batch elements: every kernel, chunk
 * after chunk. Within batch elements: per chunk the reductions' kernels and one combine (per
 * COMBINE_GROUP reductions); then per batch element its reductions copied into place and, chunk by chunk, the
 * outputs' kernels.
 */
export function chunkSchedule(kernels: number, run?: ChunkRun, phases?: ChunkPhases): ChunkStep[] {
  const steps: ChunkStep[] = [];
  const all = [...Array(kernels).keys()];
  if (!run || run.wholeElements || !phases) {
    for (let chunk = 0; chunk < (run?.chunks ?? 1); chunk++) steps.push(...all.map((kernel) => ({ kind: 'kernel' as const, kernel, chunk })));
    return steps;
  }
  const reductions = [...run.chunking.reductions.keys()];
  for (let batch = 0; batch < run.batch; batch++) {
    for (let c = 0; c < run.perBatch; c++) {
      steps.push(...phases.reduce.map((kernel) => ({ kind: 'kernel' as const, kernel, chunk: batch * run.perBatch + c })));
      for (let r = 0; r < reductions.length; r += COMBINE_GROUP) steps.push({ kind: 'combine', reductions: reductions.slice(r, r + COMBINE_GROUP), batch, first: c === 0 });
    }
  }
  for (let batch = 0; batch < run.batch; batch++) {
    steps.push(...reductions.map((reduction) => ({ kind: 'copy' as const, reduction, batch })));
    for (let c = 0; c < run.perBatch; c++) steps.push(...phases.finish.map((kernel) => ({ kind: 'kernel' as const, kernel, chunk: batch * run.perBatch + c })));
  }
  return steps;
}

/**
 * The sizes one chunk's kernels run at (compile the plan at these): N the chunk's and batch 1, or
 * for a chunk of whole batch elements N whole and the batch that many.
 */
export function chunkDims(dims: Bindings, chunking: Pick<TokenChunking, 'dim' | 'batch'>, tokenChunk: number): Map<string, number> {
  const out = new Map(dims);
  const tokens = dims.get(chunking.dim);
  const across = tokens !== undefined && tokenChunk > tokens;
  out.set(chunking.dim, across ? tokens : tokenChunk);
  if (chunking.batch) out.set(chunking.batch, across ? tokenChunk / tokens : 1);
  return out;
}

/** `combine`'s modes: the first chunk's value (weighted), then how each later one adds in. */
export function combineMode(kind: TokenReduction, first: boolean): number {
  if (first) return 0;
  return { sum: 1, mean: 1, max: 2, norm: 3, lse: 4 }[kind];
}

/** The weight of a chunk's value: a mean over the chunk's tokens is chunk / tokens of the whole's. */
export const combineWeight = (kind: TokenReduction, chunk: number, tokens: number) => (kind === 'mean' ? chunk / tokens : 1);

/** Reductions one combine dispatch adds at most (two buffers each; 8 storage buffers a kernel). */
export const COMBINE_GROUP = 4;

/**
 * Adds a chunk's reductions (`part_r`) into the whole's (`acc_r`, from element `offset_r`), `parts`
 * of them in one dispatch over the largest: uniform vec4 r is (count, offset, mode, weight bits);
 * see combineMode.
 */
export function combineKernel(precision: 'f32' | 'f16', parts: number): KernelSpec {
  const t = precision === 'f16' ? 'f16' : 'f32';
  const rs = [...Array(parts).keys()];
  const bindings = [
    ...rs.map((r) => `@group(0) @binding(${r}) var<storage, read> part_${r}: array<${t}>;`),
    ...rs.map((r) => `@group(0) @binding(${parts + r}) var<storage, read_write> acc_${r}: array<${t}>;`),
    `@group(0) @binding(${2 * parts}) var<uniform> u: array<vec4<u32>, ${parts}>;`,
  ];
  const adds = rs.map((r) => `  if (i < u[${r}].x) {
    acc_${r}[u[${r}].y + i] = ${t}(combine(f32(acc_${r}[u[${r}].y + i]), f32(part_${r}[i]) * bitcast<f32>(u[${r}].w), u[${r}].z));
  }`);
  const wgsl = `${precision === 'f16' ? 'enable f16;\n\n' : ''}// A token chunk's reductions into the whole's (runtime/chunks.ts): mode 0 takes the first chunk's,
// 1 adds (sum, weighted mean), 2 max, 3 L2 norm, 4 log-sum-exp.
${bindings.join('\n')}

fn combine(a: f32, p: f32, mode: u32) -> f32 {
  switch mode {
    case 1u: { return a + p; }
    case 2u: { return max(a, p); }
    case 3u: { return sqrt(a * a + p * p); }
    case 4u: {
      let m = max(a, p);
      return m + log(exp(a - m) + exp(p - m));
    }
    default: { return p; }
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 256u + lid;
${adds.join('\n')}
}
`;
  const [first, ...rest] = rs.map((r) => `acc_${r}`);
  return { name: 'combine_chunks', wgsl, reads: rs.map((r) => `part_${r}`), writes: first, ...(rest.length ? { alsoWrites: rest } : {}), uniforms: [], workgroupSize: 256, dispatch: { kind: 'linear', count: [] } };
}

/**
 * Bytes of the storage buffers a run allocates, as the executor does: inputs and params, the
 * values sharing buffers (assignSlots), outputs; in token chunks the inputs and outputs whole,
 * the rest at one chunk's sizes, and the reductions' whole accumulators (chunks within batch
 * elements). `dims` are the whole run's.
 */
export function runStorageBytes(plan: Plan, dims: Bindings, tokenChunk?: number): number {
  const precision = plan.precision ?? 'f32';
  const c = plan.chunks && !('why' in plan.chunks) ? plan.chunks : undefined;
  if (tokenChunk !== undefined && !c) throw new SagaError(`block ${plan.block} cannot run in token chunks`);
  const env = tokenChunk === undefined || !c ? dims : chunkDims(dims, c, tokenChunk);
  const tokens = c ? dims.get(c.dim) : undefined;
  const split = tokenChunk !== undefined && tokens !== undefined && tokenChunk < tokens;
  const sliced = tokenChunk !== undefined && c ? slicedBuffers(plan, c) : new Set<string>();
  const reduced = new Set(split ? c!.reductions.map((r) => r.buffer) : []);
  const bytes = (shape: readonly Dim[], e: Bindings) => storageBytes(numel(evalShape(shape, e)), precision);
  const shapeOf = new Map(plan.buffers.map((b) => [b.id, b.shape]));
  // A whole run's inputs lend their buffers once read (Executor.run, from host arrays).
  const donated = tokenChunk === undefined ? donatableInputs(plan) : new Set<string>();
  const { slotOf, slotBytes } = assignSlots(plan, (id) => bytes(shapeOf.get(id)!, env), new Set([...sliced, ...reduced]), donated);
  const alone = plan.buffers.filter((b) => !slotOf.has(b.id)).reduce((sum, b) => sum + bytes(b.shape, sliced.has(b.id) ? dims : env), 0);
  const batch = c?.batch ? (dims.get(c.batch) ?? 1) : 1;
  const accs = [...reduced].reduce((sum, id) => sum + batch * bytes(shapeOf.get(id)!, env), 0);
  return alone + accs + slotBytes.reduce((a, b) => a + b, 0);
}

/**
 * The tokenChunk values a run of `dims` may take, largest first: whole batch elements (a multiple
 * of N dividing B·N, fewer than B), then divisors of N whose chunks of every token-axis buffer
 * start at multiples of `align` bytes, at most `maxChunks` chunks in all.
 */
export function tokenChunkCandidates(plan: Plan, dims: Bindings, align = 256, maxChunks = 1024): number[] {
  const c = plan.chunks;
  if (!c || 'why' in c) return [];
  const tokens = dims.get(c.dim)!;
  const batch = c.batch ? (dims.get(c.batch) ?? 1) : 1;
  const out: number[] = [];
  for (let k = batch - 1; k >= 1; k--) if (batch % k === 0 && batch / k <= maxChunks) out.push(k * tokens);
  const sliced = slicedBuffers(plan, c);
  const rows = plan.buffers.filter((b) => sliced.has(b.id));
  const precision = plan.precision ?? 'f32';
  const rowBytes = rows.map((b) => storageBytes(numel(evalShape(b.shape, new Map([...dims, [c.dim, 1], ...(c.batch ? [[c.batch, 1] as const] : [])]))), precision));
  for (let d = tokens - 1; d >= 1; d--) {
    if (tokens % d !== 0 || (batch * tokens) / d > maxChunks) continue;
    if (rowBytes.every((r) => (r * d) % align === 0)) out.push(d);
  }
  return out;
}

/**
 * The largest token chunk (or the whole run, `undefined`, where `whole` allows it) whose plan,
 * from `planAt(the kernels' dims)`, stores at most `maxBytes`; null where none does.
 */
export function fitTokenChunk(planAt: (dims: Bindings) => Plan, dims: Bindings, maxBytes: number, options: { whole?: boolean; align?: number; maxChunks?: number } = {}): { tokenChunk?: number; plan: Plan; bytes: number } | null {
  const wholePlan = planAt(dims);
  const wholeBytes = runStorageBytes(wholePlan, dims);
  if ((options.whole ?? true) && wholeBytes <= maxBytes) return { plan: wholePlan, bytes: wholeBytes };
  const c = wholePlan.chunks;
  if (!c || 'why' in c) return null;
  for (const tokenChunk of tokenChunkCandidates(wholePlan, dims, options.align, options.maxChunks)) {
    const plan = planAt(chunkDims(dims, c, tokenChunk));
    const bytes = runStorageBytes(plan, dims, tokenChunk);
    if (bytes <= maxBytes) return { tokenChunk, plan, bytes };
  }
  return null;
}
