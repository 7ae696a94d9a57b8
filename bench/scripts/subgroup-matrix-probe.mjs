// Probe: can WGSL reach the tensor cores, and does a float32-accurate product through them beat
// sagac's float32 matmul? Dawn's `chromium-experimental-subgroup-matrix` (VK_KHR_cooperative_matrix)
// is offered only with the toggles below; on NVIDIA, shader-f16 too. Prints the adapter's
// subgroup-matrix configurations, the f16→f32 multiply-add rate from registers, then for each shape
// M×N×K: sagac's own float32 matmul and each subgroup-matrix variant, in one run, with the error
// of 64 sampled entries against float64 sums.
//
//   node bench/scripts/subgroup-matrix-probe.mjs [--shapes 4096x4096x4096,12800x512x512] [--reps 5]
//     [--variants '[{"terms": 1|3|"folded", "TM": 4, "TN": 4, "load": "direct", "bLayout": "col"}, ...]']
//
// Needs `npm run build` (it imports dist/). Exits 0 with a line where the adapter has no subgroup
// matrices (lavapipe, CI), 2 on a bad argument.
import { acquireDevice, EXACT_TIMESTAMPS, median } from '../../dist/runtime/webgpu/device.js';
import { createStorage, createUniform, readF32, uploadF32 } from '../../dist/runtime/webgpu/buffers.js';
import { timeDispatch, timeKernel } from '../../dist/bench/roofline.js';
import { compileSource } from '../../dist/compiler/index.js';
import { generatePlan } from '../../dist/codegen/wgsl/index.js';
import { gemmKernel, peakKernel, splitKernel } from '../../dist/bench/subgroup-matrix.js';

const TOGGLES = 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia';
const bits = { mode: 'bits', scale: 2048 }, bitsUnscaled = { mode: 'bits', scale: 1 };
let variants = [
  { name: 'f16 (1 product), direct', terms: 1, TM: 4, TN: 4, load: 'direct', split: bits },
  { name: 'split, 2 results, direct', terms: 3, TM: 2, TN: 4, load: 'direct', split: bits },
  { name: 'split, 2 results, pipelined', terms: 3, TM: 2, TN: 4, load: 'pipelined', split: bits },
  { name: 'split, 2 results, staged', terms: 3, TM: 2, TN: 4, load: 'staged', split: bits },
  { name: 'split, 1 result, direct', terms: 'folded', TM: 4, TN: 4, load: 'direct', split: bitsUnscaled },
  { name: 'split, 1 result, pipelined', terms: 'folded', TM: 2, TN: 4, load: 'pipelined', split: bitsUnscaled },
  { name: 'split, 1 result, staged', terms: 'folded', TM: 4, TN: 4, load: 'staged', split: bitsUnscaled },
  { name: 'split by conversion, 2 results, direct', terms: 3, TM: 2, TN: 4, load: 'direct', split: { mode: 'convert', scale: 2048 } },
];

function fail(message) {
  console.error(`subgroup-matrix-probe: ${message}`);
  process.exit(2);
}
const args = process.argv.slice(2);
let shapes = [[4096, 4096, 4096], [12800, 512, 512]];
let reps = 5;
for (let i = 0; i < args.length; i += 2) {
  const v = args[i + 1];
  if (args[i] === '--shapes' && v) {
    shapes = v.split(',').map((s) => s.split('x').map(Number));
    if (!shapes.every((s) => s.length === 3 && s.every((d) => Number.isInteger(d) && d > 0 && d % 64 === 0))) fail(`--shapes ${v}: give MxNxK,... with each size a multiple of 64`);
  } else if (args[i] === '--variants' && v) {
    try {
      variants = JSON.parse(v).map((x) => ({ name: JSON.stringify(x), TM: 4, TN: 4, load: 'direct', ...x, split: x.terms === 'folded' ? bitsUnscaled : bits }));
    } catch {
      fail(`--variants ${v}: give a JSON array of {"terms": 1|3|"folded", "TM", "TN", "load", "bLayout"}`);
    }
  } else if (args[i] === '--reps' && v && Number.isInteger(Number(v)) && Number(v) > 0) reps = Number(v);
  else fail(`unknown or incomplete argument ${args[i]}${v === undefined ? '' : ` ${v}`} (use --shapes MxNxK,... --reps R --variants JSON)`);
}

