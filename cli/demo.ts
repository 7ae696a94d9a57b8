// `sagac demo FILE`: the quick-start job. Compiles a block, runs it on the default WebGPU adapter
// and in the float64 interpreter on the same seeded random tensors, and reports the adapter,
// the max relative error and the timings.
import { performance } from 'node:perf_hooks';
import { generatePlan } from '../codegen/wgsl/index.js';
import { inputsOf, paramsOf } from '../compiler/ir.js';
import { interpret } from '../runtime/interpreter.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { compileFile, pickBlock, UsageError } from './common.js';
import { openGpu } from './gpu.js';

export interface DemoOptions {
  file: string;
  block?: string;
  dims: readonly string[];
  seed: number;
  repeat: number;
  tolerance: number;
}

const DEFAULT_DIMS: Record<string, number> = { B: 1, N: 1024, C: 64 };

export async function demo(o: DemoOptions): Promise<boolean> {
  const t0 = performance.now();
  const result = compileFile(o.file);
  const graph = pickBlock(result, o.block);
  const plan = generatePlan(graph);
  const compileMs = performance.now() - t0;

  const env = new Map<string, number>();
  for (const s of graph.symbols) env.set(s, DEFAULT_DIMS[s] ?? 16);
  for (const kv of o.dims) {
    const m = /^([A-Za-z_]\w*)=(\d+)$/.exec(kv);
    if (!m || !graph.symbols.includes(m[1])) throw new UsageError(`--dim expects NAME=SIZE with NAME one of ${graph.symbols.join(', ')}; got '${kv}'`);
    env.set(m[1], Number(m[2]));
  }
  const next = rng(o.seed);
  const tensors: Record<string, Tensor> = {};
  for (const n of inputsOf(graph)) tensors[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(graph)) {
    const shape = evalShape(n.shape, env);
    tensors[n.name] = randomTensor(shape, next, shape.length >= 2 ? 1 / Math.sqrt(shape[shape.length - 2]) : 0.5);
  }
  const sizes = [...env].map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`sagac demo: ${o.file}, block ${graph.block} (${sizes})`);
  console.log(`  compile:  ${compileMs.toFixed(1)} ms (parse, IR, ${plan.kernels.length} WGSL kernels)`);

  const gpu = await openGpu();
  try {
    console.log(`  adapter:  ${gpu.adapter}`);
    const c0 = performance.now();
    const executor = await gpu.executor(plan);
    const pipelineMs = performance.now() - c0;
    const first = await executor.run(tensors);
    const times: number[] = [];
    let last = first;
    for (let i = 0; i < o.repeat; i++) {
      const s = performance.now();
      last = await executor.run(tensors);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const median = times.length ? times[Math.floor(times.length / 2)] : NaN;
    console.log(`  webgpu:   pipelines ${pipelineMs.toFixed(1)} ms; first run ${first.timings.totalMs.toFixed(1)} ms; then median ${median.toFixed(1)} ms over ${o.repeat} runs`);
    console.log(`            (a run: upload ${last.timings.uploadMs.toFixed(1)} ms, ${plan.kernels.length} dispatches ${last.timings.gpuMs.toFixed(1)} ms, read-back ${last.timings.readbackMs.toFixed(1)} ms)`);

    const c = performance.now();
    const ref = interpret(graph, tensors);
    console.log(`  cpu:      ${(performance.now() - c).toFixed(1)} ms (float64 interpreter)`);

    let worst = 0;
    for (const out of graph.outputs) {
      const err = maxRelativeError(last.outputs[out.name].data, ref[out.name].data);
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
      console.log(`  output ${out.name} [${ref[out.name].shape.join(', ')}]: max relative error ${err.toExponential(2)} (webgpu f32 vs float64)`);
    }
    const pass = worst <= o.tolerance;
    console.log(pass ? `  ok: within ${o.tolerance}` : `  FAILED: error above ${o.tolerance}`);
    return pass;
  } finally {
    gpu.close();
  }
}
