// Hand-written 128x64 matmul variants (interior only: M % 128, N % 64, K % slab == 0; the
// bindings and grid of codegen's kernel) to measure a kernel idea before writing its codegen:
// 32-deep slabs, double-buffered workgroup memory, a and b read as vec4s, fma, the slab's steps
// written out, and `o_*`: the multiply-adds alone (no loads, reads or barriers; wrong outputs).
//   node bench/scripts/matmul-variants.mjs check|time|print [VARIANT,...]   (after npm run build)
// check: each against a float64 matmul at 256x96x128; time: checks, then times the shapes below.
// Results: bench/results/matmul-variants-*.
import { withMeasuringDevice, acquireDevice } from '../../dist/runtime/webgpu/device.js';
import { createStorage, uploadF32, createUniform, readF32 } from '../../dist/runtime/webgpu/buffers.js';
import { median, timeKernel } from '../../dist/bench/roofline.js';
import { matmulKernel } from '../../dist/codegen/wgsl/matmul.js';
import { dim } from '../../dist/runtime/shape.js';
import { workgroupBytes } from '../../dist/codegen/wgsl/print.js';

function gen({ kd = 16, vecA = false, vecB = false, dbuf = false, pad = 33, useFma = false, unroll = false, onlyFma = false }) {
  const nb = dbuf ? 2 : 1;
  const A = kd * pad, B = kd * 16;
  const L = [];
  L.push(`@group(0) @binding(0) var<storage, read> a: array<${vecA ? 'vec4<f32>' : 'f32'}>;`);
  L.push(`@group(0) @binding(1) var<storage, read> b: array<${vecB ? 'vec4<f32>' : 'f32'}>;`);
  L.push(`@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;`);
  L.push(`@group(0) @binding(3) var<uniform> u: array<vec4<u32>, 1>;`);
  L.push(`var<workgroup> ta: array<vec4<f32>, ${nb * A}>;`);
  L.push(`var<workgroup> tb: array<vec4<f32>, ${nb * B}>;`);
  L.push(`@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let M = u[0].x; let K = u[0].y; let N = u[0].z;
  let r0 = wid.y * 128u; let c0 = wid.x * 64u;`);
  for (let i = 0; i < 8; i++) L.push(`  var acc${i} = vec4<f32>(0.0);`);
  // a loads: vecA: kd/8 vec4s a thread (row, 4 k); scalar: kd/8 groups of 4 rows at one k
  const na = kd / 8, nbq = kd / 16;
  const aLoad = (i, k) => {
    if (vecA) return `a[(r0 + ar${i}) * (K / 4u) + (${k}) / 4u + akv${i}]`;
    return `vec4<f32>(${[0, 1, 2, 3].map((j) => `a[(r0 + am${i} + ${j}u) * K + ${k} + ak${i}]`).join(', ')})`;
  };
  const bLoad = (i, k) => (vecB ? `b[(${k} + bk${i}) * (N / 4u) + c0 / 4u + bn${i}]` : `vec4<f32>(${[0, 1, 2, 3].map((j) => `b[(${k} + bk${i}) * N + c0 + bn${i} * 4u + ${j}u]`).join(', ')})`);
  for (let i = 0; i < na; i++) {
    L.push(`  let q${i} = lidx + ${256 * i}u;`);
    if (vecA) L.push(`  let ar${i} = q${i} / ${kd / 4}u; let akv${i} = q${i} % ${kd / 4}u;`);
    else L.push(`  let am${i} = (q${i} / ${kd}u) * 4u; let ak${i} = q${i} % ${kd}u;`);
    L.push(`  var ra${i} = ${aLoad(i, '0u')};`);
  }
  for (let i = 0; i < nbq; i++) {
    L.push(`  let bq${i} = lidx + ${256 * i}u; let bk${i} = bq${i} / 16u; let bn${i} = bq${i} % 16u;`);
    L.push(`  var rb${i} = ${bLoad(i, '0u')};`);
  }
  L.push(`  var buf = 0u;`);
  L.push(`  for (var k0 = 0u; k0 < K; k0 = k0 + ${kd}u) {`);
  const ao = dbuf ? `buf * ${A}u + ` : '', bo = dbuf ? `buf * ${B}u + ` : '';
  for (let i = 0; i < na; i++) {
    if (vecA) for (let j = 0; j < 4; j++) L.push(`    ta[${ao}(akv${i} * 4u + ${j}u) * ${pad}u + ar${i} / 4u][ar${i} % 4u] = ra${i}[${j}];`);
    else L.push(`    ta[${ao}ak${i} * ${pad}u + am${i} / 4u] = ra${i};`);
  }
  for (let i = 0; i < nbq; i++) L.push(`    tb[${bo}bq${i}] = rb${i};`);
  if (!onlyFma) L.push(`    workgroupBarrier();`);
  L.push(`    if (${onlyFma ? 'false' : `k0 + ${kd}u < K`}) {`);
  for (let i = 0; i < na; i++) L.push(`      ra${i} = ${aLoad(i, `k0 + ${kd}u`)};`);
  for (let i = 0; i < nbq; i++) L.push(`      rb${i} = ${bLoad(i, `k0 + ${kd}u`)};`);
  L.push(`    }`);
  const step = (P) => {
    const pp = onlyFma ? '0u' : P;
    L.push(`      let va0 = ta[${ao}${pp} * ${pad}u + lid.y];
      let va1 = ta[${ao}${pp} * ${pad}u + 16u + lid.y];
      let vb = tb[${bo}${pp} * 16u + lid.x];`);
    for (let h = 0; h < 2; h++) for (let j = 0; j < 4; j++) L.push(useFma ? `      acc${h * 4 + j} = fma(vec4<f32>(va${h}.${'xyzw'[j]}), vb, acc${h * 4 + j});` : `      acc${h * 4 + j} = acc${h * 4 + j} + va${h}.${'xyzw'[j]} * vb;`);
  };
  if (unroll) for (let p = 0; p < kd; p++) { L.push('    {'); step(`${p}u`); L.push('    }'); }
  else { L.push(`    for (var p = 0u; p < ${kd}u; p = p + 1u) {`); step('p'); L.push(`    }`); }
  if (dbuf) L.push(`    buf = 1u - buf;`);
  else if (!onlyFma) L.push(`    workgroupBarrier();`);
  L.push(`  }`);
  for (let h = 0; h < 2; h++)
    for (let j = 0; j < 4; j++) L.push(`  c[((r0 + ${64 * h}u + lid.y * 4u + ${j}u) * N + c0 + lid.x * 4u) / 4u] = acc${h * 4 + j};`);
  L.push(`}`);
  return L.join('\n') + '\n';
}

