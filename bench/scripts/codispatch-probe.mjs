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
import { withMeasuringDevice } from '../../dist/runtime/webgpu/device.js';
import { packUniforms, workgroupCounts } from '../../dist/runtime/webgpu/buffers.js';
import { bindingIds, blockPlan, groupOf, pipelineOf, probeBuffers, readBack, runPass, stageRows, timeArms } from './probe-kit.mjs';
import { bindingNames } from '../../dist/codegen/wgsl/print.js';

const USAGE = 'usage: node bench/scripts/codispatch-probe.mjs [check|time|wgsl] [RESOLUTION] [STAGE:BATCH,...]';
function usage(message) {
  console.error(`codispatch-probe: ${message}\n${USAGE}`);
  process.exit(2);
}
const [mode = 'time', resolution = '1280', list = '1:8,2:8,3:8,4:8'] = process.argv.slice(2);
if (mode !== 'check' && mode !== 'time' && mode !== 'wgsl') usage(`no mode ${mode}`);
const R = Number(resolution);
if (!(R > 0 && R % 32 === 0)) usage(`RESOLUTION ${resolution}: expected a multiple of 32`);
const rows = stageRows(list);
if (!rows) usage(`rows ${list}: expected STAGE:BATCH pairs, e.g. 3:8,4:8`);
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
/** The two kernels to merge at a row, or undefined where small grids split the q projection's k (matmul_t9_partial + sum_t9). */
function kernelsAt(st, B) {
  const { plan, env } = blockPlan(R, st, B);
  const k1 = plan.kernels.find((k) => k.name.endsWith('_projected'));
  const k2 = plan.kernels.find((k) => k.name === 'matmul_t9');
  return k1 && k2 ? { plan, env, k1, k2 } : undefined;
}
if (mode === 'wgsl') {
  for (const [st, B] of rows) {
    const at = kernelsAt(st, B);
    if (!at) continue;
    const row = `s${st}_b${B}`;
    for (const [name, wgsl] of [
      [`kv_${row}`, at.k1.wgsl],
      [`q_${row}`, at.k2.wgsl],
      [`merged_${row}`, merged(at.k1, at.k2).text],
    ])
      process.stdout.write(`// ===== codispatch-probe ${R}, kernel ${name}, =====\n${wgsl}\n`);
  }
  process.exit(0);
}
await withMeasuringDevice(async (gpu) => {
  const { device } = gpu;
  for (const [st, B] of rows) {
    const at = kernelsAt(st, B);
    if (!at) {
      console.log(`${R} s${st} B${B}: no whole q projection kernel to merge`);
      continue;
    }
    const { plan, env, k1, k2 } = at;
    const m = merged(k1, k2);
    const { buf, uniform, destroy } = probeBuffers(device, plan, env);
    const u1 = uniform('u1', packUniforms(k1, env));
    const u2 = uniform('u2', packUniforms(k2, env));
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    const [c1, c2] = [k1, k2].map((k) => workgroupCounts(k, env, max));
    const [W1, W2] = [c1, c2].map((c) => c[0] * c[1] * c[2]);
    const linear = (n) => [Math.min(n, max), Math.ceil(n / Math.min(n, max)), 1];
    const [p1, p2, pm] = await Promise.all([k1.wgsl, k2.wgsl, m.text].map((code) => pipelineOf(device, code)));
    const one = { pipeline: p1, group: groupOf(device, p1, [...bindingIds(k1).map((id, i) => [i, buf(id)]), [bindingIds(k1).length, u1]]), counts: c1 };
    const two = { pipeline: p2, group: groupOf(device, p2, [...bindingIds(k2).map((id, i) => [i, buf(id)]), [bindingIds(k2).length, u2]]), counts: c2 };
    // The second kernel's buffers by their WGSL names (as printKernel named them).
    const idOf = new Map([...bindingNames(bindingIds(k2))].map(([id, name]) => [name, id]));
    // The merged kernel with both parts' workgroup counts, or one part's only (the other's 0:
    // what merging does to each part's code).
    const mergedRun = (w1, w2) => ({
      pipeline: pm,
      group: groupOf(device, pm, [
        ...bindingIds(k1).map((id, i) => [i, buf(id)]),
        [bindingIds(k1).length, u1],
        ...m.binds2.filter((b) => b.binding > bindingIds(k1).length).map((b) => [b.binding, buf(idOf.get(b.name))]),
        [m.u2, u2],
        [m.mg, uniform('mg', new Uint32Array([...c1, w1, ...c2, w2]))],
      ]),
      counts: linear(w1 + w2),
    });
    const arms = { separate: [one, two], merged: [mergedRun(W1, W2)], kv: [one], q: [two], mergedKvOnly: [mergedRun(W1, 0)], mergedQOnly: [mergedRun(0, W2)] };
    // Outputs of the two ways, bit for bit.
    const outs = {};
    for (const arm of ['separate', 'merged']) {
      await runPass(device, arms[arm]);
      outs[arm] = await Promise.all([k2.writes, k1.writes].map((id) => readBack(device, buf(id))));
    }
    const same = outs.separate.every((o, i) => o.every((v, j) => Object.is(v, outs.merged[i][j])));
    if (!same) process.exitCode = 1;
    const times = mode === 'time' ? `; ${await timeArms(gpu, arms)}` : '';
    console.log(`${R} s${st} B${B}: kv ${W1} workgroups, q ${W2}; outputs ${same ? 'identical' : 'DIFFER'}${times}`);
    destroy();
  }
});
