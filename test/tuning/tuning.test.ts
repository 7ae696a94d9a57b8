// Tuning: the search space, pruning against limits, the choice of winners, the tuning file, and a
// build that embeds it. On lavapipe with a small space; the generated kernels still equal the
// float64 interpreter (1e-4 normwise).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tune } from '../../cli/tune.js';
import { generateFiles } from '../../codegen/ts/index.js';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { bucketOf, candidates, chooseSchedules, chooseWinners, describeTuning, evenSplitCounts, exceedsLimits, SCHEDULES, tunableGroups, tuningAt, tuningFor, validateTuningFile, type TuningFile } from '../../codegen/wgsl/tuning.js';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../..');
const file = join(root, 'examples/saga.saga');
const source = readFileSync(file, 'utf8');
const graph = compileSource(source, 'examples/saga.saga').optimized[0];
const env = new Map([['B', 1], ['N', 300], ['C', 64]]);
const big = { maxComputeWorkgroupStorageSize: 32768, maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 };

describe('search space and pruning', () => {
  it('tries every tile with every split count', () => {
    expect(candidates()).toHaveLength(18);
    expect(bucketOf(new Map([['N', 102400], ['C', 64], ['B', 8]]))).toBe('B=8,C=64,N=131072');
  });

  it('prunes a tile over the workgroup-memory limit and splits over the binding limit', () => {
    // Stored (kvProjections false): by default the KV reduction's kernel takes 32 KiB whatever the tile.
    const plan = (tile: 64 | 128, splits: number) => generatePlan(graph, { matmulTile: tile, splits, kvProjections: false });
    expect(exceedsLimits({ tile: 64, splits: 32 }, plan(64, 32), env, big)).toBeNull();
    expect(exceedsLimits({ tile: 128, splits: 32 }, plan(128, 32), env, { ...big, maxComputeWorkgroupStorageSize: 8192 })).toMatch(/tile 128 needs 16384 bytes of workgroup memory, over maxComputeWorkgroupStorageSize 8192/);
    // The KV partial sums are splits x 2 heads x 32 x 32 floats: 128 splits = 1 MiB.
    expect(exceedsLimits({ tile: 64, splits: 128 }, plan(64, 128), env, { ...big, maxStorageBufferBindingSize: 2 ** 19 })).toMatch(/buffer s_partial needs 1048576 bytes/);
  });

  it('picks per kernel the fastest candidate, ties to the earlier one', () => {
    const plan = generatePlan(graph);
    const groups = tunableGroups(plan);
    const ms = (m: number, partial: number) => new Map(plan.kernels.map((k) => [k.name, k.name === 'matmul_y' ? m : k.name.startsWith('outer_') ? partial : 1]));
    const w = chooseWinners(
      plan,
      [
        { candidate: { tile: 64, splits: 32 }, ms: ms(2, 5), groups },
        { candidate: { tile: 128, splits: 8 }, ms: ms(1, 5), groups },
        { candidate: { tile: 64, splits: 64 }, ms: ms(1, 3), groups },
      ],
      { ms: ms(4, 7), groups },
    );
    expect(w.get('matmul_y')).toEqual({ params: { tile: 128 }, ms: 1, defaultMs: 4 });
    // The KV reduction (projections inside) with the kernel adding its partials (S's and z's): outer_mean_s (3).
    expect(w.get('outer_mean_s_projected')).toEqual({ params: { splits: 64 }, ms: 6, defaultMs: 14 });
    expect(w.get('matmul_t9')?.params).toEqual({ tile: 64 });
  });

  it('keys a matmul split over k at known sizes by its name unsplit, with the kernel adding its parts', () => {
    // Stage 4 at 224², batch 1: 49 tokens, so x @ w_q and the output projection split k.
    const small = generatePlan(graph, { dims: new Map([['B', 1], ['N', 49], ['C', 512]]) });
    expect(small.kernels.map((k) => k.name)).toContain('matmul_t9_partial');
    const groups = tunableGroups(small);
    expect(groups.get('matmul_t9')).toEqual({ param: 'tile', kernels: ['matmul_t9_partial', 'sum_t9'] });
    // A candidate whose plan splits and one whose plan does not are compared on the same kernel.
    const plan = generatePlan(graph);
    const whole = { candidate: { tile: 64, splits: 8 } as const, ms: new Map(plan.kernels.map((k) => [k.name, 3])), groups: tunableGroups(plan) };
    const split = { candidate: { tile: 128, splits: 8 } as const, ms: new Map(small.kernels.map((k) => [k.name, 1])), groups };
    expect(chooseWinners(plan, [whole, split]).get('matmul_t9')).toEqual({ params: { tile: 128 }, ms: 2, defaultMs: NaN });
  });

  it('picks per matmul the faster schedule, ties to the default (pipelined), and none for a KV reduction', () => {
    const plan = generatePlan(graph);
    const groups = tunableGroups(plan);
    const ms = (y: number, t9: number) => new Map(plan.kernels.map((k) => [k.name, k.name === 'matmul_y' ? y : k.name === 'matmul_t9' ? t9 : 1]));
    const w = chooseSchedules(plan, [
      { schedule: 'pipelined', ms: ms(2, 1), groups },
      { schedule: 'simple', ms: ms(1, 1), groups },
    ]);
    expect(w.get('matmul_y')).toEqual({ schedule: 'simple', ms: 1 });
    expect(w.get('matmul_t9')).toEqual({ schedule: 'pipelined', ms: 1 });
    expect(w.has('outer_mean_s_projected')).toBe(false);
    expect(SCHEDULES[0]).toBe('pipelined');
  });

  it('reads the largest bucket of a kernel and refuses malformed files', () => {
    const f: TuningFile = {
      sagac: 'x',
      adapter: 'a',
      entries: [
        { block: 'saga', kernel: 'matmul_y', bucket: 'B=1,C=64,N=4096', params: { tile: 128 }, ms: 1, defaultMs: 1 },
        { block: 'saga', kernel: 'matmul_y', bucket: 'B=8,C=64,N=131072', params: { tile: 64 }, ms: 1, defaultMs: 1 },
        { block: 'other', kernel: 'matmul_y', bucket: 'B=8,C=64,N=131072', params: { tile: 128 }, ms: 1, defaultMs: 1 },
      ],
    };
    expect(tuningFor(f, 'saga')).toEqual({ tuning: { matmul_y: { tile: 64 } } });
    // Every size given: that bucket's entries (N = 3000 and 4096 share one), else the largest.
    const at = (B: number, N: number) => new Map(Object.entries({ B, C: 64, N }));
    expect(tuningAt(f, 'saga', at(1, 3000))).toEqual({ tuning: { matmul_y: { tile: 128 } } });
    expect(tuningFor(f, 'saga', at(1, 4096))).toEqual({ tuning: { matmul_y: { tile: 128 } } });
    expect(tuningAt(f, 'saga', at(2, 4096))).toBeUndefined();
    expect(tuningFor(f, 'saga', at(2, 4096))).toEqual({ tuning: { matmul_y: { tile: 64 } } });
    expect(tuningAt(f, 'saga_n2', at(1, 4096))).toBeUndefined();
    expect(describeTuning({ matmul_y: { tile: 64, schedule: 'simple' }, outer_mean_s_projected: { splits: 27, ranges: 'even' } })).toBe('matmul_y tile 64 schedule simple, outer_mean_s_projected splits 27 ranges even');
    expect(validateTuningFile(f)).toBeNull();
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { tile: 96 } }] })).toMatch(/tile must be one of 64, 128/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'matmul_y', bucket: 'N=1', params: { kSplits: 4, schedule: 'simple' } }] })).toBeNull();
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { kSplits: 0 } }] })).toMatch(/kSplits must be a whole number from 1 to 64/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { schedule: 'fast' } }] })).toMatch(/schedule must be pipelined, simple or unrolled/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { slab: 24 } }] })).toMatch(/slab must be 16 or 32/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { threads: 4 } }] })).toMatch(/threads must be 16 or 8/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { threads: 8, tile: 128 } }] })).toMatch(/threads 8 needs tile 64/);
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { schedule: 'unrolled', slab: 32, threads: 8 } }] })).toBeNull();
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { splits: 33, ranges: 'even' } }] })).toBeNull();
    expect(validateTuningFile({ adapter: 'a', entries: [{ block: 'saga', kernel: 'k', bucket: 'N=1', params: { ranges: 'odd' } }] })).toMatch(/ranges must be whole or even/);
    expect(validateTuningFile([])).toMatch(/expected/);
  });
});

