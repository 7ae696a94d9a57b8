// Block time and plan memory per KV split count, projections inside vs stored, inputs resident on
// the GPU (after npm run build): node bench/scripts/kv-splits.mjs RESOLUTION STAGE BATCH SPLITS,...
// e.g. node bench/scripts/kv-splits.mjs 1280 4 1 16,25,32 (docs/benchmarks-log.md, eighth session).
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { runStorageBytes } from '../../dist/runtime/chunks.js';
import { acquireDevice, EXACT_TIMESTAMPS, Executor } from '../../dist/runtime/webgpu/index.js';
import { resident } from '../../dist/bench/harness.js';
import { compileWorkload, envOf, STAGES, tensorsFor } from '../../dist/bench/workloads.js';
const [R, st, B, list] = process.argv.slice(2);
const S = STAGES[st - 1];
const env = envOf({ B: +B, N: (R / S.stride) ** 2, C: S.C });
const { fused } = compileWorkload('block', S.heads);
const tensors = tensorsFor(fused, env);
const gpu = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
const gt = resident(gpu, tensors).tensors;
const arms = [['stored', { kvProjections: false }], ['inside', {}], ...list.split(',').map((s) => [`inside splits ${s}`, { splits: +s }])];
for (let rep = 0; rep < 2; rep++) for (const [name, o] of arms) {
  const plan = generatePlan(fused, { dims: env, ...o });
  const ex = await Executor.create(gpu, plan, { keepBuffers: true });
  await ex.warmUp(gt, undefined, { outputs: 'buffers' });
  const t = await ex.timeAsRun(gt, { samples: 5, repeats: 5, outputs: 'buffers' });
  console.log(`${R} s${st} B${B} ${name}: ${t.ms.toFixed(3)} ms [${t.spread.map((x) => x.toFixed(3)).join(', ')}], ${(runStorageBytes(plan, env) / 1e6).toFixed(1)} MB`);
  ex.destroy();
}
gpu.destroy();
