// Issue 5's targets from made-up rows whose ratios are worked out by hand here, and the PyTorch
// file reader against the real file saga_bench.py wrote.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Roofline } from '../../bench/roofline.js';
import { assessTargets, formatTargets, loadTorch, TorchFileError, type ArmResult, type ResultRow, type TorchResults } from '../../bench/targets.js';

const roofline: Roofline = {
  copy: { bytes: 2e9, ms: 2, spread: [2, 2], gbps: 1000 },
  matmul: { size: 4096, ms: 10, spread: [10, 10], gflops: 10_000 },
  fma: { workgroups: 65536, ms: 10, spread: [10, 10], gflops: 60_000 },
  timing: 'timestamps',
};
const STAGE = [
  { C: 64, heads: 1, stride: 4 },
  { C: 128, heads: 2, stride: 8 },
  { C: 320, heads: 5, stride: 16 },
  { C: 512, heads: 8, stride: 32 },
];

function row(workload: 'block' | 'core', stage: number, B: number, fused: ArmResult, unfused: ArmResult, perfectBytes = 100e6, size = 1280): ResultRow {
  const s = STAGE[stage - 1];
  return { workload, size, stage, N: (size / s.stride) ** 2, C: s.C, heads: s.heads, B, perfectBytes, flops: 1e9, fused, unfused };
}

const k = (name: string, ms: number) => ({ name, ms });
const rows: ResultRow[] = [
  // Core: 80% and 50% of copy bandwidth at N = 102,400 and 25,600; N = 6,400 does not count.
  row('core', 1, 1, { ms: 1, bytes: 1, gbps: 800, bandwidthFraction: 0.8 }, { ms: 9, bytes: 9 }),
  row('core', 2, 1, { ms: 1, bytes: 1, gbps: 500, bandwidthFraction: 0.5, kernels: [k('a', 0.1), k('b', 0.6), k('c', 0.2), k('d', 0.1)] }, { ms: 9, bytes: 9 }),
  row('core', 3, 1, { ms: 1, bytes: 1, gbps: 100, bandwidthFraction: 0.1 }, { ms: 9, bytes: 9 }),
  // Block, B = 1, every stage at 1280²: fused ms 2, 1, 1, 1; memory 1.2, 1.1, 1.3, 1.0 × perfect.
  row('block', 1, 1, { ms: 2, bytes: 120e6 }, { ms: 8, bytes: 3600e6 }),
  row('block', 2, 1, { ms: 1, bytes: 110e6 }, { ms: 5, bytes: 2000e6 }),
  row('block', 3, 1, { ms: 1, bytes: 130e6 }, { ms: 5, bytes: 2000e6 }),
  row('block', 4, 1, { ms: 1, bytes: 100e6 }, { ms: 5, bytes: 2000e6 }),
  // N = 102,400 at B = 8: unfused over limits, so only its memory counts (25×).
  row('block', 1, 8, { ms: 10, bytes: 400e6 }, { bytes: 10_000e6, error: 'buffer over limits' }, 400e6),
];

const arm = (ms: number, peak_bytes: number) => ({ ms, peak_bytes });
const torch: TorchResults = {
  device: 'fake',
  rows: [
    { size: 1280, stage: 1, B: 1, saga_eager: arm(6, 1), saga_compile: arm(2, 1), sra: arm(3, 300e6) },
    { size: 1280, stage: 2, B: 1, saga_eager: arm(3, 1), saga_compile: arm(1.5, 1), sra: arm(2, 200e6) },
    { size: 1280, stage: 3, B: 1, saga_eager: arm(2, 1), saga_compile: arm(0.9, 1), sra: arm(2, 300e6) },
    { size: 1280, stage: 4, B: 1, saga_eager: arm(2, 1), saga_compile: arm(1, 1), sra: arm(3, 200e6) },
  ],
};