describe('sagac tune on this adapter', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('measures only candidates within the limits, writes a tuning file, and a build embeds it', async () => {
    // saga_n2.saga (its gated key read twice, so stored): every kernel within 16 KiB, where
    // saga.saga's KV reduction, computing its projections inside, takes 32 KiB at any tile.
    const file = join(root, 'examples/saga_n2.saga');
    const source = readFileSync(file, 'utf8');
    const graph = compileSource(source, 'examples/saga_n2.saga').optimized[0];
    const out = join(mkdtempSync(join(tmpdir(), 'sagac-tune-')), 'tuning.json');
    const result = await tune({
      file,
      dims: ['N=300'],
      repeat: 1,
      out,
      space: [
        { tile: 64, splits: 8 },
        { tile: 128, splits: 8 },
        { tile: '128x64', splits: 32 },
      ],
      limits: { ...gpu.limits, maxComputeWorkgroupStorageSize: 12544 },
    });
    // The tile-128 candidate needs 16 KiB of workgroup memory, and so does 128x64 for the joint
    // projections (two weight slabs): never run under a 12.25 KiB limit.
    expect(result.skipped.map((s) => s.candidate)).toEqual([
      { tile: 128, splits: 8 },
      { tile: '128x64', splits: 32 },
    ]);
    expect(result.skipped[1].why).toMatch(/needs 16384 bytes of workgroup memory/);
    expect(result.measured).toEqual([{ tile: 64, splits: 8 }]);
    // Defaults and the tuned plan timed again as whole runs (timestamps on lavapipe).
    expect(result.defaultMs).toBeGreaterThan(0);
    expect(result.tunedMs).toBeGreaterThan(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as TuningFile;
    expect(written).toEqual(result.file);
    expect(written.entries.map((e) => e.kernel).sort()).toEqual(generatePlan(graph).kernels.filter((k) => k.name.startsWith('matmul_') || k.name.endsWith('_partial')).map((k) => k.name).sort());
    expect(written.entries.every((e) => e.bucket === 'B=1,C=64,N=512' && (e.params.tile === 64 || e.params.tile === '128x64' || e.params.splits === 8 || e.params.splits === 32))).toBe(true);
    // Each matmul's schedule measured at its tile (one run per schedule): one of them chosen.
    expect(written.entries.filter((e) => e.kernel.startsWith('matmul_')).every((e) => (SCHEDULES as readonly string[]).includes(e.params.schedule ?? ''))).toBe(true);
    expect(written.entries.filter((e) => !e.kernel.startsWith('matmul_')).every((e) => e.params.schedule === undefined)).toBe(true);

    // A build with a fixed tuning file embeds its parameters: golden header, partial sums of the
    // chosen size, and the tuned kernels still compute the block.
    const fixed: TuningFile = { ...written, adapter: 'test adapter', entries: written.entries.map((e) => (e.kernel === 'outer_sum_s_partial' ? { ...e, params: { splits: 8 } } : e.params.tile ? { ...e, params: { tile: 64 } } : e)) };
    const files = await generateFiles(source, 'examples/saga_n2.saga', { tuning: fixed });
    const module = files.files.find((f) => f.path === 'saga_n2.ts')!.contents;
    expect(module.split('\n')[2]).toBe('// Kernel parameters tuned on test adapter: matmul_t15_t21 tile 64, matmul_t25 tile 64, matmul_t30 tile 64, matmul_t35 tile 64, matmul_t9 tile 64, matmul_y tile 64, matmul_zmat tile 64, outer_sum_s_partial splits 8.');
    expect(module).toContain('partial sums over 8 token ranges');
    expect((await generateFiles(source, 'examples/saga_n2.saga', { tuning: fixed })).files).toEqual(files.files);
    // With every size given (sagac build --dim ...), the entries of that bucket: here a second
    // bucket's (B=2) for the reduction, not the largest's.
    const twoBuckets: TuningFile = { ...fixed, entries: [...fixed.entries, { ...fixed.entries[0], kernel: 'outer_sum_s_partial', bucket: 'B=2,C=64,N=512', params: { splits: 16 } }] };
    const sized = async (B: number) => (await generateFiles(source, 'examples/saga_n2.saga', { tuning: twoBuckets, dims: new Map([['B', B], ['N', 300], ['C', 64]]) })).files.find((f) => f.path === 'saga_n2.ts')!.contents.split('\n').find((l) => l.includes('tuned on'));
    expect(await sized(2)).toBe('// Kernel parameters tuned on test adapter: outer_sum_s_partial splits 16.');
    expect(await sized(1)).toMatch(/outer_sum_s_partial splits 8\.$/);

    const plan = generatePlan(graph, tuningFor(fixed, 'saga_n2'));
    const g = compileSource(source, 'examples/saga_n2.saga').graphs[0];
    const next = rng(5);
    const sizes = new Map([['B', 2], ['N', 77], ['C', 10]]);
    const t: Record<string, Tensor> = Object.fromEntries([...inputsOf(g), ...paramsOf(g)].map((n) => [n.name, randomTensor(evalShape(n.shape, sizes), next)]));
    const ex = await Executor.create(gpu, plan);
    try {
      expect(maxRelativeError((await ex.run(t)).outputs.y.data, interpret(g, t).y.data)).toBeLessThan(1e-4);
    } finally {
      ex.destroy();
    }
  });
});

