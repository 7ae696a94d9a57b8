// `npm run bench`: the SAGA block of examples/saga.saga at PVT-T's stage sizes, fused vs unfused,
// on the default WebGPU adapter. Run time: submit to onSubmittedWorkDone of a whole run (queued
// uploads, kernels, read-back copies), median of --repeat runs after one warm-up; with --profile
// also each kernel's time from timestamp queries. Memory: every buffer the plan allocates (all
// live at once in one run). docs/benchmarks.md has the method and the figures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePlan } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../compiler/ir.js';
import { SagaError } from '../runtime/errors.js';
import { writeSafetensorsFile } from '../runtime/safetensors-file.js';
import type { Plan } from '../runtime/plan.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape, numel } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, Executor } from '../runtime/webgpu/index.js';

const STAGES = [
  { C: 64, heads: 1, stride: 4 },
  { C: 128, heads: 2, stride: 8 },
  { C: 320, heads: 5, stride: 16 },
  { C: 512, heads: 8, stride: 32 },
];

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '224,512,1024,1280' },
    batch: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/results' },
    stages: { type: 'string', default: '1,2,3,4' },
    // Write x, the params and the fused output of each batch-1 run at the smallest size here,
    // for bench/torch/saga_bench.py --check.
    dump: { type: 'string' },
    // One more run per arm with timestamp queries: GPU time per kernel.
    profile: { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').map(Number);

function planBytes(plan: Plan, env: ReadonlyMap<string, number>): number {
  return plan.buffers.reduce((sum, b) => sum + 4 * Math.max(1, numel(evalShape(b.shape, env))), 0);
}

function tensorsFor(g: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
  const next = rng(1);
  const t: Record<string, Tensor> = {};
  for (const n of inputsOf(g)) t[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(g)) {
    const shape = evalShape(n.shape, env);
    t[n.name] = randomTensor(shape, next, shape.length === 2 ? 1 / Math.sqrt(shape[0]) : 0.5);
  }
  return t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const gpu = await acquireDevice();
  const source = readFileSync(join(import.meta.dirname, '../../examples/saga.saga'), 'utf8');
  const rows: Record<string, unknown>[] = [];
  console.log(`adapter: ${gpu.describe()}`);
  console.log('size  stage      N    C  h  B |  fused ms   unfused ms  speed-up |  fused MB  unfused MB | fused err');
  try {
    for (const R of list(values.sizes)) {
      for (const s of list(values.stages)) {
        const st = STAGES[s - 1];
        for (const B of list(values.batch)) {
          const N = (R / st.stride) ** 2;
          const r = compileSource(source.replace(/const heads = \d+/, `const heads = ${st.heads}`), 'examples/saga.saga');
          const env = new Map([['B', B], ['N', N], ['C', st.C]]);
          const tensors = tensorsFor(r.graphs[0], env);
          const arms: Record<string, { ms?: number; spread?: [number, number]; bytes: number; error?: string; out?: Float32Array; kernels?: readonly { name: string; ms: number }[] }> = {};
          for (const [arm, g] of [['fused', r.optimized[0]], ['unfused', r.graphs[0]]] as const) {
            const plan = generatePlan(g);
            const bytes = planBytes(plan, env);
            try {
              const ex = await Executor.create(gpu, plan, { keepBuffers: true });
              let last = await ex.run(tensors);
              const times: number[] = [];
              for (let i = 0; i < Number(values.repeat); i++) {
                last = await ex.run(tensors);
                times.push(last.timings.gpuMs);
              }
              const kernels = values.profile ? (await ex.run(tensors, { profile: true })).kernelMs : undefined;
              if (kernels) {
                const total = kernels.reduce((s, k) => s + k.ms, 0);
                const top = [...kernels].sort((a, b) => b.ms - a.ms).slice(0, 4);
                console.log(`      ${arm} kernels: ${total.toFixed(2)} ms in all; ${top.map((k) => `${k.name} ${k.ms.toFixed(2)}`).join(', ')}`);
              }
              ex.destroy();
              arms[arm] = { ms: median(times), spread: [Math.min(...times), Math.max(...times)], bytes, out: last.outputs.y.data, kernels };
            } catch (e) {
              if (!(e instanceof SagaError)) throw e;
              arms[arm] = { bytes, error: e.message };
            }
          }
          if (values.dump && B === 1 && R === list(values.sizes)[0] && arms.fused.out) {
            mkdirSync(values.dump, { recursive: true });
            writeSafetensorsFile(join(values.dump, `saga_${R}_s${s}_h${st.heads}.safetensors`), { ...tensors, y: { shape: [B, N, st.C], data: arms.fused.out } });
          }
          const f = arms.fused;
          const u = arms.unfused;
          const err = f.out && u.out ? maxRelativeError(f.out, u.out) : undefined;
          const fmt = (x?: number, d = 2) => (x === undefined ? '—' : x.toFixed(d));
          const kernelSum = (a: { kernels?: readonly { ms: number }[] }) => a.kernels?.reduce((s, k) => s + k.ms, 0);
          console.log(
            `${String(R).padStart(4)}  ${s}  ${String(N).padStart(9)} ${String(st.C).padStart(4)} ${st.heads} ${String(B).padStart(2)} | ${fmt(f.ms).padStart(9)} ${fmt(u.ms).padStart(12)} ${(f.ms && u.ms ? `${(u.ms / f.ms).toFixed(2)}x` : '—').padStart(9)} | ${fmt(f.bytes / 1e6, 1).padStart(9)} ${fmt(u.bytes / 1e6, 1).padStart(11)} | ${err === undefined ? (u.error ? 'unfused: over limits' : '—') : err.toExponential(1)}`,
          );
          rows.push({ size: R, stage: s, N, C: st.C, heads: st.heads, B, fused: { ms: f.ms, kernelMs: kernelSum(f), spread: f.spread, bytes: f.bytes, error: f.error, kernels: f.kernels }, unfused: { ms: u.ms, kernelMs: kernelSum(u), spread: u.spread, bytes: u.bytes, error: u.error, kernels: u.kernels }, fusedVsUnfusedError: err });
        }
      }
    }
  } finally {
    gpu.destroy();
  }
  mkdirSync(values.out, { recursive: true });
  const name = `${gpu.info.device || gpu.info.description || 'adapter'}-${new Date().toISOString().slice(0, 10)}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  const file = join(values.out, `${name}.json`);
  writeFileSync(file, JSON.stringify({ adapter: gpu.describe(), method: 'GPU time = submit to onSubmittedWorkDone, median', rows }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e instanceof SagaError ? `bench: ${e.message}` : e);
  process.exit(1);
});