const VARIANTS = {
  s16: {},
  vec16: { vecA: true, vecB: true },
  vecB16: { vecB: true },
  vecA16: { vecA: true },
  s32: { kd: 32 },
  vec32: { kd: 32, vecA: true, vecB: true },
  db16: { dbuf: true },
  vdb16: { dbuf: true, vecA: true, vecB: true },
  vdb32: { kd: 32, dbuf: true, vecA: true, vecB: true, pad: 32 },
  fma16: { useFma: true },
  unr16: { unroll: true },
  fu16: { useFma: true, unroll: true },
  vbfu16: { vecB: true, useFma: true, unroll: true },
  vbfma16: { vecB: true, useFma: true },
  vbunr16: { vecB: true, unroll: true },
  fudb16: { useFma: true, unroll: true, dbuf: true, vecB: true },
  fu32: { useFma: true, unroll: true, kd: 32, vecB: true },
  o_s16: { onlyFma: true },
  o_fma16: { onlyFma: true, useFma: true },
  o_unr16: { onlyFma: true, unroll: true },
  o_fu16: { onlyFma: true, useFma: true, unroll: true },
};

// The generated 128x64 kernel: the variants share its bindings, uniforms (M, K, N) and grid, so
// they are timed as bench/roofline.ts times it (timeKernel, its WGSL replaced).
const [M, K, N] = [dim('M'), dim('K'), dim('N')];
const generated = matmulKernel({ name: 'mm', header: [], a: { id: 'a', shape: [M, K] }, b: { id: 'b', shape: [K, N] }, write: 'c', shape: [M, N], tile: '128x64', interior: true, vec4Rows: () => true });
const time = (wgsl, m, k, n) =>
  withMeasuringDevice(async (gpu) => median(await timeKernel(gpu, generated, { a: m * k, b: k * n, c: m * n }, new Map([['M', m], ['K', k], ['N', n]]), 10, 'timestamps', wgsl)));