const gpu = await acquireDevice({ dawnFlags: [...EXACT_TIMESTAMPS, TOGGLES], features: ['subgroups', 'chromium-experimental-subgroup-matrix'] });
const { device, adapter } = gpu;
const timing = device.features.has('timestamp-query') ? 'timestamps' : 'wall';
console.log(`adapter: ${gpu.info.vendor} / ${gpu.info.device} / ${gpu.info.description}; toggles ${TOGGLES}; timing ${timing}, median of ${reps}`);
console.log(`features: ${[...adapter.features].sort().join(' ')}`);
const configs = [...(adapter.info.subgroupMatrixConfigs ?? [])].map((c) => `${c.M}x${c.N}x${c.K} ${c.componentType}->${c.resultComponentType}`);
console.log(`subgroup-matrix configurations (MxNxK): ${configs.join(', ') || 'none'}`);
const cfg = [...(adapter.info.subgroupMatrixConfigs ?? [])].find((c) => c.componentType === 'f16' && c.resultComponentType === 'f32' && c.M === 16 && c.N === 16 && c.K === 16);
if (!device.features.has('chromium-experimental-subgroup-matrix') || !device.features.has('shader-f16') || !cfg) {
  console.log('no f16 -> f32 16x16x16 subgroup matrices on this adapter: nothing to measure');
  gpu.destroy();
  process.exit(0);
}
const { M: m, N: n, K: k } = cfg;

async function compiled(code, label) {
  const module = device.createShaderModule({ code, label });
  const errors = (await module.getCompilationInfo()).messages.filter((x) => x.type === 'error');
  if (errors.length) throw new Error(`${label}: ${errors.map((e) => `${e.lineNum}:${e.linePos} ${e.message}`).join('; ')}`);
  return code;
}
const storage = (bytes) => createStorage(device, 'probe', bytes);
async function readBack(buffer) {
  const staging = device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const e = device.createCommandEncoder();
  e.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
  device.queue.submit([e.finish()]);
  const out = await readF32(staging, buffer.size / 4);
  staging.destroy();
  return out;
}
const fmt = (ms, flops) => `${median(ms).toFixed(3)} ms, ${(flops / median(ms) / 1e9).toFixed(1)} TFLOP/s`;

// The rate from registers: 132 × 64 workgroups of one subgroup, 2048 rounds of four multiply-adds.
{
  const iters = 2048, groups = 132 * 64;
  const out = storage(groups * 4 * m * n * 4);
  const ms = await timeDispatch(gpu, await compiled(peakKernel({ m, n, k, iters }), 'peak'), [out], [groups, 1, 1], reps, timing);
  console.log(`matrix units, f16 -> f32 from registers: ${fmt(ms, groups * 4 * iters * 2 * m * n * k)}`);
  out.destroy();
}

