// Read-out probe: o = (relu(q) @ s) / (relu(q) · z + eps), the SAGA block's matmul_t35, written
// by the q projection's kernel (matmul_t9: its 128x64 tile's 64 columns are one head, so the tile
// holds that head's q for 128 tokens) instead of a kernel of its own. The fused kernel is a hand
// edit of the generated matmul_t9 (after its slab loop: relu, the row sums q · z through workgroup
// memory, then q @ s in four 16-deep slabs of the tile's own q and of s); a probe for a codegen
// change, not a kernel to ship. Its output is compared with t9 then t35's before timing.
//   node bench/scripts/readout-probe.mjs [check|time] [RESOLUTION] [STAGE:BATCH,...]   (after npm run build)
// check: outputs only (exit 1 past 1e-5 of the largest |o|); time: then GPU timestamps (median of
// 20 passes, best of 3 rounds) of t9 + t35, the fused kernel, t9 and t35. Results: bench/results/readout-*.
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { compileWorkload, envOf, STAGES } from '../../dist/bench/workloads.js';
import { withMeasuringDevice } from '../../dist/runtime/webgpu/device.js';
import { packUniforms, workgroupCounts, createUniform } from '../../dist/runtime/webgpu/buffers.js';
import { evalShape, numel } from '../../dist/runtime/shape.js';

const USAGE = 'usage: node bench/scripts/readout-probe.mjs [check|time] [RESOLUTION] [STAGE:BATCH,...]';
function usage(message) {
  console.error(`readout-probe: ${message}\n${USAGE}`);
  process.exit(2);
}
const [mode = 'time', resolution = '1280', list = '3:1,3:8,4:8'] = process.argv.slice(2);
if (mode !== 'check' && mode !== 'time') usage(`no mode ${mode}`);
const R = Number(resolution);
if (!(R > 0 && R % 32 === 0)) usage(`RESOLUTION ${resolution}: expected a multiple of 32`);
const rows = list.split(',').map((s) => s.split(':').map(Number));
if (!rows.every(([st, B]) => Number.isInteger(st) && st >= 1 && st <= 4 && Number.isInteger(B) && B >= 1)) usage(`rows ${list}: expected STAGE:BATCH pairs, e.g. 3:8,4:8`);
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
    const S = STAGES[st - 1];
    const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
    const plan = generatePlan(compileWorkload('block', S.heads).fused, { dims: env });
    const kq = plan.kernels.find((k) => k.name === 'matmul_t9');
    const ko = plan.kernels.find((k) => k.name === 'matmul_t35');
    // The edit assumes the 128x64 tile with vec4 rows and d = 64 (stages 3 and 4 of PVT-T).
    if (!kq || !ko || !kq.wgsl.includes('array<vec4<f32>, 528>') || !kq.wgsl.includes('t9: array<vec4<f32>>') || S.C / S.heads !== 64) {
      console.log(`${R} s${st} B${B}: no 128x64 matmul_t9 + matmul_t35 in this plan (${plan.kernels.map((k) => k.name).join(', ')})`);
      continue;
    }
    const bufs = new Map();
    const buf = (id, positive = false) => {
      if (!bufs.has(id)) {
        const spec = plan.buffers.find((b) => b.id === id);
        const n = spec ? numel(evalShape(spec.shape, env)) : numel(evalShape(plan.buffers.find((b) => b.id === ko.writes).shape, env));
        const g = device.createBuffer({ size: Math.max(16, 4 * n), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
        device.queue.writeBuffer(
          g,
          0,
          Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - (positive ? 0 : 0.5)),
        );
        bufs.set(id, g);
      }
      return bufs.get(id);
    };
    buf('z', true);
    const ids = (k) => [...k.reads, k.writes, ...(k.alsoWrites ?? [])];
    const uq = createUniform(device, 'uq', packUniforms(kq, env));
    const uo = createUniform(device, 'uo', packUniforms(ko, env));
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    const cq = workgroupCounts(kq, env, max);
    const co = workgroupCounts(ko, env, max);
    const pipe = async (code) => device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
    const group = (p, entries) => device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: entries.map(([binding, buffer]) => ({ binding, resource: { buffer } })) });
    const pq = await pipe(kq.wgsl),
      po = await pipe(ko.wgsl),
      pf = await pipe(fusedWgsl(kq.wgsl));
    const gq = group(pq, [...ids(kq).map((id, i) => [i, buf(id)]), [ids(kq).length, uq]]);
    const go = group(po, [...ids(ko).map((id, i) => [i, buf(id)]), [ids(ko).length, uo]]);
    const gf = group(pf, [
      [0, buf('x')],
      [1, buf('w_q')],
      [2, buf('o_fused')],
      [3, uq],
      [4, buf('s')],
      [5, buf('z')],
    ]);
    const arms = {
      t9_t35: [
        [pq, gq, cq],
        [po, go, co],
      ],
      fused: [[pf, gf, cq]],
      t9: [[pq, gq, cq]],
      t35: [[po, go, co]],
    };
    const read = async (id) => {
      const src = bufs.get(id);
      const stg = device.createBuffer({ size: src.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const e = device.createCommandEncoder();
      e.copyBufferToBuffer(src, 0, stg, 0, src.size);
      device.queue.submit([e.finish()]);
      await stg.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(stg.getMappedRange().slice(0));
      stg.unmap();
      return out;
    };
    const run = async (arm, reps, timed) => {
      const qs = timed ? device.createQuerySet({ type: 'timestamp', count: 2 * reps }) : null;
      const e = device.createCommandEncoder();
      for (let r = 0; r < reps; r++) {
        const pass = e.beginComputePass(timed ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * r, endOfPassWriteIndex: 2 * r + 1 } } : {});
        for (const [p, g, c] of arms[arm]) {
          pass.setPipeline(p);
          pass.setBindGroup(0, g);
          pass.dispatchWorkgroups(...c);
        }
        pass.end();
      }
      if (!timed) {
        device.queue.submit([e.finish()]);
        await device.queue.onSubmittedWorkDone();
        return;
      }
      const res = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      const rb = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      e.resolveQuerySet(qs, 0, 2 * reps, res, 0);
      e.copyBufferToBuffer(res, 0, rb, 0, 16 * reps);
      device.queue.submit([e.finish()]);
      await rb.mapAsync(GPUMapMode.READ);
      const ns = new BigInt64Array(rb.getMappedRange().slice(0));
      rb.unmap();
      const ms = Array.from({ length: reps }, (_, i) => Number(ns[2 * i + 1] - ns[2 * i]) / 1e6).sort((x, y) => x - y);
      return ms[Math.floor(reps / 2)];
    };
    await run('t9_t35', 1, false);
    await run('fused', 1, false);
    const [want, got] = await Promise.all([read(ko.writes), read('o_fused')]);
    let scale = 0,
      worst = 0;
    for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
    const t = {};
    if (worst > 1e-5 * scale) process.exitCode = 1;
    if (mode === 'time') {
      for (const arm of Object.keys(arms)) await run(arm, 20, false);
      for (let round = 0; round < 3; round++) for (const arm of Object.keys(arms)) (t[arm] ??= []).push(await run(arm, 20, true));
    }
    const times = Object.entries(t).map(([a, v]) => `${a} ${Math.min(...v).toFixed(3)} ms`);
    console.log(`${R} s${st} B${B}: max |fused - t35| / max |t35| ${(worst / scale).toExponential(2)}${times.length ? `; ${times.join(', ')}` : ''}`);
    for (const b of bufs.values()) b.destroy();
  }
});
