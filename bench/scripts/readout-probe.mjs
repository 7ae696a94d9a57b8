// Read-out probe: o = (relu(q) @ s) / (relu(q) · z + eps), the SAGA block's matmul_t35, written
// by the q projection's kernel (matmul_t9: its 128x64 tile's 64 columns are one head, so the tile
// holds that head's q for 128 tokens) instead of a kernel of its own. The fused kernel is a hand
// edit of the generated matmul_t9 (after its slab loop: relu, the row sums q · z through workgroup
// memory, then q @ s in four 16-deep slabs of the tile's own q and of s); a probe for a codegen
// change, not a kernel to ship. Its output is compared with t9 then t35's before timing.
//   node bench/scripts/readout-probe.mjs [check|time] [RESOLUTION] [STAGE:BATCH,...]   (after npm run build)
// check: outputs only (exit 1 past 1e-5 of the largest |o|); time: then GPU timestamps (median of
// 20 passes, best of 3 rounds) of t9 + t35, the fused kernel, t9 and t35. Results: bench/results/readout-*.
import { withMeasuringDevice } from '../../dist/runtime/webgpu/device.js';
import { packUniforms, workgroupCounts } from '../../dist/runtime/webgpu/buffers.js';
import { bindingIds, blockPlan, groupOf, pipelineOf, probeBuffers, readBack, runPass, stageRows, timeArms } from './probe-kit.mjs';

