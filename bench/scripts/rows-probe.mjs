// Row-sum probe: writes hand edits of a matmul kernel that hosts a row reduction (the SAGA
// block's matmul_t35, q @ s with den = q · z alongside; the core's matmul_y) for
// bench/scripts/codegen-ab.mjs to time in place of the generated one: `norows`, the row sums
// left out (den stays 0: wrong outputs, timing only), and `rowsu`, each slab's 16 row terms
// written out and added as a tree (same outputs up to rounding).
//   node bench/scripts/rows-probe.mjs DIR [RESOLUTION] [WORKLOAD:STAGE:BATCH,...]   (after npm run build)
// writes DIR/<workload>-<kernel>-s<stage>-b<batch>-{base,norows,rowsu}.wgsl and prints the
// codegen-ab command for each. Results: bench/results/rows-variants-*.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { compileWorkload, envOf, STAGES } from '../../dist/bench/workloads.js';

const USAGE = 'usage: node bench/scripts/rows-probe.mjs DIR [RESOLUTION] [WORKLOAD:STAGE:BATCH,...]';
function usage(message) {
  console.error(`rows-probe: ${message}\n${USAGE}`);
  process.exit(2);
}
const [dir, resolution = '1280', list = 'block:3:8,block:4:8,core:1:8,core:2:8'] = process.argv.slice(2);
if (!dir) usage('expected an output directory');
const R = Number(resolution);
if (!(R > 0 && R % 32 === 0)) usage(`RESOLUTION ${resolution}: expected a multiple of 32`);
const jobs = list.split(',').map((s) => s.split(':'));
for (const [wl, st, B] of jobs) {
  if ((wl !== 'block' && wl !== 'core') || !(Number(st) >= 1 && Number(st) <= 4) || !(Number(B) >= 1)) usage(`${wl}:${st}:${B}: expected WORKLOAD:STAGE:BATCH, e.g. block:3:8`);
}
mkdirSync(dir, { recursive: true });
// The generated rows loop: one thread a row adds the slab's 16 terms (codegen/wgsl/matmul.ts).
const LOOP =
  /^( +)if \(lidx < (\d+)u\) \{\n +for \(var rd_p = 0u; rd_p < (\d+)u; rd_p = rd_p \+ 1u\) \{\n +let rd_k = mm_k0 \+ rd_p;\n +if \(rd_k < mm_kend\) \{ rd_acc = rd_acc \+ (.*); \}\n +\}\n +\}\n/m;
for (const [wl, st, B] of jobs) {
  const S = STAGES[Number(st) - 1];
  const env = envOf({ B: Number(B), N: (R / S.stride) ** 2, C: S.C });
  const plan = generatePlan(compileWorkload(wl, S.heads).fused, { dims: env });
  const kernel = plan.kernels.find((k) => LOOP.test(k.wgsl));
  if (!kernel) {
    console.log(`${wl} s${st} B${B}: no kernel hosts a row sum (${plan.kernels.map((k) => k.name).join(', ')})`);
    continue;
  }
  const [loop, indent, threads, slab, term] = LOOP.exec(kernel.wgsl);
  const terms = Array.from({ length: Number(slab) }, (_, p) => `rd_t${p}`);
  const tree = (xs) => (xs.length === 1 ? xs[0] : `(${tree(xs.slice(0, xs.length / 2))} + ${tree(xs.slice(xs.length / 2))})`);
  const unrolled = [
    `${indent}if (lidx < ${threads}u) {`,
    ...terms.map((t, p) => `${indent}  let ${t} = select(0.0, ${term.replaceAll('rd_p', `${p}u`).replaceAll('rd_k', `min(mm_k0 + ${p}u, mm_kend - 1u)`)}, mm_k0 + ${p}u < mm_kend);`),
    `${indent}  rd_acc = rd_acc + ${tree(terms)};`,
    `${indent}}`,
    '',
  ].join('\n');
  const base = join(dir, `${wl}-${kernel.name}-s${st}-b${B}`);
  writeFileSync(`${base}-base.wgsl`, kernel.wgsl);
  writeFileSync(`${base}-norows.wgsl`, kernel.wgsl.replace(loop, ''));
  writeFileSync(`${base}-rowsu.wgsl`, kernel.wgsl.replace(loop, unrolled));
  const arm = (v) => `'${v}={"wgsl":{"${kernel.name}":"${base}-${v}.wgsl"}}'`;
  console.log(`node bench/scripts/codegen-ab.mjs ${wl} ${R} ${st} ${B} 'base={}' ${arm('norows')} ${arm('rowsu')}`);
}
