// Timing-only probes of the 128x64 pipelined matmul (vec4 rows): what its workgroup-memory reads, its
// barriers and its global loads cost, each edited out of the generated WGSL. Outputs are wrong on
// purpose; never a kernel to ship. node bench/scripts/matmul-probe.mjs [VARIANT,...] (after npm run
// build; results: bench/results/matmul-probe-*).
import { matmulKernel } from '../../dist/codegen/wgsl/matmul.js';
import { withMeasuringDevice } from '../../dist/runtime/webgpu/device.js';
import { dim } from '../../dist/runtime/shape.js';
import { median, timeKernel } from '../../dist/bench/roofline.js';
const [M, K, N] = [dim('M'), dim('K'), dim('N')];
const kernel = matmulKernel({ name: 'mm', header: [], a: { id: 'a', shape: [M, K] }, b: { id: 'b', shape: [K, N] }, write: 'c', shape: [M, N], tile: '128x64', interior: true, vec4Rows: () => true });
const base = kernel.wgsl;
const must = (s, a, b) => { if (!s.includes(a)) throw new Error('no ' + a); return s.split(a).join(b); };
const variants = {
  base,
  // every thread of a warp reads the same b vec4: 16 bytes a warp instead of 256
  vbBroadcast: must(base, 'mm_tb[mm_p * 16u + 0u + lid.x]', 'mm_tb[mm_p * 16u + 0u]'),
  // a's vec4s not broadcast: each thread its own (lid.x spreads them)
  vaSpread: must(must(base, 'mm_ta[mm_p * 33u + 0u + lid.y]', 'mm_ta[mm_p * 33u + lid.x]'), 'mm_ta[mm_p * 33u + 16u + lid.y]', 'mm_ta[mm_p * 33u + 16u + lid.x]'),
  // loop-invariant reads: hoisted, no workgroup-memory reads in the slab loop
  noReads: must(must(must(base, 'mm_ta[mm_p * 33u + 0u + lid.y]', 'mm_ta[0u + lid.y]'), 'mm_ta[mm_p * 33u + 16u + lid.y]', 'mm_ta[16u + lid.y]'), 'mm_tb[mm_p * 16u + 0u + lid.x]', 'mm_tb[0u + lid.x]'),
};
const noBarriers = (w) => must(w, 'workgroupBarrier();', '');
// The next slab is never loaded: each slab multiplies the first one's registers again.
const noLoads = (w) => must(w, 'if (mm_k0 + 16u < mm_kend) {', 'if (false) {');
variants.noBarriers = noBarriers(base);
variants.noLoads = noLoads(base);
variants.onlyFma = noLoads(noBarriers(variants.noReads));
const only = process.argv[2]?.split(',');
for (const k of Object.keys(variants)) if (only && !only.includes(k)) delete variants[k];
const shapes = [[2048, 2048, 2048], [12800, 512, 512], [51200, 320, 320], [101376, 512, 64]];
for (const [m, k, n] of shapes) {
  for (const [name, wgsl] of Object.entries(variants)) {
    const env = new Map([['M', m], ['K', k], ['N', n]]);
    const ms = median(await withMeasuringDevice((gpu) => timeKernel(gpu, kernel, { a: m * k, b: k * n, c: m * n }, env, 10, 'timestamps', wgsl)));
    console.log(`${m}x${k}x${n} ${name.padEnd(12)} ${ms.toFixed(3)} ms ${((2 * m * k * n) / (ms * 1e9)).toFixed(1)} TFLOP/s`);
  }
}