const USAGE = 'usage: node bench/scripts/readout-probe.mjs [check|time] [RESOLUTION] [STAGE:BATCH,...]';
function usage(message) {
  console.error(`readout-probe: ${message}\n${USAGE}`);
  process.exit(2);
}
const [mode = 'time', resolution = '1280', list = '3:1,3:8,4:8'] = process.argv.slice(2);
if (mode !== 'check' && mode !== 'time') usage(`no mode ${mode}`);
const R = Number(resolution);
if (!(R > 0 && R % 32 === 0)) usage(`RESOLUTION ${resolution}: expected a multiple of 32`);
const rows = stageRows(list);
if (!rows) usage(`rows ${list}: expected STAGE:BATCH pairs, e.g. 3:8,4:8`);
const L = [0, 1, 2, 3];
const G = [0, 1];
const X = 'xyzw';
function fusedWgsl(t9) {
  const cut = t9.indexOf('  let mm_row00');
  if (cut < 0) throw new Error('no write section');
  const acc = (g, i) => `mm_v${g}${i}0`;
  const b = [];
  b.push('  let ro_bh = mm_sb * (u[0].y / 64u) + wid.x;');
  for (const g of G) for (const i of L) b.push(`  ${acc(g, i)} = max(${acc(g, i)}, vec4<f32>(0.0));`);
  b.push('  let ro_z = vec4<f32>(z[ro_bh * 64u + lid.x * 4u], z[ro_bh * 64u + lid.x * 4u + 1u], z[ro_bh * 64u + lid.x * 4u + 2u], z[ro_bh * 64u + lid.x * 4u + 3u]);');
  for (const g of G) b.push(`  mm_ta[(${g * 16}u + lid.y) * 16u + lid.x] = vec4<f32>(${L.map((i) => `dot(${acc(g, i)}, ro_z)`).join(', ')});`);
  b.push('  workgroupBarrier();');
  for (const g of G) b.push(`  var ro_d${g} = vec4<f32>(0.0);`);
  b.push('  for (var ro_j = 0u; ro_j < 16u; ro_j = ro_j + 1u) {');
  for (const g of G) b.push(`    ro_d${g} = ro_d${g} + mm_ta[(${g * 16}u + lid.y) * 16u + ro_j];`);
  b.push('  }');
  b.push('  workgroupBarrier();');
  for (const g of G) for (const i of L) b.push(`  var ro_w${g}${i} = vec4<f32>(0.0);`);
  b.push('  for (var ro_c = 0u; ro_c < 4u; ro_c = ro_c + 1u) {');
  b.push('    if (lid.x / 4u == ro_c) {');
  b.push('      let ro_k = (lid.x % 4u) * 4u;');
  for (const g of G) for (const j of L) b.push(`      mm_ta[(ro_k + ${j}u) * 33u + ${g * 16}u + lid.y] = vec4<f32>(${L.map((i) => `${acc(g, i)}.${X[j]}`).join(', ')});`);
  b.push('    }');
  b.push('    mm_tb[lidx] = s[((ro_bh * 64u + ro_c * 16u + lidx / 16u) * 64u + (lidx % 16u) * 4u) / 4u];');
  b.push('    workgroupBarrier();');
  b.push('    for (var mm_p = 0u; mm_p < 16u; mm_p = mm_p + 1u) {');
  for (const g of G) b.push(`      let ro_va${g} = mm_ta[mm_p * 33u + ${g * 16}u + lid.y];`);
  b.push('      let ro_vb = mm_tb[mm_p * 16u + lid.x];');
  for (const g of G) for (const i of L) b.push(`      ro_w${g}${i} = fma(vec4<f32>(ro_va${g}.${X[i]}), ro_vb, ro_w${g}${i});`);
  b.push('    }');
  b.push('    workgroupBarrier();');
  b.push('  }');
  for (const g of G)
    for (const i of L) {
      const row = `mm_r0 + ${g * 64}u + lid.y * 4u + ${i}u`;
      b.push(`  if (${row} < u[0].x) { t9[((mm_sb * u[0].x + ${row}) * u[0].y + mm_c0 + lid.x * 4u) / 4u] = ro_w${g}${i} / (ro_d${g}.${X[i]} + 0.000001f); }`);
    }
  b.push('}', '');
  const head = t9
    .slice(0, cut)
    .replace(
      '@group(0) @binding(3) var<uniform> u',
      '@group(0) @binding(4) var<storage, read> s: array<vec4<f32>>;\n@group(0) @binding(5) var<storage, read> z: array<f32>;\n@group(0) @binding(3) var<uniform> u',
    );
  return head + b.join('\n');
}
await withMeasuringDevice(async (gpu) => {
  const { device } = gpu;
  for (const [st, B] of rows) {
    const { plan, env, d } = blockPlan(R, st, B);
    const kq = plan.kernels.find((k) => k.name === 'matmul_t9');
    const ko = plan.kernels.find((k) => k.name === 'matmul_t35');
    // The edit assumes the 128x64 tile with vec4 rows and d = 64 (stages 3 and 4 of PVT-T).
    if (!kq || !ko || !kq.wgsl.includes('array<vec4<f32>, 528>') || !kq.wgsl.includes('t9: array<vec4<f32>>') || d !== 64) {
      console.log(`${R} s${st} B${B}: no 128x64 matmul_t9 + matmul_t35 in this plan (${plan.kernels.map((k) => k.name).join(', ')})`);
      continue;
    }
    const { buf, uniform, destroy } = probeBuffers(device, plan, env);
    // z positive, so den = relu(q) · z stays away from 0.
    buf('z', { positive: true });
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    const [cq, co] = [kq, ko].map((k) => workgroupCounts(k, env, max));
    const uq = uniform('uq', packUniforms(kq, env));
    const uo = uniform('uo', packUniforms(ko, env));
    const [pq, po, pf] = await Promise.all([kq.wgsl, ko.wgsl, fusedWgsl(kq.wgsl)].map((code) => pipelineOf(device, code)));
    const gq = groupOf(device, pq, [...bindingIds(kq).map((id, i) => [i, buf(id)]), [bindingIds(kq).length, uq]]);
    const go = groupOf(device, po, [...bindingIds(ko).map((id, i) => [i, buf(id)]), [bindingIds(ko).length, uo]]);
    const gf = groupOf(device, pf, [
      [0, buf('x')],
      [1, buf('w_q')],
      [2, buf('o_fused', { like: ko.writes })],
      [3, uq],
      [4, buf('s')],
      [5, buf('z')],
    ]);
    const q = { pipeline: pq, group: gq, counts: cq };
    const o = { pipeline: po, group: go, counts: co };
    const arms = { t9_t35: [q, o], fused: [{ pipeline: pf, group: gf, counts: cq }], t9: [q], t35: [o] };
    await runPass(device, arms.t9_t35);
    await runPass(device, arms.fused);
    const [want, got] = await Promise.all([readBack(device, buf(ko.writes)), readBack(device, buf('o_fused'))]);
    let scale = 0;
    let worst = 0;
    for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
    if (worst > 1e-5 * scale) process.exitCode = 1;
    const times = mode === 'time' ? `; ${await timeArms(gpu, arms)}` : '';
    console.log(`${R} s${st} B${B}: max |fused - t35| / max |t35| ${(worst / scale).toExponential(2)}${times}`);
    destroy();
  }
});
