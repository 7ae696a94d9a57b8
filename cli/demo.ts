// `sagac demo FILE`: the quick-start job. Compiles a block, runs it fused and unfused on the
// default WebGPU adapter and in the float64 interpreter on the same seeded random tensors, and
// reports the adapter, the max relative error of each arm and the timings.
import { performance } from 'node:perf_hooks';
import { generatePlan, type CodegenOptions } from '../codegen/wgsl/index.js';
import { tunedSummary, tuningFor } from '../codegen/wgsl/tuning.js';
import type { Graph } from '../compiler/ir.js';
import { bindSymbols, tensorSpecsOf } from '../runtime/bind.js';
import { interpret } from '../runtime/interpreter.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { SagaError, ShaderError } from '../runtime/errors.js';
import { median } from '../runtime/webgpu/index.js';
import { compileFile, parseDims, pickBlock, randomTensors, readTuningFile } from './common.js';
import { openGpu, type Gpu } from './gpu.js';

export interface DemoOptions {
  file: string;
  block?: string;
  dims: readonly string[];
  seed: number;
  repeat: number;
  tolerance: number;
  /** Tensor storage on the GPU (f32 unless --precision f16). */
  precision?: 'f32' | 'f16';
  /** A tuning file (`sagac tune`): the fused arm takes its entries for these sizes (as `build --dim` does). */
  tuning?: string;
}


/**
 * Builds the pipelines, runs once to warm up, then `repeat` timed runs; returns the last outputs,
 * or undefined (after saying why) when the arm cannot run here, e.g. a buffer over the limits.
 */
async function timeArm(gpu: Gpu, label: string, graph: Graph, tensors: Record<string, Tensor>, repeat: number, codegen: CodegenOptions) {
  try {
    return await timeArmOrThrow(gpu, label, graph, tensors, repeat, codegen);
  } catch (e) {
    // A rejected kernel is a bug: the caller reports it on the .saga line it came from.
    if (!(e instanceof SagaError) || e instanceof ShaderError) throw e;
    console.log(`  webgpu ${label.padEnd(8)} cannot run: ${e.message}`);
    return undefined;
  }
}

async function timeArmOrThrow(gpu: Gpu, label: string, graph: Graph, tensors: Record<string, Tensor>, repeat: number, codegen: CodegenOptions) {
  const plan = generatePlan(graph, { ...codegen, dims: bindSymbols(tensorSpecsOf(graph), tensors) });
  const c0 = performance.now();
  const executor = await gpu.executor(plan);
  const pipelineMs = performance.now() - c0;
  let last = await executor.run(tensors);
  // The kernels alone (one more pass over them after each run: timestamps where the adapter has
  // them, else wall clock), and the whole run with its uploads and read-back.
  const kernels: number[] = [];
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    last = await executor.run(tensors, { repeatKernels: 1, timeBlock: true });
    kernels.push(last.blockMs ?? last.kernelsWallMs!);
    runs.push(last.timings.gpuMs);
  }
  const mid = kernels.length ? median(kernels) : last.timings.gpuMs;
  const spread = kernels.length ? `${Math.min(...kernels).toFixed(2)}–${Math.max(...kernels).toFixed(2)}` : '-';
  const clock = last.blockMs !== undefined ? 'GPU timestamps' : 'wall clock';
  const whole = runs.length ? `; a whole run with uploads and read-back ${median(runs).toFixed(1)} ms` : '';
  console.log(`  webgpu ${label.padEnd(8)} ${plan.kernels.length} kernels: ${mid.toFixed(2)} ms (${spread}, ${clock}) over ${repeat} runs${whole}; pipelines ${pipelineMs.toFixed(0)} ms`);
  return { outputs: last.outputs, median: mid };
}

export async function demo(o: DemoOptions): Promise<boolean> {
  const t0 = performance.now();
  const result = compileFile(o.file);
  const graph = pickBlock(result, o.block);
  const fused = pickBlock(result, o.block, true);
  const compileMs = performance.now() - t0;

  const env = parseDims(graph, o.dims);
  const tuning = o.tuning === undefined ? undefined : tuningFor(readTuningFile(o.tuning), fused.block, env);
  const tensors = randomTensors(graph, env, o.seed);
  console.log(`sagac demo: ${o.file}, block ${graph.block} (${[...env].map(([k, v]) => `${k}=${v}`).join(' ')})`);
  console.log(`  compile:  ${compileMs.toFixed(1)} ms (parse, IR, ${result.rewrites.length} rewrites)`);

  const gpu = await openGpu();
  try {
    console.log(`  adapter:  ${gpu.adapter}`);
    const precision = o.precision ?? 'f32';
    if (tuning) console.log(`  tuned:    ${tunedSummary(tuning, fused.block, o.tuning!)}`);
    const arms = { fused: await timeArm(gpu, 'fused', fused, tensors, o.repeat, { precision, ...tuning }), unfused: await timeArm(gpu, 'unfused', graph, tensors, o.repeat, { precision }) };
    if (!arms.fused) return false;
    if (arms.unfused) console.log(`  fused vs unfused: ${(arms.unfused.median / arms.fused.median).toFixed(2)}x (kernel time ratio, this adapter)`);

    const c = performance.now();
    const ref = interpret(graph, tensors);
    console.log(`  cpu:      ${(performance.now() - c).toFixed(1)} ms (float64 interpreter, the block as written)`);

    let worst = 0;
    for (const out of graph.outputs) {
      for (const [label, arm] of Object.entries(arms)) {
        if (!arm) continue;
        const err = maxRelativeError(arm.outputs[out.name].data, ref[out.name].data);
        worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
        console.log(`  output ${out.name} [${ref[out.name].shape.join(', ')}] ${label}: max relative error ${err.toExponential(2)} (webgpu ${o.precision ?? 'f32'} storage vs float64)`);
      }
    }
    const pass = worst <= o.tolerance;
    console.log(pass ? `  ok: within ${o.tolerance}` : `  FAILED: error above ${o.tolerance}`);
    return pass;
  } finally {
    gpu.close();
  }
}
