// Kernel A/B on the current adapter: the SAGA block's fused plan with each matmul tile size
// (and, optionally, Dawn's bounds-check robustness off), per-kernel GPU times from timestamp
// queries, median of --repeat profiled runs. Used to choose codegen defaults; docs/benchmarks.md.
//   node dist/bench/layouts.js --size 1280 --stages 1,4 --batch 8 --repeat 5 [--unsafe]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePlan, type CodegenOptions } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { inputsOf, paramsOf } from '../compiler/ir.js';
import { SagaError } from '../runtime/errors.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../runtime/webgpu/index.js';

const STAGES = [
  { C: 64, heads: 1, stride: 4 },
  { C: 128, heads: 2, stride: 8 },
  { C: 320, heads: 5, stride: 16 },
  { C: 512, heads: 8, stride: 32 },
];

const USAGE = 'usage: node dist/bench/layouts.js [--size 1280] [--stages 1,2,3,4] [--batch 8] [--repeat 5] [--unsafe] [--out FILE.json]';
function args() {
  try {
    return parseArgs({
      options: {
        size: { type: 'string', default: '1280' },
        stages: { type: 'string', default: '1,2,3,4' },
        batch: { type: 'string', default: '8' },
        repeat: { type: 'string', default: '5' },
        unsafe: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    console.error(`layouts: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const values = args();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** Dawn rounds timestamps (to about 65 µs seen on an H100) unless this toggle is off. */
const EXACT = ['disable-dawn-features=timestamp_quantization'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function profile(gpu: GpuContext, source: string, env: Map<string, number>, options: CodegenOptions, tensors: Record<string, Tensor>) {
  const r = compileSource(source, 'examples/saga.saga');
  const ex = await Executor.create(gpu, generatePlan(r.optimized[0], options), { keepBuffers: true });
  try {
    let out = (await ex.run(tensors)).outputs.y.data;
    const per = new Map<string, number[]>();
    for (let i = 0; i < Number(values.repeat); i++) {
      const run = await ex.run(tensors, { profile: true });
      out = run.outputs.y.data;
      for (const k of run.kernelMs ?? []) per.set(k.name, [...(per.get(k.name) ?? []), k.ms]);
    }
    const wall = (await ex.run(tensors, { repeatKernels: Number(values.repeat) * 4 })).kernelsWallMs!;
    return { kernels: [...per].map(([name, ms]) => ({ name, ms: median(ms) })), out, wall };
  } finally {
    ex.destroy();
  }
}

async function main() {
  const template = readFileSync(join(import.meta.dirname, '../../examples/saga.saga'), 'utf8');
  const arms: { name: string; options: CodegenOptions; flags: string[] }[] = [
    { name: 'tile 64', options: { matmulTile: 64 }, flags: EXACT },
    { name: 'tile 128', options: { matmulTile: 128 }, flags: EXACT },
    ...(values.unsafe ? [{ name: 'tile 64, robustness off', options: { matmulTile: 64 as const }, flags: [...EXACT, 'enable-dawn-features=allow_unsafe_apis,disable_robustness'] }] : []),
  ];
  const rows: unknown[] = [];
  for (const s of values.stages.split(',').map(Number)) {
    const st = STAGES[s - 1];
    const B = Number(values.batch);
    const N = (Number(values.size) / st.stride) ** 2;
    const source = template.replace(/const heads = \d+/, `const heads = ${st.heads}`);
    const g = compileSource(source, 'examples/saga.saga').graphs[0];
    const env = new Map([['B', B], ['N', N], ['C', st.C]]);
    const next = rng(1);
    const tensors: Record<string, Tensor> = {};
    for (const n of inputsOf(g)) tensors[n.name] = randomTensor(evalShape(n.shape, env), next);
    for (const n of paramsOf(g)) {
      const shape = evalShape(n.shape, env);
      tensors[n.name] = randomTensor(shape, next, shape.length === 2 ? 1 / Math.sqrt(shape[0]) : 0.5);
    }
    const results: { arm: string; kernels: { name: string; ms: number }[]; out: Float32Array; wall: number }[] = [];
    for (const arm of arms) {
      const gpu = await acquireDevice({ dawnFlags: arm.flags });
      try {
        results.push({ arm: arm.name, ...(await profile(gpu, source, env, arm.options, tensors)) });
      } finally {
        gpu.destroy();
      }
    }
    console.log(`\nstage ${s}: N=${N} C=${st.C} heads=${st.heads} B=${B}`);
    console.log(`${'kernel'.padEnd(28)}${results.map((r) => r.arm.padStart(22)).join('')}`);
    for (let i = 0; i < results[0].kernels.length; i++) {
      console.log(`${results[0].kernels[i].name.padEnd(28)}${results.map((r) => (r.kernels[i]?.ms.toFixed(3) ?? '—').padStart(22)).join('')}`);
    }
    const totals = results.map((r) => r.kernels.reduce((a, k) => a + k.ms, 0));
    console.log(`${'total (timestamps)'.padEnd(28)}${totals.map((t) => t.toFixed(3).padStart(22)).join('')}`);
    console.log(`${'block, wall per repeat'.padEnd(28)}${results.map((r) => r.wall.toFixed(3).padStart(22)).join('')}`);
    const agree = results.map((r) => maxRelativeError(r.out, results[0].out));
    console.log(`${'max rel. diff vs first'.padEnd(28)}${agree.map((e) => e.toExponential(1).padStart(22)).join('')}`);
    rows.push({ stage: s, N, C: st.C, heads: st.heads, B, arms: results.map((r, i) => ({ arm: r.arm, totalMs: totals[i], wallMsPerRepeat: r.wall, kernels: r.kernels, diffVsFirst: agree[i] })) });
  }
  if (values.out) writeFileSync(values.out, JSON.stringify({ size: Number(values.size), rows }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e instanceof SagaError ? `layouts: ${e.message}` : e);
  process.exit(1);
});