describe('even token ranges tried by sagac tune', () => {
  it('split counts about 4% apart from w/√2 to w·√2, each once', () => {
    expect(evenSplitCounts(32)).toEqual([23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 35, 36, 38, 40, 41, 43, 45]);
    expect(evenSplitCounts(8)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(evenSplitCounts(1)).toEqual([1]);
  });
});

describe('split count from the sizes', () => {
  it('aims at about 512 workgroups, between 8 and 256 token ranges', async () => {
    const { splitsFor } = await import('../../codegen/wgsl/index.js');
    // 1 head x 1 state tile at batch 1 (1280², stage 1), batch 8, and 8 heads at batch 8 (stage 4).
    expect([splitsFor(1), splitsFor(2), splitsFor(8), splitsFor(64), splitsFor(10_000)]).toEqual([256, 256, 64, 8, 8]);
  });

  it('never makes a range of fewer than 128 tokens', async () => {
    const { splitsFor } = await import('../../codegen/wgsl/index.js');
    // N = 784 (224², stage 2): 6.1 ranges of 128 tokens -> 4; N = 102,400 leaves the GPU-filling count.
    expect([splitsFor(1, 784), splitsFor(1, 100), splitsFor(1, 102_400), splitsFor(5, 6400)]).toEqual([4, 1, 256, 32]);
  });

  it('is used when the plan knows its sizes and nothing else chose', () => {
    const partial = (o: Parameters<typeof generatePlan>[1]) => generatePlan(graph, o).buffers.find((b) => b.id === 's_partial')!.shape[0].num;
    for (const kvProjections of [false, true]) {
      expect(partial({ kvProjections })).toBe(32);
      expect(partial({ dims: new Map([['B', 1], ['N', 102400], ['C', 64]]), splits: 16, kvProjections })).toBe(16);
    }
    const stored = (dims: Record<string, number>) => partial({ dims: new Map(Object.entries(dims)), kvProjections: false });
    // 2 heads x one 32x32 state tile: 2 workgroups per range, 256 ranges.
    expect(stored({ B: 1, N: 102400, C: 64 })).toBe(256);
    expect(stored({ B: 64, N: 1024, C: 64 })).toBe(8);
    expect(stored({ B: 1, N: 784, C: 64 })).toBe(4);
    // Computing the projections inside (projectedSplitsFor): at most 128 workgroups where a range
    // has 16 or fewer (here 2), else about 1024; ranges of 64+ tokens.
    const inside = (dims: Record<string, number>) => partial({ dims: new Map(Object.entries(dims)) });
    expect([inside({ B: 1, N: 102400, C: 64 }), inside({ B: 64, N: 1024, C: 64 }), inside({ B: 1, N: 784, C: 64 })]).toEqual([64, 8, 8]);
  });

  it('with the projections inside: one wave of at most 128 workgroups for small grids, ~1024 for large ones', async () => {
    const { projectedSplitsFor } = await import('../../codegen/wgsl/index.js');
    // PVT-T at 1280² (workgroups a range = batch x heads): stage 1 B1 and B8, stage 2 B1 and B8, stage 3 B1 and B8, stage 4 B1 and B8.
    const rows: [number, number][] = [[1, 102400], [8, 102400], [2, 25600], [16, 25600], [5, 6400], [40, 6400], [8, 1600], [64, 1600]];
    expect(rows.map(([w, n]) => projectedSplitsFor(w, n))).toEqual([128, 16, 64, 8, 25, 32, 16, 16]);
    // 5 heads at 1024² (64 steps): 25 ranges, 125 workgroups, not 32 (160: two waves); at 512² the one-step cap (16).
    expect([projectedSplitsFor(5, 4096), projectedSplitsFor(5, 1024), projectedSplitsFor(17, 1 << 20)]).toEqual([25, 16, 64]);
  });
});
