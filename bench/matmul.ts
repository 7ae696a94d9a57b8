// The matmul kernel's schedules and tiles side by side, at the shapes the SAGA block runs at
// (PVT-T projections at 1280², batch 8, and the KV reduction), each variant on a fresh device with
// exact timestamps: `node dist/bench/matmul.js [--repeat N] [--only 0,2] [--schedules simple,pipelined] [--threads 16]
// [--tiles 64,128x64] [--shapes 102400x64x64,...] [--slabs 16,32] [--workgroup-memory BYTES] [--vec4] [--out FILE.json]`
// (`--shapes`: m×k×n instead of the block's; `--workgroup-memory`: what a kernel may take, for padding;
// `--vec4`: output rows written four floats a store where n is a multiple of 4, as plans made for known sizes do).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { matmulKernel, type MatmulSchedule, type MatmulThreads, type MatmulTile } from '../codegen/wgsl/matmul.js';
import { withMeasuringDevice } from '../runtime/webgpu/device.js';
import { dim } from '../runtime/shape.js';
import { median, range, timeKernel } from './roofline.js';

interface Shape {
  readonly label: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** `a` stored [k, m] (the token reduction aᵀb), with this many k ranges. */
  readonly splits?: number;
  /** `a` and the output have this batch (`[batch, m, k]`, m per batch), `b` is shared. */
  readonly batch?: number;
}

const SHAPES: readonly Shape[] = [
  { label: 'square 2048', m: 2048, k: 2048, n: 2048 },
  { label: 'projection s1 B8 (819200×64 @ 64×64)', m: 819200, k: 64, n: 64 },
  { label: 'projection s1 B8 as [8, 102400, 64] @ [64, 64]', m: 102400, k: 64, n: 64, batch: 8 },
  { label: 'projection s2 B8 (204800×128 @ 128×128)', m: 204800, k: 128, n: 128 },
  { label: 'projection s3 B8 (51200×320 @ 320×320)', m: 51200, k: 320, n: 320 },
  { label: 'projection s4 B8 (12800×512 @ 512×512)', m: 12800, k: 512, n: 512 },
  { label: 'KV reduction s1 B1 (Kᵀ V, N = 102400, d = 64, 128 splits)', m: 64, k: 102400, n: 64, splits: 128 },
];
const VARIANTS: readonly { schedule: MatmulSchedule; tile: MatmulTile; threads: MatmulThreads; interior?: boolean }[] = [
  { schedule: 'simple', tile: 64, threads: 16 },
  { schedule: 'pipelined', tile: 64, threads: 16 },
  { schedule: 'unrolled', tile: 64, threads: 16 },
  { schedule: 'pipelined', tile: 64, threads: 16, interior: true },
  { schedule: 'simple', tile: 64, threads: 8 },
  { schedule: 'pipelined', tile: 64, threads: 8 },
  { schedule: 'unrolled', tile: 64, threads: 8 },
  { schedule: 'simple', tile: 128, threads: 16 },
  { schedule: 'pipelined', tile: 128, threads: 16 },
  { schedule: 'unrolled', tile: 128, threads: 16 },
  { schedule: 'simple', tile: 128, threads: 16, interior: true },
  { schedule: 'simple', tile: '128x64', threads: 16, interior: true },
  { schedule: 'pipelined', tile: '128x64', threads: 16, interior: true },
  { schedule: 'unrolled', tile: '128x64', threads: 16, interior: true },
  { schedule: 'simple', tile: '128x64', threads: '8x16', interior: true },
  { schedule: 'pipelined', tile: '128x64', threads: '8x16', interior: true },
  { schedule: 'pipelined', tile: 64, threads: '8x16', interior: true },
  { schedule: 'simple', tile: '256x64', threads: '16x32', interior: true },
  { schedule: 'pipelined', tile: '256x64', threads: '16x32', interior: true },
  { schedule: 'simple', tile: 128, threads: '16x32', interior: true },
  { schedule: 'pipelined', tile: 128, threads: '16x32', interior: true },
];

