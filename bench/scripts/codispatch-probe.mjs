// Co-dispatch probe: the projected KV kernel and the q projection (matmul_t9) of the SAGA block
// are independent; one grid holding the workgroups of both (the q projection's filling the KV
// kernel's last wave) against the two dispatched one after the other in one pass. The merged
// WGSL is a text edit of the generated kernels (each `main` a function, the second's uniform,
// helpers and workgroup arrays renamed; its arrays inside the first's), so a probe, never a kernel
// to ship. Outputs of the two ways are compared bit for bit before timing. Also times the merged
// kernel with one part's workgroup count 0 (what merging does to each part's code).
//   node bench/scripts/codispatch-probe.mjs [check|time|wgsl] [RESOLUTION] [STAGE:BATCH,...]   (after npm run build)
// check: outputs only (exit 1 if they differ); time: outputs, then GPU timestamps (median of 20
// passes, best of 3 rounds); wgsl: the two kernels and the merged one as `sagac wgsl` sections
// (for bench/scripts/spirv-dump.mjs and bench/vulkan/stats.sh: the driver's register counts).
// Results: bench/results/codispatch-*.
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { compileWorkload, envOf, STAGES } from '../../dist/bench/workloads.js';
import { withMeasuringDevice } from '../../dist/runtime/webgpu/device.js';
import { packUniforms, workgroupCounts, createUniform } from '../../dist/runtime/webgpu/buffers.js';
import { evalShape, numel } from '../../dist/runtime/shape.js';