let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
for (const [M, N, K] of shapes) {
  const A = Float32Array.from({ length: M * K }, random), B = Float32Array.from({ length: K * N }, random);
  const Ab = storage(A.byteLength), Bb = storage(B.byteLength), Cb = storage(M * N * 4);
  uploadF32(device, Ab, A);
  uploadF32(device, Bb, B);
  // B transposed (N×K), for variants that load it column-major.
  const Bt = new Float32Array(K * N);
  for (let q = 0; q < K; q++) for (let j = 0; j < N; j++) Bt[j * K + q] = B[q * N + j];
  const Tb = storage(Bt.byteLength);
  uploadF32(device, Tb, Bt);
  const sizes = createUniform(device, 'sizes', new Uint32Array([M, N, K, 0]));
  const flops = 2 * M * N * K;
  // sagac's float32 matmul at this shape, as the bench's roofline compiles it.
  const plan = generatePlan(compileSource('block mm {\n  input x: [M, K]\n  param w: [K, N]\n  output y = x @ w\n}\n', 'probe.saga').graphs[0]);
  const env = new Map([['M', M], ['N', N], ['K', K]]);
  const ref = await timeKernel(gpu, plan.kernels[0], Object.fromEntries(plan.buffers.map((b) => [b.id, b.id === 'x' ? M * K : b.id === 'w' ? K * N : M * N])), env, reps, timing);
  console.log(`${M}x${N}x${K} sagac float32 matmul (${plan.kernels[0].name}): ${fmt(ref, flops)}`);
  // Each split once, timed: A and B into f16 hi and lo.
  const splits = new Map();
  for (const v of variants) {
    const key = `${v.split.mode}/${v.split.scale}`;
    if (splits.has(key)) continue;
    const code = await compiled(splitKernel(v.split), `split ${key}`);
    const parts = {};
    let ms = 0;
    for (const [name, src, count] of [['A', Ab, M * K], ['B', Bb, K * N], ['T', Tb, K * N]]) {
      const hi = storage(count * 2), lo = storage(count * 2);
      const groups = Math.ceil(count / 256);
      const t = median(await timeDispatch(gpu, code, [src, hi, lo], [Math.min(groups, 65535), Math.ceil(groups / 65535), 1], reps, timing));
      if (name !== 'T') ms += t;
      parts[`${name}h`] = hi;
      parts[`${name}l`] = lo;
    }
    splits.set(key, parts);
    console.log(`${M}x${N}x${K} split A and B (${key}): ${ms.toFixed(3)} ms`);
  }
  for (const v of variants) {
    if (M % (v.TM * m) || N % (v.TN * n)) { console.log(`${M}x${N}x${K} ${v.name}: skipped (tiles of ${v.TM * m}x${v.TN * n})`); continue; }
    let g;
    try {
      g = gemmKernel({ m, n, k, TM: v.TM, TN: v.TN, terms: v.terms, scale: v.split.scale, load: v.load, bLayout: v.bLayout });
    } catch (e) {
      console.log(`${M}x${N}x${K} ${v.name}: ${e.message}`);
      continue;
    }
    const parts = splits.get(`${v.split.mode}/${v.split.scale}`);
    const bufs = [...g.bindings.map((b) => parts[v.bLayout === 'col' ? b.replace('B', 'T') : b]), Cb, sizes];
    let code;
    try {
      code = await compiled(g.code, v.name);
    } catch (e) {
      console.log(`${M}x${N}x${K} ${v.name}: refused by the WGSL compiler: ${e.message}`);
      continue;
    }
    const ms = await timeDispatch(gpu, code, bufs, [N / g.cols, M / g.rows, 1], reps, timing);
    const C = await readBack(Cb);
    let ofSum = 0, relative = 0;
    for (let s = 0; s < 64; s++) {
      const i = (s * 7919) % M, j = (s * 104729 + 17) % N;
      let exact = 0, sum = 0;
      for (let q = 0; q < K; q++) { const t = A[i * K + q] * B[q * N + j]; exact += t; sum += Math.abs(t); }
      const e = Math.abs(C[i * N + j] - exact);
      ofSum = Math.max(ofSum, e / sum);
      relative = Math.max(relative, e / Math.abs(exact));
    }
    console.log(`${M}x${N}x${K} ${v.name}, ${v.TM}x${v.TN} tiles a subgroup: ${fmt(ms, flops)} (${(median(ref) / median(ms)).toFixed(2)}x sagac's); max |error| / sum |a·b| ${ofSum.toExponential(2)}, max relative ${relative.toExponential(2)}`);
  }
  for (const p of splits.values()) for (const b of Object.values(p)) b.destroy();
  for (const b of [Ab, Bb, Tb, Cb, sizes]) b.destroy();
}
gpu.destroy();
