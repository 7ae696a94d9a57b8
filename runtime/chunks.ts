// Running a plan token chunk by token chunk (RunOptions.tokenChunk): which kernels run in which
// phase, the sizes of one chunk, and the kernel that adds a chunk's reductions into the whole's.
// The executor (runtime/webgpu/executor.ts) encodes the dispatches; docs/memory.md has the why.
import { bindSymbols } from './bind.js';
import { SagaError } from './errors.js';
import type { KernelSpec, Plan, TokenChunking, TokenReduction } from './plan.js';
import type { Bindings } from './shape.js';
import type { RunTensors } from './tensor.js';

const writesOf = (k: KernelSpec) => [k.writes, ...(k.alsoWrites ?? [])];

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
  const finish = needed(
    plan.outputs.map((o) => o.buffer),
    reduced,
  );
  // Codegen stores every reduction by a kernel of its own phase; a kernel that also computes an
  // output-side value would overwrite the whole's reduction with a chunk's.
  const clash = finish.find((i) => writesOf(plan.kernels[i]).some((id) => reduced.has(id)));
  if (clash !== undefined) throw new SagaError(`block ${plan.block} cannot run in token chunks: kernel ${plan.kernels[clash].name} computes a reduction over ${chunking.dim} together with values the outputs need`);
  const late = reduce.find((i) => plan.kernels[i].reads.some((id) => reduced.has(id)));
  if (late !== undefined) throw new SagaError(`block ${plan.block} cannot run in token chunks: kernel ${plan.kernels[late].name} reads one reduction over ${chunking.dim} to compute another`);
  return { reduce, finish };
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
  const outputs = new Set(plan.outputs.map((o) => o.buffer));
  const sliced = new Set(plan.buffers.filter((b) => outputs.has(b.id) || (plan.tensors.some((t) => t.name === b.id) && b.shape.some((d) => d.sym === c.dim))).map((b) => b.id));
  const perBatch = across ? 1 : tokens / tokenChunk;
  return { chunking: c, full, env, batch, tokens, chunk: tokenChunk, perBatch, chunks: (batch * tokens) / tokenChunk, wholeElements: across, sliced };
}

/** One step of a run: a kernel at a chunk, a chunk's reduction added into the whole's, or the whole's copied into place. */
export type ChunkStep =
  | { readonly kind: 'kernel'; readonly kernel: number; readonly chunk: number }
  | { readonly kind: 'combine'; readonly reduction: number; readonly batch: number; readonly first: boolean }
  | { readonly kind: 'copy'; readonly reduction: number; readonly batch: number };

/**
 * The order of a run's steps. Whole, or in chunks of whole batch elements: every kernel, chunk
 * after chunk. Within batch elements: per chunk the reductions' kernels and a combine per
 * reduction; then per batch element its reductions copied into place and, chunk by chunk, the
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
      steps.push(...reductions.map((reduction) => ({ kind: 'combine' as const, reduction, batch, first: c === 0 })));
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

/** Adds a chunk's reduction (`part`) into the whole's (`acc`, from element `offset`); see combineMode. */
export function combineKernel(precision: 'f32' | 'f16'): KernelSpec {
  const t = precision === 'f16' ? 'f16' : 'f32';
  const wgsl = `${precision === 'f16' ? 'enable f16;\n\n' : ''}// A token chunk's reduction into the whole's (runtime/chunks.ts): mode 0 takes the first chunk's,
// 1 adds (sum, weighted mean), 2 max, 3 L2 norm, 4 log-sum-exp.
struct Sizes {
  count: u32,
  offset: u32,
  mode: u32,
  weight: f32,
}

@group(0) @binding(0) var<storage, read> part: array<${t}>;
@group(0) @binding(1) var<storage, read_write> acc: array<${t}>;
@group(0) @binding(2) var<uniform> sizes: Sizes;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * 256u + lid;
  if (i >= sizes.count) {
    return;
  }
  let j = sizes.offset + i;
  let p = f32(part[i]) * sizes.weight;
  let a = f32(acc[j]);
  var r = p;
  switch sizes.mode {
    case 1u: { r = a + p; }
    case 2u: { r = max(a, p); }
    case 3u: { r = sqrt(a * a + p * p); }
    case 4u: {
      let m = max(a, p);
      r = m + log(exp(a - m) + exp(p - m));
    }
    default: {}
  }
  acc[j] = ${t}(r);
}
`;
  return { name: 'combine_chunks', wgsl, reads: ['part'], writes: 'acc', uniforms: [], workgroupSize: 256, dispatch: { kind: 'linear', count: [] } };
}