async function time(shape: Shape, schedule: MatmulSchedule, tile: MatmulTile, threads: MatmulThreads, interior: boolean, reps: number, slab: 16 | 32, workgroupMemory?: number, vec4 = false) {
  const [M, K, N] = [dim('M'), dim('K'), dim('N')];
  const B = shape.batch ? [dim('B')] : [];
  const kernel = matmulKernel({
    name: 'mm',
    header: [],
    a: { id: 'a', shape: shape.splits ? [K, M] : [...B, M, K] },
    b: { id: 'b', shape: [K, N] },
    write: 'c',
    shape: [...B, M, N],
    ...(shape.splits ? { transposeA: true, splits: shape.splits, tile: 64 as const } : { tile }),
    schedule,
    threads,
    interior,
    slab,
    ...(workgroupMemory ? { workgroupMemory } : {}),
    ...(vec4 && !shape.splits && shape.n % 4 === 0 ? { vec4Rows: () => true } : {}),
  });
  const env = new Map([['M', shape.m], ['K', shape.k], ['N', shape.n], ['B', shape.batch ?? 1]]);
  return withMeasuringDevice(async (gpu) => {
    const batch = shape.batch ?? 1;
    const floats = { a: batch * shape.m * shape.k, b: shape.k * shape.n, c: batch * shape.m * shape.n * (shape.splits ?? 1) };
    const ms = await timeKernel(gpu, kernel, floats, env, reps, 'timestamps');
    const t = median(ms);
    return { ms: t, spread: range(ms), tflops: (2 * (shape.batch ?? 1) * shape.m * shape.k * shape.n) / (t * 1e9), adapter: gpu.describe() };
  });
}

const USAGE = 'usage: node dist/bench/matmul.js [--repeat N] [--only 0,2] [--schedules simple,pipelined,unrolled] [--threads 16,8,8x16] [--tiles 64,128,128x64] [--shapes MxKxN,...] [--slabs 16,32] [--workgroup-memory BYTES] [--vec4] [--out FILE.json]';
let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
const OPTIONS = { repeat: { type: 'string', default: '10' }, out: { type: 'string' }, only: { type: 'string' }, schedules: { type: 'string' }, threads: { type: 'string' }, tiles: { type: 'string' }, shapes: { type: 'string' }, slabs: { type: 'string', default: '16' }, 'workgroup-memory': { type: 'string' }, vec4: { type: 'boolean', default: false } } as const;
try {
  values = parseArgs({ options: OPTIONS }).values;
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
  process.exit(2);
}
const slabs = values.slabs.split(',').map((s) => (s === '32' ? 32 : 16) as 16 | 32);
const workgroupMemory = values['workgroup-memory'] ? Number(values['workgroup-memory']) : undefined;
const reps = Number(values.repeat);
const results = [];
const only = values.only?.split(',').map(Number);
const schedules = values.schedules?.split(',');
const threads = values.threads?.split(',');
const tiles = values.tiles?.split(',');
const given = values.shapes?.split(',').map((t): Shape => {
  const [m, k, n] = t.split('x').map(Number);
  if (![m, k, n].every((v) => Number.isInteger(v) && v > 0)) {
    process.stderr.write(`--shapes: '${t}' is not MxKxN\n${USAGE}\n`);
    process.exit(2);
  }
  return { label: `${m}×${k} @ ${k}×${n}`, m, k, n };
});
for (const [i, shape] of (given ?? SHAPES).entries()) {
  if (only && !only.includes(i)) continue;
  for (const v of VARIANTS.filter((v) => (!shape.splits || v.tile === 64) && (!schedules || schedules.includes(v.schedule)) && (!threads || threads.includes(String(v.threads))) && (!tiles || tiles.includes(String(v.tile))))) {
    for (const slab of slabs) {
      const r = await time(shape, v.schedule, v.tile, v.threads, v.interior ?? false, reps, slab, workgroupMemory, values.vec4);
      results.push({ shape, ...v, slab, vec4: values.vec4, ...r });
      console.log(`${shape.label.padEnd(40)} ${v.schedule.padEnd(9)} tile ${v.tile} ${typeof v.threads === 'number' ? `${v.threads}x${v.threads}` : v.threads}${v.interior ? ' interior' : ''} slab ${slab}${values.vec4 ? ' vec4' : ''}: ${r.ms.toFixed(3)} ms (${r.spread.map((x) => x.toFixed(3)).join('–')}) ${r.tflops.toFixed(1)} TFLOP/s`);
    }
  }
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ adapter: results[0]?.adapter, repeat: reps, results }, null, 2)}\n`);
