// The whole harness on this machine's adapter at the smallest size: it runs, prints the table and
// the targets, and writes a JSON with both workloads and both arms, the roofline, and the chart.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../bench/harness.js';
import { runBench } from '../../bench/harness.js';
import { FMA_FLOPS } from '../../bench/roofline.js';

function collect() {
  const chunks: string[] = [];
  return { isTTY: false, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

describe('npm run bench at 224², stage 1, batch 1 (smoke)', () => {
  const out = mkdtempSync(join(tmpdir(), 'sagac-bench-'));
  const stdout = collect();
  const stderr = collect();
  let code: number;
  let result: BenchResult;
  let files: string[];

  beforeAll(async () => {
    code = await runBench(['--sizes', '224', '--stages', '1', '--batch', '1', '--repeat', '2', '--profile', '--out', out], { stdout, stderr });
    files = readdirSync(out).sort();
    result = JSON.parse(readFileSync(join(out, files.find((f) => f.endsWith('.json'))!), 'utf8'));
  }, 240_000);

  it('exits 0 and writes <adapter>-<date>.json, .md and .svg', () => {
    expect(code).toBe(0);
    const date = new Date().toISOString().slice(0, 10);
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(new RegExp(`-${date}\\.json$`));
    expect(files[1]).toBe(files[0].replace(/\.json$/, '.md'));
    expect(files[2]).toBe(files[0].replace(/\.json$/, '.svg'));
  });

  it("writes the .md: the tables' block and core rows, the five targets", () => {
    const md = readFileSync(join(out, files[1]), 'utf8');
    expect(md).toMatch(/^\| 224² \| 1 \| 3136 \| 64 \| 1 \| 1 \|/m);
    expect(md.match(/^\| 224² \|/gm)).toHaveLength(2);
    expect(md.match(/^[1-5]\. \*\*/gm)).toHaveLength(5);
  });

  it('has a row per workload with both arms timed, sized and checked against each other', () => {
    expect(result.rows.map((r) => r.workload)).toEqual(['block', 'core']);
    for (const r of result.rows) {
      expect(r).toMatchObject({ size: 224, stage: 1, N: 3136, C: 64, heads: 1, B: 1 });
      for (const a of [r.fused, r.unfused]) {
        expect(a.error).toBeUndefined();
        expect(a.ms).toBeGreaterThan(0);
        expect(a.passMs).toBeGreaterThan(0);
        expect(a.runMs).toBeGreaterThan(0);
        expect(a.spread![0]).toBeLessThanOrEqual(a.ms!);
        expect(a.spread![1]).toBeGreaterThanOrEqual(a.ms!);
        // The runtime's allocation report covers the plan's buffers plus read-back and uniforms.
        expect(a.peakBytes).toBeGreaterThan(a.bytes);
        // --profile: every kernel, summing to about the per-kernel-pass sum (a median of sums vs a sum of medians).
        const kernelSum = a.kernels!.reduce((t, k) => t + k.ms, 0);
        expect(kernelSum).toBeGreaterThan(a.kernelSumMs! / 2);
        expect(kernelSum).toBeLessThan(a.kernelSumMs! * 2);
        expect(a.kernelSumSpread![0]).toBeLessThanOrEqual(a.kernelSumMs!);
      }
      // The fused arm's one-run profile: the run cut after each kernel, differences summing to the whole cut.
      const oneRun = r.fused.kernels!.map((k) => k.oneRunMs!);
      expect(oneRun.every((v) => Number.isFinite(v))).toBe(true);
      const total = oneRun.reduce((t, v) => t + v, 0);
      expect(total).toBeGreaterThan(r.fused.ms! / 2);
      expect(total).toBeLessThan(r.fused.ms! * 2);
      expect(r.unfused.kernels!.every((k) => k.oneRunMs === undefined)).toBe(true);
      expect(r.fused.bytes).toBeLessThan(r.unfused.bytes / 10);
      expect(r.fusedVsUnfusedError).toBeLessThan(1e-5);
    }
    expect(result.rows[0].fused.kernels!.length).toBeGreaterThan(result.rows[1].fused.kernels!.length);
  });

  it('has the roofline and each row as a fraction of it', () => {
    const { copy, matmul } = result.roofline;
    expect(copy.gbps).toBeCloseTo(copy.bytes / (copy.ms * 1e6), 9);
    expect(matmul.gflops).toBeCloseTo((2 * matmul.size ** 3) / (matmul.ms * 1e6), 9);
    const { fma } = result.roofline;
    expect(fma.gflops).toBeCloseTo((fma.workgroups * 256 * FMA_FLOPS) / (fma.ms * 1e6), 9);
    // Nothing of ours outruns the multiply-add peak (a 10% margin for timing noise).
    expect(matmul.gflops).toBeLessThan(fma.gflops * 1.1);
    for (const r of result.rows) {
      for (const a of [r.fused, r.unfused]) {
        expect(a.gbps).toBeCloseTo(r.perfectBytes / (a.ms! * 1e6), 9);
        expect(a.bandwidthFraction).toBeCloseTo(a.gbps! / copy.gbps, 9);
        expect(a.flopFraction).toBeCloseTo(a.gflops! / matmul.gflops, 9);
      }
    }
  });

  it('reports the five targets, prints the table on stdout and progress on stderr', () => {
    expect(result.targets.map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    expect(result.targets[2].status).not.toBe('not measured'); // block memory: measurable at any size
    expect(stdout.text()).toMatch(/^workload size st .*fused ms.*%copy.*%matmul/m);
    expect(stdout.text()).toMatch(/^block +224 +1 +3136 +64 +1 +1 \|/m);
    expect(stdout.text()).toMatch(/^core +224 +1 +3136 /m);
    expect(stdout.text()).toContain('targets (issue 5');
    expect(stdout.text()).toMatch(/fused kernels, each in a pass of its own: .* ms in all/);
    expect(stdout.text()).toMatch(/fused kernels as one run \(the run cut after each\): \w+ -?[\d.]+/);
    // Elapsed time as 12.3s, or 1m05s past a minute (a loaded machine).
    expect(stderr.text().split('\n').filter((l) => /^\[\d\/8 (?:\d+m\d{2}|[\d.]+)s\] /.test(l))).toHaveLength(8);
  });

  it('runs the block in token chunks too: the same output, within the memory target', () => {
    const block = result.rows.find((r) => r.workload === 'block')!;
    const c = block.chunked!;
    expect(3136 % c.tokenChunk!).toBe(0);
    expect(block.chunkedVsFusedError).toBeLessThanOrEqual(1e-5);
    // No less than the whole run's: that one computes a ⊙ k and b ⊙ v inside the KV reduction
    // and lends x's buffer once read, which a chunked run (x read chunk by chunk) cannot.
    expect(c.bytes).toBeLessThanOrEqual(1.25 * block.perfectBytes);
    expect(c.kernels!.at(-1)!.name).toBe('combine_chunks');
    expect(stdout.text()).toMatch(new RegExp(`^ +fused in chunks of ${c.tokenChunk} tokens: [\\d.]+ ms`, 'm'));
    expect(result.rows.find((r) => r.workload === 'core')!.chunked).toBeUndefined();
  });

  it('writes the chart with a series per workload and arm', () => {
    const svg = readFileSync(join(out, files[2]), 'utf8');
    for (const key of ['block fused B=1', 'block unfused B=1', 'core fused B=1', 'core unfused B=1']) expect(svg).toContain(`data-series="${key}"`);
  });
});

describe('--wall: the path of an adapter without timestamp-query; --tuning', () => {
  it('times by wall clock per pass over the kernels, roofline included; the fused arm tuned at its bucket', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sagac-bench-wall-'));
    const [stdout, stderr] = [collect(), collect()];
    // 224² stage 4: B = 1, C = 512, N = 49, whose bucket is N=64; an entry for another bucket is not used.
    const tuning = join(out, 'tuning.json');
    const entry = (bucket: string, tile: number) => ({ block: 'saga_core', kernel: 'matmul_y', bucket, params: { tile }, ms: 1, defaultMs: 1 });
    writeFileSync(tuning, JSON.stringify({ sagac: 'test', adapter: 'any', entries: [entry('B=1,C=512,N=64', 64), entry('B=8,C=512,N=64', 128)] }));
    const code = await runBench(['--sizes', '224', '--stages', '4', '--batch', '1', '--workloads', 'core', '--repeat', '1', '--wall', '--tuning', tuning, '--out', out], { stdout, stderr });
    expect(code).toBe(0);
    const result: BenchResult = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(result.timing).toBe('wall');
    expect(result.roofline.timing).toBe('wall');
    expect(result.roofline.copy.gbps).toBeGreaterThan(0);
    const [row] = result.rows;
    for (const a of [row.fused, row.unfused]) {
      expect(a.ms).toBe(a.passMs);
      expect(a.ms).toBeGreaterThan(0);
      expect(a.spread).toBeUndefined();
    }
    expect(stdout.text()).toContain('wall time per pass over the kernels, 1 in one submission (--wall)');
    expect(row.fused.tuned).toEqual({ matmul_y: { tile: 64 } });
    expect(row.unfused.tuned).toBeUndefined();
    expect(row.fusedVsUnfusedError).toBeLessThan(1e-5);
    expect(stdout.text()).toMatch(/^ +fused: tuned \(matmul_y tile 64\)$/m);
    expect(result.options.tuning).toBe(tuning);
    expect(stdout.text()).toContain(`; fused arms tuned from ${tuning} where it has entries for their sizes):`);
  }, 240_000);
});
