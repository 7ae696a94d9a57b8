// Block time with every pass vs without one, inputs resident on the GPU, interleaved (after npm
// run build): node bench/scripts/pass-ab.mjs PASS RESOLUTION STAGES BATCHES [FILE]
// e.g. node bench/scripts/pass-ab.mjs fold-output-projection 1280 1,2,3,4 1,8 (docs/benchmarks-log.md);
// FILE: another one-block .saga file with `const heads = ...` and input x: [B, N, C] instead of
// the SAGA block (e.g. examples/linear.saga).
import { readFileSync } from 'node:fs';
import { PASSES } from '../../dist/compiler/pipeline.js';
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { runStorageBytes } from '../../dist/runtime/chunks.js';
import { acquireDevice, EXACT_TIMESTAMPS, Executor } from '../../dist/runtime/webgpu/index.js';
import { resident } from '../../dist/bench/harness.js';
import { compileWithHeads, compileWorkload, envOf, STAGES, tensorsFor } from '../../dist/bench/workloads.js';
const [pass, R, stages, batches, file] = process.argv.slice(2);
const compile = (heads) => (file ? compileWithHeads(file, readFileSync(file, 'utf8'), heads) : compileWorkload('block', heads));
if (!PASSES.some((p) => p.name === pass)) throw new Error(`no pass ${pass}: ${PASSES.map((p) => p.name).join(', ')}`);
const gpu = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
for (const st of stages.split(',').map(Number)) {
  for (const B of batches.split(',').map(Number)) {
    const S = STAGES[st - 1];
    const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
    const { unfused, fused } = compile(S.heads);
    const without = PASSES.filter((p) => p.name !== pass).reduce((g, p) => p.run(g).graph, unfused);
    const gt = resident(gpu, tensorsFor(fused, env)).tensors;
    const arms = [['all passes', fused], [`without ${pass}`, without]];
    const outs = {};
    for (let rep = 0; rep < 2; rep++) for (const [name, graph] of arms) {
      const plan = generatePlan(graph, { dims: env });
      const ex = await Executor.create(gpu, plan, { keepBuffers: true });
      if (rep === 0) {
        const r = await ex.run(gt, { profile: true });
        outs[name] = r.outputs.y;
        console.log(`  ${name} kernels: ${(r.kernelMs ?? []).map((k) => `${k.name} ${k.ms.toFixed(3)}`).join(', ')}`);
      }
      await ex.warmUp(gt, undefined, { outputs: 'buffers' });
      const t = await ex.timeAsRun(gt, { samples: 5, repeats: 5, outputs: 'buffers' });
      console.log(`${R} s${st} B${B} ${name}: ${t.ms.toFixed(3)} ms [${t.spread.map((x) => x.toFixed(3)).join(', ')}], ${plan.kernels.length} kernels, ${(runStorageBytes(plan, env) / 1e6).toFixed(1)} MB`);
      ex.destroy();
    }
    // The two plans' outputs against each other (each is checked against PyTorch by the bench).
    const [a, b] = arms.map(([name]) => outs[name].data);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
    console.log(`${R} s${st} B${B} max |difference| / max |y|: ${worst.toExponential(2)}`);
  }
}
gpu.destroy();
