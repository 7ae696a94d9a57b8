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
  /** Chunks in one batch element. */
  readonly perBatch: number;
  /** Tensors and outputs with a token axis: whole-sized buffers, bound one chunk at a time. */
  readonly sliced: ReadonlySet<string>;
}

/** The sizes of a chunked run, or a SagaError saying why `tokenChunk` does not fit this plan or these tensors. */
export function chunkRun(plan: Plan, tensors: RunTensors, tokenChunk: number): ChunkRun {
  const c = plan.chunks;
  if (c === undefined) throw new SagaError(`block ${plan.block} was compiled without token-chunk information`, 'compile it again with this version of sagac');
  if ('why' in c) throw new SagaError(`block ${plan.block} cannot run in token chunks: ${c.why}`, 'run it whole (leave tokenChunk out)');
  const full = bindSymbols(plan.tensors, tensors);
  const tokens = full.get(c.dim);
  if (tokens === undefined) throw new SagaError(`block ${plan.block}: no tensor gives the token dim ${c.dim}`);
  if (!Number.isInteger(tokenChunk) || tokenChunk < 1 || tokens % tokenChunk !== 0) {
    const divisors: number[] = [];
    for (let d = 1; d <= tokens; d++) if (tokens % d === 0) divisors.push(d);
    throw new SagaError(`tokenChunk ${tokenChunk} does not divide ${c.dim} = ${tokens} into whole chunks`, `use a divisor of ${tokens}: ${divisors.length > 6 ? '…, ' : ''}${divisors.slice(-6).join(', ')}`);
  }
  const env = new Map(full);
  env.set(c.dim, tokenChunk);
  const batch = c.batch ? (full.get(c.batch) ?? 1) : 1;
  if (c.batch) env.set(c.batch, 1);
  const outputs = new Set(plan.outputs.map((o) => o.buffer));
  const sliced = new Set(plan.buffers.filter((b) => outputs.has(b.id) || (plan.tensors.some((t) => t.name === b.id) && b.shape.some((d) => d.sym === c.dim))).map((b) => b.id));
  return { chunking: c, full, env, batch, tokens, chunk: tokenChunk, perBatch: tokens / tokenChunk, sliced };
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