/** The worst error of `wgsl`'s m x k x n product relative to a float64 matmul (normwise per element). */
async function check(gpu, wgsl, m, k, n) {
  const { device } = gpu;
  const bufs = { a: createStorage(device, 'a', 4 * m * k), b: createStorage(device, 'b', 4 * k * n), c: createStorage(device, 'c', 4 * m * n) };
  const av = Float32Array.from({ length: m * k }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const bv = Float32Array.from({ length: k * n }, (_, i) => ((i * 104729) % 997) / 997 - 0.5);
  uploadF32(device, bufs.a, av);
  uploadF32(device, bufs.b, bv);
  const uni = createUniform(device, 'u', Uint32Array.from([m, k, n, 0]));
  const counts = [n / 64, m / 128, 1];
  try {
    const module = device.createShaderModule({ code: wgsl });
    const info = await module.getCompilationInfo();
    for (const msg of info.messages) if (msg.type === 'error') throw new Error(`${msg.lineNum}:${msg.linePos} ${msg.message}`);
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [bufs.a, bufs.b, bufs.c, uni].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const staging = device.createBuffer({ size: 4 * m * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const e = device.createCommandEncoder();
    const pass = e.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(...counts);
    pass.end();
    e.copyBufferToBuffer(bufs.c, 0, staging, 0, 4 * m * n);
    device.queue.submit([e.finish()]);
    const got = await readF32(staging, m * n);
    let worst = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0, sa = 0;
        for (let p = 0; p < k; p++) { s += av[i * k + p] * bv[p * n + j]; sa += Math.abs(av[i * k + p] * bv[p * n + j]); }
        worst = Math.max(worst, Math.abs(got[i * n + j] - s) / sa);
      }
    staging.destroy();
    return worst;
  } finally {
    for (const b of Object.values(bufs)) b.destroy();
    uni.destroy();
  }
}

const USAGE = `usage: node bench/scripts/matmul-variants.mjs check|time|print [VARIANT,...] (variants: ${Object.keys(VARIANTS).join(', ')})`;
const [mode = 'check', list] = process.argv.slice(2);
const only = list?.split(',');
const unknown = only?.filter((v) => !(v in VARIANTS)) ?? [];
if (!['check', 'time', 'print'].includes(mode) || unknown.length) {
  console.error(`matmul-variants: ${unknown.length ? `no variant ${unknown.join(', ')}` : `no mode ${mode}`}\n${USAGE}`);
  process.exit(2);
}
const names = Object.keys(VARIANTS).filter((v) => !only || only.includes(v));
if (mode === 'print') console.log(gen(VARIANTS[names[0]]));
else {
  // Each variant against a float64 matmul first; one needing more workgroup memory than the adapter has is skipped.
  const gpu = await acquireDevice({});
  const room = gpu.limits.maxComputeWorkgroupStorageSize;
  const fits = names.filter((v) => {
    const bytes = workgroupBytes(gen(VARIANTS[v]));
    if (bytes <= room) return true;
    console.log(`${v} skipped: needs ${bytes} bytes of workgroup memory, the adapter has ${room}`);
    return false;
  });
  for (const v of fits) console.log(v, 'worst rel err', (await check(gpu, gen(VARIANTS[v]), 256, 96, 128)).toExponential(2));
  gpu.destroy();
  const shapes = [[2048, 2048, 2048], [12800, 512, 512], [51200, 320, 320], [101376, 512, 64], [204800, 128, 128]];
  if (mode === 'time')
    for (const [m, k, n] of shapes)
      for (const v of fits) {
        if (k % (VARIANTS[v].kd ?? 16)) continue;
        const ms = await time(gen(VARIANTS[v]), m, k, n);
        console.log(`${m}x${k}x${n} ${v.padEnd(8)} ${ms.toFixed(3)} ms ${((2 * m * k * n) / (ms * 1e9)).toFixed(1)} TFLOP/s`);
      }
}