const USAGE = 'usage: node bench/scripts/codispatch-probe.mjs [check|time|wgsl] [RESOLUTION] [STAGE:BATCH,...]';
function usage(message) {
  console.error(`codispatch-probe: ${message}\n${USAGE}`);
  process.exit(2);
}
const [mode = 'time', resolution = '1280', list = '1:8,2:8,3:8,4:8'] = process.argv.slice(2);
if (mode !== 'check' && mode !== 'time' && mode !== 'wgsl') usage(`no mode ${mode}`);
const R = Number(resolution);
if (!(R > 0 && R % 32 === 0)) usage(`RESOLUTION ${resolution}: expected a multiple of 32`);
const rows = list.split(',').map((s) => s.split(':').map(Number));
if (!rows.every(([st, B]) => Number.isInteger(st) && st >= 1 && st <= 4 && Number.isInteger(B) && B >= 1)) usage(`rows ${list}: expected STAGE:BATCH pairs, e.g. 3:8,4:8`);
const MAIN =
  /@compute @workgroup_size\(([^)]*)\)\nfn main\(@builtin\(workgroup_id\) wid: vec3<u32>, @builtin\(num_workgroups\) nwg: vec3<u32>,\n {8}@builtin\(local_invocation_id\) lid: vec3<u32>, @builtin\(local_invocation_index\) lidx: u32\) \{/;
function split(wgsl) {
  const lines = wgsl.split('\n');
  const bindings = lines.filter((l) => l.startsWith('@group'));
  const shared = lines.filter((l) => l.startsWith('var<workgroup>'));
  const rest = lines.filter((l) => !l.startsWith('@group') && !l.startsWith('var<workgroup>')).join('\n');
  return { bindings, shared, rest };
}
function merged(k1, k2) {
  const a = split(k1.wgsl);
  const b = split(k2.wgsl);
  const n1 = a.bindings.length; // storage + uniform
  let body1 = a.rest.replace(MAIN, 'fn k1_main(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>, lidx: u32) {');
  let body2 = b.rest.replace(MAIN, 'fn k2_main(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>, lidx: u32) {');
  if (body1 === a.rest || body2 === b.rest) throw new Error('main not found');
  // k2's helpers get a prefix; its uniform is u2; its workgroup arrays live in k1's `sh`.
  for (const m of body2.matchAll(/^fn (\w+)\(/gm)) if (m[1] !== 'k2_main') body2 = body2.replace(new RegExp(`\\b${m[1]}\\(`, 'g'), `k2_${m[1]}(`);
  body2 = body2.replace(/\bu\[/g, 'u2[');
  // k2's workgroup arrays inside k1's (separate ones pass the 32 KiB Dawn allows here).
  let offset = 0;
  for (const l of b.shared) {
    const [, name, , len] = /var<workgroup> (\w+): array<(vec4<f32>), (\d+)>;/.exec(l);
    body2 = body2.replace(new RegExp(`\\b${name}\\[`, 'g'), offset ? `sh[${offset}u + ` : 'sh[');
    offset += Number(len);
  }
  const shLen = Number(/var<workgroup> sh: array<vec4<f32>, (\d+)>;/.exec(a.shared.join('\n'))[1]);
  if (offset > shLen) throw new Error(`k2 needs ${offset} vec4s of workgroup memory, k1 has ${shLen}`);
  const declared = new Map(a.bindings.map((l) => [/> (\w+):/.exec(l)[1], l]));
  const extra = [];
  const binds2 = [];
  let next = n1;
  for (const l of b.bindings) {
    const name = /> (\w+):/.exec(l)[1];
    if (name === 'u') continue;
    if (declared.has(name)) {
      if (declared.get(name).replace(/@binding\(\d+\)/, '') !== l.replace(/@binding\(\d+\)/, '')) throw new Error(`binding ${name} differs`);
      binds2.push({
        name,
        binding: Number(/@binding\((\d+)\)/.exec(declared.get(name))[1]),
      });
      continue;
    }
    extra.push(l.replace(/@binding\(\d+\)/, `@binding(${next})`));
    binds2.push({ name, binding: next++ });
  }
  const u2 = next++;
  const mg = next++;
  const uLine = b.bindings.find((l) => />\s*u:/.test(l) || / u: /.test(l));
  extra.push(uLine.replace(/@binding\(\d+\)/, `@binding(${u2})`).replace(' u: ', ' u2: '));
  extra.push(`@group(0) @binding(${mg}) var<uniform> mg: array<vec4<u32>, 2>;`);
  const ws = MAIN.exec(k1.wgsl)[1];
  const text = [
    ...a.bindings,
    ...extra,
    ...a.shared,
    body1,
    body2,
    `@compute @workgroup_size(${ws})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,',
    '        @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {',
    '  let g = (wid.z * nwg.y + wid.y) * nwg.x + wid.x;',
    '  if (g < mg[0].w) {',
    '    k1_main(vec3<u32>(g % mg[0].x, (g / mg[0].x) % mg[0].y, g / (mg[0].x * mg[0].y)), mg[0].xyz, lid, lidx);',
    '  } else if (g < mg[0].w + mg[1].w) {',
    '    let h = g - mg[0].w;',
    '    k2_main(vec3<u32>(h % mg[1].x, (h / mg[1].x) % mg[1].y, h / (mg[1].x * mg[1].y)), mg[1].xyz, lid, lidx);',
    '  }',
    '}',
    '',
  ].join('\n');
  return { text, binds2, u2, mg };
}
if (mode === 'wgsl') {
  for (const [st, B] of rows) {
    const S = STAGES[st - 1];
    const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
    const plan = generatePlan(compileWorkload('block', S.heads).fused, {
      dims: env,
    });
    const k1 = plan.kernels.find((k) => k.name.endsWith('_projected'));
    const k2 = plan.kernels.find((k) => k.name === 'matmul_t9');
    if (!k1 || !k2) continue;
    const row = `s${st}_b${B}`;
    for (const [name, wgsl] of [
      [`kv_${row}`, k1.wgsl],
      [`q_${row}`, k2.wgsl],
      [`merged_${row}`, merged(k1, k2).text],
    ])
      process.stdout.write(`// ===== codispatch-probe ${R}, kernel ${name}, =====\n${wgsl}\n`);
  }
  process.exit(0);
}
await withMeasuringDevice(async (gpu) => {
  const { device } = gpu;
  for (const [st, B] of rows) {
    const S = STAGES[st - 1];
    const env = envOf({ B, N: (R / S.stride) ** 2, C: S.C });
    const plan = generatePlan(compileWorkload('block', S.heads).fused, {
      dims: env,
    });
    const k1 = plan.kernels.find((k) => k.name.endsWith('_projected'));
    const k2 = plan.kernels.find((k) => k.name === 'matmul_t9');
    // Small grids split the q projection's k (matmul_t9_partial + sum_t9): nothing to fill a wave with.
    if (!k1 || !k2) {
      console.log(`${R} s${st} B${B}: no whole q projection kernel to merge (${plan.kernels.map((k) => k.name).join(', ')})`);
      continue;
    }
    const m = merged(k1, k2);
    const bufs = new Map();
    const buf = (id) => {
      if (!bufs.has(id)) {
        const spec = plan.buffers.find((b) => b.id === id);
        const n = numel(evalShape(spec.shape, env));
        const g = device.createBuffer({
          size: Math.max(16, 4 * n),
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
        });
        device.queue.writeBuffer(
          g,
          0,
          Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
        );
        bufs.set(id, g);
      }
      return bufs.get(id);
    };
    const ids = (k) => [...k.reads, k.writes, ...(k.alsoWrites ?? [])];
    const u1 = createUniform(device, 'u1', packUniforms(k1, env));
    const u2 = createUniform(device, 'u2', packUniforms(k2, env));
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    const c1 = workgroupCounts(k1, env, max);
    const c2 = workgroupCounts(k2, env, max);
    const W1 = c1[0] * c1[1] * c1[2];
    const W2 = c2[0] * c2[1] * c2[2];
    const mgU = createUniform(device, 'mg', new Uint32Array([...c1, W1, ...c2, W2]));
    // The merged kernel running one part only (the other's count 0): what merging does to each.
    const mgQ = createUniform(device, 'mgQ', new Uint32Array([...c1, 0, ...c2, W2]));
    const mgK = createUniform(device, 'mgK', new Uint32Array([...c1, W1, ...c2, 0]));
    const cq = [Math.min(W2, max), Math.ceil(W2 / Math.min(W2, max)), 1];
    const ck = [Math.min(W1, max), Math.ceil(W1 / Math.min(W1, max)), 1];
    const total = W1 + W2;
    const cm = [Math.min(total, max), Math.ceil(total / Math.min(total, max)), 1];
    const pipe = async (code) =>
      device.createComputePipelineAsync({
        layout: 'auto',
        compute: {
          module: device.createShaderModule({ code }),
          entryPoint: 'main',
        },
      });
    const group = (p, entries) =>
      device.createBindGroup({
        layout: p.getBindGroupLayout(0),
        entries: entries.map(([binding, buffer]) => ({
          binding,
          resource: { buffer },
        })),
      });
    const p1 = await pipe(k1.wgsl);
    const p2 = await pipe(k2.wgsl);
    const pm = await pipe(m.text);
    const g1 = group(p1, [...ids(k1).map((id, i) => [i, buf(id)]), [ids(k1).length, u1]]);
    const g2 = group(p2, [...ids(k2).map((id, i) => [i, buf(id)]), [ids(k2).length, u2]]);
    const gm = group(pm, [
      ...ids(k1).map((id, i) => [i, buf(id)]),
      [ids(k1).length, u1],
      ...m.binds2.filter((b) => b.binding > ids(k1).length).map((b) => [b.binding, buf(k2.reads.concat([k2.writes]).find((id) => id.toLowerCase() === b.name) ?? b.name)]),
      [m.u2, u2],
      [m.mg, mgU],
    ]);
    const gmWith = (u) =>
      group(pm, [
        ...ids(k1).map((id, i) => [i, buf(id)]),
        [ids(k1).length, u1],
        ...m.binds2.filter((b) => b.binding > ids(k1).length).map((b) => [b.binding, buf(k2.reads.concat([k2.writes]).find((id) => id.toLowerCase() === b.name) ?? b.name)]),
        [m.u2, u2],
        [m.mg, u],
      ]);
    const arms = {
      separate: [
        [p1, g1, c1],
        [p2, g2, c2],
      ],
      merged: [[pm, gm, cm]],
      kv: [[p1, g1, c1]],
      q: [[p2, g2, c2]],
      mergedKvOnly: [[pm, gmWith(mgK), ck]],
      mergedQOnly: [[pm, gmWith(mgQ), cq]],
    };
    const read = async (id) => {
      const src = bufs.get(id);
      const st = device.createBuffer({
        size: src.size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const e = device.createCommandEncoder();
      e.copyBufferToBuffer(src, 0, st, 0, src.size);
      device.queue.submit([e.finish()]);
      await st.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(st.getMappedRange().slice(0));
      st.unmap();
      st.destroy();
      return out;
    };
    const run = async (arm, reps, timed) => {
      const qs = timed ? device.createQuerySet({ type: 'timestamp', count: 2 * reps }) : null;
      const e = device.createCommandEncoder();
      for (let r = 0; r < reps; r++) {
        const pass = e.beginComputePass(
          timed
            ? {
                timestampWrites: {
                  querySet: qs,
                  beginningOfPassWriteIndex: 2 * r,
                  endOfPassWriteIndex: 2 * r + 1,
                },
              }
            : {},
        );
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
      const res = device.createBuffer({
        size: 16 * reps,
        usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
      });
      const rb = device.createBuffer({
        size: 16 * reps,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      e.resolveQuerySet(qs, 0, 2 * reps, res, 0);
      e.copyBufferToBuffer(res, 0, rb, 0, 16 * reps);
      device.queue.submit([e.finish()]);
      await rb.mapAsync(GPUMapMode.READ);
      const ns = new BigInt64Array(rb.getMappedRange().slice(0));
      rb.unmap();
      const ms = Array.from({ length: reps }, (_, i) => Number(ns[2 * i + 1] - ns[2 * i]) / 1e6).sort((x, y) => x - y);
      return ms[Math.floor(reps / 2)];
    };
    // Outputs of the two ways, bit for bit.
    const outs = {};
    for (const arm of ['separate', 'merged']) {
      await run(arm, 1, false);
      outs[arm] = await Promise.all([k2.writes, k1.writes].map(read));
    }
    const same = outs.separate.every((o, i) => o.every((v, j) => Object.is(v, outs.merged[i][j])));
    if (mode === 'check') {
      console.log(`${R} s${st} B${B}: kv ${W1} workgroups, q ${W2}; outputs ${same ? 'identical' : 'DIFFER'}`);
      for (const b of bufs.values()) b.destroy();
      if (!same) process.exitCode = 1;
      continue;
    }
    for (const arm of Object.keys(arms)) await run(arm, 20, false);
    const t = {};
    for (let round = 0; round < 3; round++) for (const arm of Object.keys(arms)) (t[arm] ??= []).push(await run(arm, 20, true));
    if (!same) process.exitCode = 1;
    console.log(
      `${R} s${st} B${B}: kv ${W1} workgroups, q ${W2}; outputs ${same ? 'identical' : 'DIFFER'}; ` +
        Object.entries(t)
          .map(([a, v]) => `${a} ${Math.min(...v).toFixed(3)} ms`)
          .join(', '),
    );
    for (const b of bufs.values()) b.destroy();
  }
});
