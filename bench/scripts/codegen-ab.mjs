// One workload under several codegen choices, inputs resident on the GPU, arms interleaved
// (after npm run build):
//   node bench/scripts/codegen-ab.mjs WORKLOAD RESOLUTION STAGES BATCHES ARM...
// WORKLOAD: block, core, or a one-block .saga file with `const heads = ...` and input x: [B, N, C].
// ARM: LABEL=JSON, CodegenOptions fields given to generatePlan besides the sizes, e.g.
//   'simple={"tuning":{"outer_mean_s_projected":{"schedule":"simple"}}}'
// or LABEL@DIR=JSON: the compiler, plan and executor from another build's output (`npx tsc -p
// tsconfig.build.json --outDir DIR` of other code; DIR/examples and DIR/bench/saga_core.saga
// linked to the sources it reads), for an A/B of two versions of the compiler.
// JSON may also hold "wgsl": {"KERNEL": "FILE.wgsl"}: that kernel's generated WGSL replaced by the
// file's (same bindings and uniforms), to time a hand-edited kernel before writing its codegen.
// Prints each arm's kernels once, its ms per round (median of 5 samples of 5 runs), and the largest
// difference of its output from the first arm's, relative to the first arm's largest |value|.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runStorageBytes } from '../../dist/runtime/chunks.js';
import { acquireDevice, EXACT_TIMESTAMPS } from '../../dist/runtime/webgpu/index.js';
import { resident } from '../../dist/bench/harness.js';
import { envOf, STAGES, tensorsFor } from '../../dist/bench/workloads.js';

const USAGE = 'usage: node bench/scripts/codegen-ab.mjs WORKLOAD RESOLUTION STAGES BATCHES LABEL[@DIR]=JSON...';
/** A mistake in the command line: said in one line, no stack trace. */
function usage(message) {
  console.error(`codegen-ab: ${message}\n${USAGE}`);
  process.exit(2);
}
const [workload, R, stages, batches, ...armArgs] = process.argv.slice(2);
if (!armArgs.length) usage('expected at least one arm');
if (!(Number(R) > 0 && Number(R) % 32 === 0)) usage(`RESOLUTION ${R}: expected a multiple of 32 (224, 512, 1024, 1280)`);
const stageList = (stages ?? '').split(',').map(Number);
const batchList = (batches ?? '').split(',').map(Number);
if (!stageList.every((st) => Number.isInteger(st) && st >= 1 && st <= 4)) usage(`STAGES ${stages}: expected PVT-T stages from 1 to 4, e.g. 1,2,3,4`);
if (!batchList.every((b) => Number.isInteger(b) && b >= 1)) usage(`BATCHES ${batches}: expected whole numbers, e.g. 1,8`);
if (workload !== 'block' && workload !== 'core' && !existsSync(workload)) usage(`WORKLOAD ${workload}: not block, core or a .saga file`);
const ROUNDS = 3;
const dist = resolve(new URL('../../dist', import.meta.url).pathname);
const arms = await Promise.all(
  armArgs.map(async (arg) => {
    const m = /^([^=@]+)(?:@([^=]+))?=(.*)$/s.exec(arg);
    if (!m) usage(`arm ${arg}: expected LABEL=JSON or LABEL@DIR=JSON`);
    let options;
    try {
      options = JSON.parse(m[3] || '{}');
    } catch (e) {
      usage(`arm ${m[1]}: ${e.message}`);
    }
    const { wgsl = {}, ...rest } = options;
    options = rest;
    const edits = Object.entries(wgsl).map(([kernel, file]) => {
      if (!existsSync(file)) usage(`arm ${m[1]}: no WGSL file ${file} for kernel ${kernel}`);
      return [kernel, readFileSync(file, 'utf8')];
    });
    const root = m[2] ? resolve(m[2]) : dist;
    const load = (p) => import(pathToFileURL(`${root}/${p}`).href);
    const [{ generatePlan }, { Executor }, workloads] = await Promise.all([load('codegen/wgsl/index.js'), load('runtime/webgpu/index.js'), load('bench/workloads.js')]);
    const compile = (heads) =>
      workload === 'block' || workload === 'core' ? workloads.compileWorkload(workload, heads) : workloads.compileWithHeads(workload, readFileSync(workload, 'utf8'), heads);
    return { label: m[1], options, edits, generatePlan, Executor, compile };
  }),
);
/** The plan with the arm's hand-edited kernels in place of the generated ones. */
function withEdits(arm, plan) {
  for (const [kernel] of arm.edits) if (!plan.kernels.some((k) => k.name === kernel)) usage(`arm ${arm.label}: the plan has no kernel ${kernel}`);
  const edited = new Map(arm.edits);
  return { ...plan, kernels: plan.kernels.map((k) => (edited.has(k.name) ? { ...k, wgsl: edited.get(k.name) } : k)) };
}
const gpu = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
for (const st of stageList) {
  for (const B of batchList) {
    const S = STAGES[st - 1];
    const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
    const graphs = new Map(arms.map((a) => [a.label, a.compile(S.heads).fused]));
    const gt = resident(gpu, tensorsFor(graphs.get(arms[0].label), env)).tensors;
    const row = `${R} s${st} B${B}`;
    const ms = new Map(arms.map((a) => [a.label, []]));
    let first;
    for (let round = 0; round < ROUNDS; round++) {
      for (const arm of arms) {
        const plan = withEdits(arm, arm.generatePlan(graphs.get(arm.label), { ...arm.options, dims: env }));
        const ex = await arm.Executor.create(gpu, plan, { keepBuffers: true }).catch((e) => {
          // A hand-edited kernel that does not compile is the arm's mistake: one line, no stack trace.
          // The device goes first: Dawn can crash in exit() with one alive (status null, not 2).
          if (arm.edits.length) {
            gpu.destroy();
            usage(`arm ${arm.label}: ${String(e.message).split('\n')[0]}`);
          }
          throw e;
        });
        if (round === 0) {
          const r = await ex.run(gt, { profile: true });
          const out = Object.values(r.outputs)[0].data;
          first ??= out;
          let scale = 0;
          let worst = 0;
          for (let i = 0; i < first.length; i++) scale = Math.max(scale, Math.abs(first[i]));
          for (let i = 0; i < first.length; i++) worst = Math.max(worst, Math.abs(out[i] - first[i]) / scale);
          const kernels = (r.kernelMs ?? []).map((k) => `${k.name} ${k.ms.toFixed(3)}`).join(', ');
          console.log(`${row} ${arm.label}: ${plan.kernels.length} kernels, ${(runStorageBytes(plan, env) / 1e6).toFixed(1)} MB, max |diff| / max |y| ${worst.toExponential(2)}; ${kernels}`);
        }
        await ex.warmUp(gt, undefined, { outputs: 'buffers' });
        const t = await ex.timeAsRun(gt, { samples: 5, repeats: 5, outputs: 'buffers' });
        ms.get(arm.label).push(t.ms);
        ex.destroy();
      }
    }
    const base = Math.min(...ms.get(arms[0].label));
    for (const [label, t] of ms) {
      const best = Math.min(...t);
      console.log(`${row} ${label}: ${t.map((x) => x.toFixed(3)).join(' ')} ms (best ${best.toFixed(3)}, ${((best / base - 1) * 100).toFixed(1)}% vs ${arms[0].label})`);
    }
  }
}
gpu.destroy();
