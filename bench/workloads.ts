// What the benchmark runs: PVT-T's stage sizes, the two workloads (the full SAGA block and its
// attention core), their random inputs, and what a perfect kernel would have to do for each —
// bytes moved and flops — to set measured times against the roofline.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compileSource } from '../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../compiler/ir.js';
import { fitTokenChunk, tokenChunkCandidates } from '../runtime/chunks.js';
import { generatePlan } from '../codegen/wgsl/index.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape, numel } from '../runtime/shape.js';
import type { Tensor } from '../runtime/tensor.js';

/** PVT-T's four stages: channels, heads and the stride of the stage's token grid. */
export const STAGES = [
  { C: 64, heads: 1, stride: 4 },
  { C: 128, heads: 2, stride: 8 },
  { C: 320, heads: 5, stride: 16 },
  { C: 512, heads: 8, stride: 32 },
] as const;

export type WorkloadName = 'block' | 'core';

export interface Config {
  /** Input resolution R (R × R image). */
  readonly size: number;
  readonly stage: number;
  /** Tokens: (R / stride)². */
  readonly N: number;
  readonly C: number;
  readonly heads: number;
  readonly B: number;
}

export function configs(sizes: readonly number[], stages: readonly number[], batches: readonly number[]): Config[] {
  const out: Config[] = [];
  for (const size of sizes) {
    for (const stage of stages) {
      const st = STAGES[stage - 1];
      for (const B of batches) out.push({ size, stage, N: (size / st.stride) ** 2, C: st.C, heads: st.heads, B });
    }
  }
  return out;
}

// The project root, from bench/ (tests) or dist/bench/ (the built harness).
const root = join(import.meta.dirname, basename(dirname(import.meta.dirname)) === 'dist' ? '../..' : '..');
const FILES: Record<WorkloadName, string> = { block: 'examples/saga.saga', core: 'bench/saga_core.saga' };

export function workloadSource(w: WorkloadName): { file: string; source: string } {
  return { file: FILES[w], source: readFileSync(join(root, FILES[w]), 'utf8') };
}

/** The workload compiled for `heads` heads: the block as written (unfused) and after the passes (fused). */
export function compileWorkload(w: WorkloadName, heads: number): { unfused: Graph; fused: Graph } {
  const { file, source } = workloadSource(w);
  return compileWithHeads(file, source, heads);
}

/** A one-block source with `const heads = ...` compiled for `heads` heads (unfused and fused). */
export function compileWithHeads(file: string, source: string, heads: number): { unfused: Graph; fused: Graph } {
  const r = compileSource(source.replace(/const heads = \d+/, `const heads = ${heads}`), file);
  if (!r.ok || r.graphs.length !== 1) throw new Error(`${file} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return { unfused: r.graphs[0], fused: r.optimized[0] };
}

export const envOf = (c: Config) => new Map([['B', c.B], ['N', c.N], ['C', c.C]]);

/** Seeded inputs in [-1, 1); weight matrices scaled by 1/√fan-in so activations stay O(1). */
export function tensorsFor(g: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
  const next = rng(1);
  const t: Record<string, Tensor> = {};
  for (const n of inputsOf(g)) t[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(g)) {
    const shape = evalShape(n.shape, env);
    t[n.name] = randomTensor(shape, next, shape.length === 2 ? 1 / Math.sqrt(shape[0]) : 0.5);
  }
  return t;
}

/**
 * Tokens per chunk for the chunked arm: the largest chunk (whole batch elements first, then
 * divisors of N; at most 64 chunks a run) whose plan, compiled at the chunk's sizes, stores at
 * most `budget` × the inputs, params and outputs (fitTokenChunk); the smallest if none does.
 */
export function tokenChunkFor(c: Config, g: Graph, budget: number): number {
  const env = envOf(c);
  const planAt = (dims: ReadonlyMap<string, number>) => generatePlan(g, { dims });
  const fit = fitTokenChunk(planAt, env, budget * perfectBytes(g, env), { whole: false, maxChunks: 64 });
  return fit?.tokenChunk ?? tokenChunkCandidates(planAt(env), env, 256, 64).at(-1) ?? c.N;
}

/** f32 bytes a perfect kernel must move: each input, param and output once. */
export function perfectBytes(g: Graph, env: ReadonlyMap<string, number>): number {
  const shapes = [...inputsOf(g), ...paramsOf(g)].map((n) => n.shape).concat(g.outputs.map((o) => g.nodes[o.value].shape));
  return shapes.reduce((sum, s) => sum + 4 * numel(evalShape(s, env)), 0);
}

/**
 * Flops of one forward, counted as a perfect kernel would compute it: the decomposed form
 * S = mean_j (σa_j ⊙ φk_j)(σb_j ⊙ v_j)ᵀ, never the per-token d×d gate matrix the block is written
 * with. A multiply-add counts 2, every other elementwise op (relu, sigmoid, product, division) 1.
 * Per token and head, with d = C / heads:
 *   φ(q), φ(k), σ(a), σ(b): 4d; σa⊙φk, σb⊙v: 2d; S += outer: 2d²; z += σa⊙φk: d;
 *   den = φq·z: 2d; φq S: 2d²; den + eps: 1; divide by it: d
 *   core  = B·N·heads·(4d² + 10d + 1) = B·N·(4·C·d + 10·C + heads)
 *   block = core + B·N·(12·C² + 2·C)   (six C×C projections, two bias adds)
 * Terms that do not grow with N (the 1/N of the means) are left out.
 */
export function flops(w: WorkloadName, c: Config): number {
  const d = c.C / c.heads;
  const core = c.B * c.N * (4 * c.C * d + 10 * c.C + c.heads);
  return w === 'core' ? core : core + c.B * c.N * (12 * c.C * c.C + 2 * c.C);
}