describe('assessTargets', () => {
  const [t1, t2, t3, t4, t5] = assessTargets(rows, roofline, torch);

  it('1: the worst fused core row at N ≥ 25,600 against 75% of copy bandwidth', () => {
    expect(t1.status).toBe('missed');
    expect(t1.figures.map((f) => f.fraction)).toEqual([0.8, 0.5]);
    expect(t1.summary).toContain('50.0% to 80.0% of 1000.0 GB/s');
    // With --profile, the worst row's slowest kernels.
    expect(t1.timeGoes).toBe('core 1280² s2 B1, 1.00 ms: b 0.60, c 0.20, a 0.10 ms (of 4 kernels, each in a pass of its own)');
  });

  it('1: where the time goes by the one-run profile when the fused arm has it', () => {
    const oneRun = [0.5, 0.3, 0.1, 0.1];
    const withOneRun = rows.map((r) => (r.workload === 'core' && r.stage === 2 ? { ...r, fused: { ...r.fused, kernels: r.fused.kernels!.map((t, i) => ({ ...t, oneRunMs: oneRun[i] })) } } : r));
    expect(assessTargets(withOneRun, roofline, torch)[0].timeGoes).toBe('core 1280² s2 B1, 1.00 ms: a 0.50, b 0.30, c 0.10 ms (of 4 kernels, as one run)');
  });

  it('2: PyTorch time ÷ sagac time per stage at 1280², against 1.5× eager and 1.0× compile', () => {
    expect(t2.status).toBe('missed'); // stage 3: 0.9 / 1 vs torch.compile
    expect(t2.figures.map((f) => [f.stage, f.vsEager, f.vsCompile])).toEqual([
      [1, 3, 1],
      [2, 3, 1.5],
      [3, 2, 0.9],
      [4, 2, 1],
    ]);
  });

  it('3: fused block bytes ÷ (inputs + params + outputs), worst row against 1.25×', () => {
    expect(t3.status).toBe('missed');
    expect(t3.figures.map((f) => f.ratio)).toEqual([1.2, 1.1, 1.3, 1, 1]);
    expect(t3.summary).toContain('worst 1280² s3 B1');
  });

  it("3: the chunked arm as a trade-off: its memory and time ratios, the verdict still the whole run's", () => {
    // Stage 3 in chunks: 110 MB (1.1×) at 3 ms (3× the whole run's 1 ms); stage 1: 105 MB at 4 ms (2×).
    const chunkedRows = rows.map((r) =>
      r.workload === 'block' && r.B === 1 && (r.stage === 1 || r.stage === 3) ? { ...r, chunked: { ms: r.stage === 1 ? 4 : 3, bytes: r.stage === 1 ? 105e6 : 110e6, tokenChunk: 100 } } : r,
    );
    const t = assessTargets(chunkedRows, roofline)[2];
    expect(t.status).toBe('missed');
    expect(t.summary).toContain('in token chunks (RunOptions.tokenChunk, the largest chunk planned within 1.25×), 1.05× to 1.10× at 2.00× to 3.00× the whole run');
    expect(t.figures.filter((f) => f.chunkedRatio !== undefined).map((f) => [f.chunkedRatio, f.chunkedTime])).toEqual([[1.05, 2], [1.1, 3]]);
  });

  it('4: at N = 102,400 the time ratio where unfused ran, the memory ratio everywhere', () => {
    expect(t4.status).toBe('met');
    expect(t4.figures.map((f) => [f.B, f.speedup, f.memoryRatio])).toEqual([
      [1, 4, 30],
      [8, undefined, 25],
    ]);
    expect(t4.summary).toBe('time 4.00×; memory 25.00× to 30.00× (plan bytes)');
  });

  it('4: no time verdict when the unfused arm could not run at N = 102,400', () => {
    const t = assessTargets(rows.filter((r) => r.B === 8), roofline)[3];
    expect(t.status).toBe('not measured');
    expect(t.summary).toBe('time not measured (the unfused arm did not run); memory 25.00× (plan bytes)');
  });

  it('5: sums over the four stages at 1280²: SRA ÷ SAGA in time and memory, next to the paper', () => {
    expect(t5.status).toBe('missed'); // memory 1000 / 460 MB = 2.17× < 2.69×
    expect(t5.figures).toHaveLength(1); // B = 8 lacks stages 2-4
    const f = t5.figures[0];
    expect(f.throughput).toBeCloseTo(10 / 5, 12);
    expect(f.memory).toBeCloseTo(1000e6 / 460e6, 12);
    expect(f.eagerThroughput).toBeCloseTo(10 / 13, 12);
  });

  it('says what is missing rather than guessing', () => {
    const none = assessTargets(rows.filter((r) => r.size !== 1280), roofline);
    expect(none.map((t) => t.status)).toEqual(['not measured', 'not measured', 'not measured', 'not measured', 'not measured']);
    expect(none[1].summary).toContain('needs --torch FILE');
    const text = formatTargets(assessTargets(rows, roofline, torch), 'timestamps');
    expect(text.split('\n')).toHaveLength(12);
    expect(text).toContain('     where the time goes: core 1280² s2 B1');
    expect(text).toContain('1. fused attention core ≥ 75% of the copy-kernel bandwidth at N ≥ 25,600\n     MISSED: ');
    expect(text.split('\n')[0]).not.toContain('tuned');
    expect(formatTargets(assessTargets(rows, roofline, torch), 'timestamps', 't.json').split('\n')[0]).toBe(
      'targets (issue 5; times are GPU times of the kernels as a run encodes them, from timestamp queries; fused arms tuned from t.json where it has entries for their sizes):',
    );
  });
});

describe('loadTorch', () => {
  const dir = join(import.meta.dirname, '../../bench/results');
  const file = readdirSync(dir).find((f) => f.startsWith('torch-') && f.endsWith('.json'));

  it("reads saga_bench.py's JSON", () => {
    const t = loadTorch(join(dir, file!));
    expect(t.device).toContain('H100');
    expect(t.rows.length).toBeGreaterThan(0);
    expect(t.rows[0]).toMatchObject({ size: 224, stage: 1, B: 1 });
    expect(typeof t.rows[0].saga_eager?.ms).toBe('number');
  });

  it('rejects a file of another shape with the reason', () => {
    expect(() => loadTorch(join(import.meta.dirname, '../../package.json'))).toThrow(TorchFileError);
    expect(() => loadTorch(join(import.meta.dirname, '../../README.md'))).toThrow(/not JSON/);
  });
});
