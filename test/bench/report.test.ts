// bench/report.ts: a benchmark JSON as docs/benchmarks.md's Markdown tables. renderReport on a
// fixture made by hand (the expected cells worked out in the comments), then the command line
// (node dist/bench/report.js, the built dist/ that `npm ci` and `npm run build` write): its
// mistakes as one line and exit code 2, and the H200 wave run as it is in bench/results.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportResults } from '../../bench/report.js';
import type { BenchResult } from '../../bench/harness.js';
import { loadTorch, type TorchResults } from '../../bench/targets.js';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['dist/bench/report.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

const OVER = "buffer 'g' needs 2147483648 bytes, more than this device can bind (maxStorageBufferBindingSize 2147483644, maxBufferSize 1099511627776)";

// Roofline: copy 4000 GB/s, matmul 40 TFLOP/s, FMA 80 TFLOP/s.
const results: ReportResults = {
  adapter: 'test / fake-gpu',
  date: '2026-01-02',
  timing: 'timestamps',
  roofline: { copy: { gbps: 4000 }, matmul: { gflops: 40_000 }, fma: { gflops: 80_000 } },
  rows: [
    // 37.45 / 0.5 = 74.9×; 50e6 B = 50.0 MB, 5e9 B = 5000.0 MB; 2000 GB/s = 50.0% of 4000; 30000 GFLOP/s = 30.00 TFLOP/s = 75.0% of 40.
    { workload: 'block', size: 1280, stage: 1, N: 102_400, C: 64, heads: 1, B: 1, fused: { ms: 0.5, bytes: 50e6, gbps: 2000, bandwidthFraction: 0.5, gflops: 30_000, flopFraction: 0.75 }, unfused: { ms: 37.45, bytes: 5e9 } },
    // The unfused arm over the device's limits: no time, no speed-up, but its plan bytes (40897.8 MB).
    { workload: 'block', size: 1280, stage: 1, N: 102_400, C: 64, heads: 1, B: 8, fused: { ms: 2.25, bytes: 422.9e6, gbps: 3600, bandwidthFraction: 0.9, gflops: 36_000, flopFraction: 0.9 }, unfused: { bytes: 40_897.8e6, error: OVER } },
    // 7.75 / 0.125 = 62.0×; 0.297375 → 29.7%; 13180 GFLOP/s = 13.18 TFLOP/s.
    { workload: 'core', size: 1280, stage: 2, N: 25_600, C: 128, heads: 2, B: 1, fused: { ms: 0.125, bytes: 69.8e6, gbps: 1189.5, bandwidthFraction: 0.297375, gflops: 13_180, flopFraction: 0.33 }, unfused: { ms: 7.75, bytes: 2569.2e6 } },
  ],
  targets: [
    { id: 1, target: 'core ≥ 75% of copy', status: 'missed', summary: '29.7% of 4000.0 GB/s' },
    { id: 4, target: 'fused vs unfused ≥ 3×', status: 'met', summary: 'time 74.90×' },
  ],
};

// A PyTorch row for 1280² s1 B1 only (eager 0.75 / fused 0.5 = 1.50; compile 0.6 / 0.5 = 1.20), and one
// for s2 B1 that the core table must not use (PyTorch times the whole block).
const torch: TorchResults = {
  device: 'Fake GPU',
  torch: '2.0.0+cu120',
  cuda: '12.0',
  rows: [
    { size: 1280, stage: 1, B: 1, saga_eager: { ms: 0.75, peak_bytes: 1e8 }, saga_compile: { ms: 0.6, peak_bytes: 9e7 } },
    { size: 1280, stage: 2, B: 1, saga_eager: { ms: 9, peak_bytes: 1e8 }, saga_compile: { ms: 9, peak_bytes: 1e8 } },
  ],
};

const lines = (md: string) => md.split('\n');
/** The table under a `### workload` heading: its lines up to the next blank line. */
function tableOf(md: string, workload: string): string[] {
  const all = lines(md);
  const start = all.findIndex((l) => l.startsWith(`### ${workload}`)) + 2;
  const end = all.indexOf('', start);
  return all.slice(start, end === -1 ? undefined : end);
}
const cells = (line: string) => line.split('|').length - 2;

describe('renderReport', () => {
  it('lists the adapter, date, timing, roofline (in TFLOP/s) and the PyTorch versions', () => {
    const md = renderReport(results, torch);
    const head = lines(md).filter((l) => l.startsWith('- '));
    expect(head[0]).toBe('- adapter: test / fake-gpu');
    expect(head[1]).toBe('- date: 2026-01-02');
    expect(head[2]).toMatch(/^- timing: timestamps /);
    expect(head[3]).toBe('- roofline: copy 4000.0 GB/s; matmul 40.00 TFLOP/s; FP32 multiply-add peak 80.00 TFLOP/s');
    expect(head[4]).toBe('- PyTorch: Fake GPU, torch 2.0.0+cu120, CUDA 12.0');
  });

  it('has a block table with the PyTorch columns, the speed-ups and the over-limits arm', () => {
    const t = tableOf(renderReport(results, torch), 'block');
    expect(t[0]).toBe('| input | stage | N | C | heads | B | fused ms | unfused ms | speed-up | fused MB | unfused MB | GB/s | % copy | TFLOP/s | % matmul | eager ms | compile ms | ÷ eager | ÷ compile |');
    expect(t).toHaveLength(4);
    expect(t[2]).toBe('| 1280² | 1 | 102400 | 64 | 1 | 1 | 0.500 | 37.450 | 74.9× | 50.0 | 5000.0 | 2000.0 | 50.0% | 30.00 | 75.0% | 0.750 | 0.600 | 1.50 | 1.20 |');
    // No PyTorch row for B8: dashes, as for the speed-up of an arm that did not run.
    expect(t[3]).toBe('| 1280² | 1 | 102400 | 64 | 1 | 8 | 2.250 | over limits | — | 422.9 | 40897.8 | 3600.0 | 90.0% | 36.00 | 90.0% | — | — | — | — |');
    // Every line of the table, the separator included, has the header's 19 cells.
    for (const l of t) expect(cells(l)).toBe(19);
    expect(t[1]).toBe(`|${Array(19).fill('---').join('|')}|`);
  });

  it('has a core table without PyTorch columns even where the torch file has a row of its size', () => {
    const t = tableOf(renderReport(results, torch), 'core');
    expect(t).toHaveLength(3);
    expect(t[2]).toBe('| 1280² | 2 | 25600 | 128 | 2 | 1 | 0.125 | 7.750 | 62.0× | 69.8 | 2569.2 | 1189.5 | 29.7% | 13.18 | 33.0% |');
    for (const l of t) expect(cells(l)).toBe(15);
  });

  it('leaves the PyTorch columns and line out without a torch file', () => {
    const md = renderReport(results);
    expect(md).not.toContain('PyTorch');
    expect(md).not.toContain('eager');
    const t = tableOf(md, 'block');
    expect(t[0]).toBe('| input | stage | N | C | heads | B | fused ms | unfused ms | speed-up | fused MB | unfused MB | GB/s | % copy | TFLOP/s | % matmul |');
    expect(t[2]).toBe('| 1280² | 1 | 102400 | 64 | 1 | 1 | 0.500 | 37.450 | 74.9× | 50.0 | 5000.0 | 2000.0 | 50.0% | 30.00 | 75.0% |');
    for (const l of t) expect(cells(l)).toBe(15);
  });

  it('lists the targets as `N. **target** — STATUS: summary`', () => {
    const md = renderReport(results);
    const all = lines(md);
    const at = all.indexOf('### Targets');
    expect(all.slice(at + 2, at + 4)).toEqual(['1. **core ≥ 75% of copy** — MISSED: 29.7% of 4000.0 GB/s', '4. **fused vs unfused ≥ 3×** — MET: time 74.90×']);
    expect(md.endsWith('time 74.90×\n')).toBe(true);
  });

  it('marks an arm that failed otherwise as failed, and a roofline without an FMA peak has no FMA figure', () => {
    const { fma: _, ...roofline } = results.roofline;
    const failed: ReportResults = { ...results, roofline, rows: [{ ...results.rows[2], unfused: { bytes: 1e6, error: 'device lost' } }], targets: undefined };
    const md = renderReport(failed);
    expect(md).toContain('- roofline: copy 4000.0 GB/s; matmul 40.00 TFLOP/s\n');
    expect(tableOf(md, 'core')[2]).toBe('| 1280² | 2 | 25600 | 128 | 2 | 1 | 0.125 | failed | — | 69.8 | 1.0 | 1189.5 | 29.7% | 13.18 | 33.0% |');
    expect(md).toContain('No block rows in this run.');
    expect(md).not.toContain('### Targets');
  });
});

describe('node dist/bench/report.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagac-report-'));

  /** One line on stderr starting `report: `, exit code 2, nothing on stdout, no stack trace. */
  function refused(r: ReturnType<typeof run>, message: string) {
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.startsWith('report: ')).toBe(true);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  }

  it('answers a missing file, a file that is not JSON, and one of the wrong shape with one line', () => {
    refused(run('/nonexistent/results.json'), 'report: /nonexistent/results.json: no such file');
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'adapter: nvidia\n');
    refused(run(notJson), `report: ${notJson}: not JSON (`);
    refused(run('package.json'), 'report: package.json: no "adapter" string; expected the JSON node dist/bench/run.js writes');
    const noRows = join(dir, 'no-rows.json');
    writeFileSync(noRows, JSON.stringify({ ...results, rows: [{ ...results.rows[0], unfused: {} }] }));
    refused(run(noRows), `report: ${noRows}: row 0, "unfused" has no numeric "bytes"`);
  });

  it('answers a mistake in the arguments or the --torch file with one line', () => {
    refused(run(), 'report: expected a results JSON');
    refused(run('a.json', 'b.json'), 'expected one results JSON, got 2');
    refused(run('a.json', '--tourch', 'x'), "Unknown option '--tourch'");
    refused(run('bench/results/wave-nvidia-h200-2026-12-03.json', '--torch', '/nonexistent/torch.json'), 'report: --torch /nonexistent/torch.json: no such file');
    refused(run('bench/results/wave-nvidia-h200-2026-12-03.json', '--torch', 'package.json'), 'report: --torch package.json: no "rows" array');
  });

  it('renders a results file with the --torch file given', () => {
    const file = join(dir, 'results.json');
    const torchFile = join(dir, 'torch.json');
    writeFileSync(file, JSON.stringify(results));
    writeFileSync(torchFile, JSON.stringify(torch));
    const r = run(file, '--torch', torchFile);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\n| 1280² | 1 | 102400 | 64 | 1 | 1 | 0.500 | 37.450 | 74.9× | 50.0 | 5000.0 | 2000.0 | 50.0% | 30.00 | 75.0% | 0.750 | 0.600 | 1.50 | 1.20 |\n');
    // Without --torch and with no torch file named in the results: no PyTorch columns.
    const plain = run(file);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain('eager ms');
  });

  it("renders the H200 wave run, with the torch file its results name (bench/results' own)", () => {
    const r = run('bench/results/wave-nvidia-h200-2026-12-03.json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out).toContain('- adapter: nvidia / nvidia-h200 / NVIDIA: 580.159.04 580.159.4.0');
    // torch-NVIDIA-H200-2026-11-30.json's "device", "torch" and "cuda".
    expect(out).toContain('- PyTorch: NVIDIA H200, torch 2.11.0+cu130, CUDA 13.0');
    // 4 stages × 2 batches at 1280², in each of the two tables.
    expect(out.filter((l) => l.startsWith('| 1280² |'))).toHaveLength(16);
    // wave-….txt's row: 0.22 ms fused, 16.39 unfused, 74.88x; target 2's figures: eager 0.54304 / 0.21888 = 2.48, compile 2.15.
    const s1b1 = out.find((l) => l.startsWith('| 1280² | 1 | 102400 | 64 | 1 | 1 | 0.219 | 16.391 | 74.9× |'));
    expect(s1b1).toMatch(/\| 2\.48 \| 2\.15 \|$/);
    // wave-….txt: "block 1280 1 102400 64 1 8 | 1.46 over limits —", 422.9 and 40897.8 MB.
    expect(out).toContainEqual(expect.stringMatching(/^\| 1280² \| 1 \| 102400 \| 64 \| 1 \| 8 \| 1\.460 \| over limits \| — \| 422\.9 \| 40897\.8 \|/));
    const targets = out.filter((l) => /^\d\. \*\*/.test(l));
    expect(targets.map((l) => l.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
    expect(targets[3]).toMatch(/^4\. \*\*fused vs unfused ≥ 3× faster and ≥ 10× less memory at N = 102,400\*\* — MET: time 74\.88×/);
  });
});

// docs/benchmarks.md says its tables are bench:report's output for the run it names, unedited:
// held to that, so the page cannot drift from the JSON beside it.
describe('docs/benchmarks.md', () => {
  it("holds bench:report's tables of the run it names, as the command prints them", () => {
    const doc = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
    const named = /npm run bench:report -- (bench\/results\/[\w.-]+\.json)/.exec(doc);
    expect(named, 'docs/benchmarks.md names no results JSON after `npm run bench:report --`').not.toBeNull();
    const out = run(named![1]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('| 1280² |');
    expect(doc).toContain(out.stdout);
  });
});

// The hand-written tables of docs/benchmarks.md (1280² against PyTorch at the top, PyTorch's other
// arms below) come from the same run and PyTorch file: each cell checked against the JSON here,
// so they cannot drift from them either.
describe("docs/benchmarks.md's 1280² tables", () => {
  const doc = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
  const file = /npm run bench:report -- (bench\/results\/[\w.-]+\.json)/.exec(doc)![1];
  const results = JSON.parse(readFileSync(join(root, file), 'utf8')) as BenchResult;
  const torch = loadTorch(join(root, results.torch!.file));
  /** The eight stage × batch rows of the table whose header starts so, each with its run and PyTorch rows. */
  function rowsOf(header: string) {
    const rows = doc.slice(doc.indexOf(header)).split('\n').slice(2).filter((l) => /^\| \d/.test(l)).slice(0, 8);
    expect(rows, header).toHaveLength(8);
    return rows.map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      const [stage, B] = cells.map(Number);
      const r = results.rows.find((x) => x.workload === 'block' && x.size === 1280 && x.stage === stage && x.B === B)!;
      const t = torch.rows.find((x) => x.size === 1280 && x.stage === stage && x.B === B)! as TorchResults['rows'][number] & Record<'saga_bf16' | 'sdpa', { ms: number }>;
      return { line, cells: cells.slice(2), ours: r.fused.ms!, r, t };
    });
  }

  it('the table against PyTorch matches the run it names and its PyTorch file, cell by cell', () => {
    for (const { line, cells, ours: f, r, t } of rowsOf('| stage | B | sagac fused ms |')) {
      const [e, c] = [t.saga_eager!.ms, t.saga_compile!.ms];
      expect(cells, line).toEqual([f.toFixed(3), e.toFixed(3), c.toFixed(3), (e / f).toFixed(2), (c / f).toFixed(2), (e / 1.5).toFixed(3), (r.fused.peakBytes! / 1e6).toFixed(1)]);
    }
  });

  it("the table of PyTorch's other arms (bf16, SRA, softmax attention) too", () => {
    for (const { line, cells, ours: f, t } of rowsOf('| stage | B | sagac fused ms (float32) |')) {
      expect(cells, line).toEqual([f.toFixed(3), t.saga_eager!.ms.toFixed(3), t.saga_bf16.ms.toFixed(3), (t.saga_bf16.ms / f).toFixed(2), t.sra!.ms.toFixed(3), t.sdpa.ms.toFixed(3)]);
    }
  });
});
