// `sagac run`: one block on tensors from safetensors files, on WebGPU or the float64 interpreter.
import { generatePlan } from '../codegen/wgsl/index.js';
import { tunedSummary, tuningFor } from '../codegen/wgsl/tuning.js';
import type { Graph } from '../compiler/ir.js';
import { tokenChunks } from '../compiler/token-chunks.js';
import { chunkDims, fitTokenChunk, runStorageBytes, tokenChunkCandidates } from '../runtime/chunks.js';
import type { Plan } from '../runtime/plan.js';
import type { Bindings } from '../runtime/shape.js';
import { bindSymbols, tensorSpecsOf } from '../runtime/bind.js';
import { interpret } from '../runtime/interpreter.js';
import { formatBytes, formatReport } from '../runtime/report.js';
import { readSafetensorsFile, writeFileAtomic, writeSafetensorsFile } from '../runtime/safetensors-file.js';
import { checkFinite } from '../runtime/check.js';
import type { Tensor, TensorMap } from '../runtime/tensor.js';
import { runOnGpu } from './gpu.js';
import { compileFile, pickBlock, readTuningFile, UsageError } from './common.js';

export interface RunOptions {
  file: string;
  block?: string;
  inputs?: string;
  params?: string;
  out?: string;
  backend: string;
  /** Run the optimised (fused) block; false runs it as written. */
  fuse: boolean;
  /** Refuse inputs and params holding NaN or infinities (on unless --allow-nonfinite). */
  checkFinite: boolean;
  /** Write the run's memory report (buffers, peak bytes, dispatches) here as JSON. */
  report?: string;
  /** Tensor storage on the GPU (f32 unless --precision f16). */
  precision?: 'f32' | 'f16';
  /** Tokens per chunk (--token-chunk): the run chunk by chunk, intermediates chunk-sized. */
  tokenChunk?: number;
  /** Most bytes of GPU storage (--max-memory): whole if it fits, else the largest token chunk that does. */
  maxMemory?: number;
  /** A tuning file (`sagac tune`): the fused block's kernels take its entries for the run's sizes (as `build --dim` does). */
  tuning?: string;
}

/** `--max-memory` as bytes: `1500000`, `512M`, `2.5GB` (decimal units, as reports print them). */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)B?$/i.exec(text.trim());
  const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9 }[(m?.[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = m ? Math.floor(Number(m[1]) * scale) : NaN;
  if (!(bytes > 0)) throw new UsageError(`--max-memory expects a size such as 512M or 2G, got '${text}'`);
  return bytes;
}

export async function run(o: RunOptions): Promise<void> {
  if (!o.inputs) throw new UsageError('run needs --inputs FILE.safetensors');
  if (!o.out) throw new UsageError('run needs --out FILE.safetensors');
  if (o.backend !== 'webgpu' && o.backend !== 'cpu') throw new UsageError(`unknown backend '${o.backend}' (use webgpu or cpu)`);
  if (o.report && o.backend !== 'webgpu') throw new UsageError('--report needs the webgpu backend (the interpreter allocates no GPU memory)');
  if ((o.tokenChunk !== undefined || o.maxMemory !== undefined) && o.backend !== 'webgpu') throw new UsageError(`${o.tokenChunk !== undefined ? '--token-chunk' : '--max-memory'} needs the webgpu backend`);
  if (o.tokenChunk !== undefined && o.maxMemory !== undefined) throw new UsageError('give --token-chunk or --max-memory, not both (--max-memory picks the chunk)');
  if (o.tuning !== undefined && (o.backend !== 'webgpu' || !o.fuse)) throw new UsageError(`--tuning sets the fused block's kernels: it needs the webgpu backend${o.fuse ? '' : ', without --no-fuse'}`);
  const tuningFile = o.tuning === undefined ? undefined : readTuningFile(o.tuning);
  const graph = pickBlock(compileFile(o.file), o.block, o.fuse);
  const tensors: Record<string, Tensor> = { ...readSafetensorsFile(o.inputs).tensors };
  if (o.params) {
    for (const [name, t] of Object.entries(readSafetensorsFile(o.params).tensors)) {
      if (name in tensors) throw new UsageError(`tensor '${name}' is in both ${o.inputs} and ${o.params}`);
      tensors[name] = t;
    }
  }
  if (o.checkFinite) checkFinite(tensors);
  let outputs: TensorMap;
  if (o.backend === 'cpu') outputs = interpret(graph, tensors);
  else {
    const tuned = (dims: Bindings) => (tuningFile ? tuningFor(tuningFile, graph.block, dims) : {});
    const planAt = (dims: Bindings) => generatePlan(graph, { ...tuned(dims), dims, precision: o.precision ?? 'f32' });
    let plan: Plan;
    let tokenChunk = o.tokenChunk;
    if (o.maxMemory === undefined) plan = planAt(kernelDims(graph, tensors, tokenChunk));
    else {
      const dims = bindSymbols(tensorSpecsOf(graph), tensors);
      const fit = fitTokenChunk(planAt, dims, o.maxMemory);
      if (!fit) throw new UsageError(`no run of block ${graph.block} fits in ${formatBytes(o.maxMemory)} of storage: ${noFit(planAt(dims), dims)}`);
      ({ plan, tokenChunk } = fit);
      process.stderr.write(`storage: ${formatBytes(fit.bytes)} planned, ${tokenChunk === undefined ? 'whole' : `in chunks of ${tokenChunk} tokens`}\n`);
    }
    const r = await runOnGpu(plan, tensors, tokenChunk === undefined ? {} : { tokenChunk });
    outputs = r.outputs;
    process.stderr.write(`adapter: ${r.adapter}\n`);
    if (tuningFile) process.stderr.write(`tuned: ${tunedSummary(tuned(kernelDims(graph, tensors, tokenChunk)), graph.block, o.tuning!)}\n`);
    if (o.report) {
      writeFileAtomic(o.report, JSON.stringify(r.report, null, 2) + '\n');
      process.stderr.write(`${formatReport(r.report)}\nwrote the memory report to ${o.report}\n`);
    }
  }
  writeSafetensorsFile(o.out, outputs);
  const summary = Object.entries(outputs).map(([n, t]) => `${n} [${t.shape.join(', ')}]`).join(', ');
  process.stderr.write(`wrote ${summary} to ${o.out}\n`);
}

/** Why nothing fits: the whole run's storage, and the smallest chunk's or why there are none. */
function noFit(plan: Plan, dims: Bindings): string {
  const whole = `the whole run needs ${formatBytes(runStorageBytes(plan, dims))}`;
  if (!plan.chunks || 'why' in plan.chunks) return `${whole}, and it cannot run in token chunks${plan.chunks ? `: ${plan.chunks.why}` : ''}`;
  const smallest = tokenChunkCandidates(plan, dims).at(-1);
  return smallest === undefined ? `${whole}, and no token chunk divides ${plan.chunks.dim}` : `${whole}, chunks of ${smallest} tokens ${formatBytes(runStorageBytes(plan, dims, smallest))}`;
}

/** The sizes the kernels run at: the tensors', or in token chunks one chunk's. */
function kernelDims(graph: Graph, tensors: TensorMap, tokenChunk?: number): Map<string, number> {
  const dims = bindSymbols(tensorSpecsOf(graph), tensors);
  const c = tokenChunk === undefined ? undefined : tokenChunks(graph);
  // A block that cannot run in chunks gets the executor's error, which says why.
  return c && !('why' in c) ? chunkDims(dims, c, tokenChunk!) : new Map(dims);
}
