// bench/scripts/codegen-ab.mjs (it imports the built dist/, which `npm ci` and `npm run build`
// write): two arms of the block at 224², stage 4, batch 1 on this machine's adapter, and the
// command-line mistakes it answers with one line and exit code 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkload, STAGES } from '../../bench/workloads.js';
import { generatePlan } from '../../codegen/wgsl/index.js';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['bench/scripts/codegen-ab.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

describe('bench/scripts/codegen-ab.mjs', () => {
  it('times each arm in rounds and compares its output with the first arm', () => {
    const r = run('block', '224', '4', '1', 'base={}', 'k4={"tuning":{"matmul_t9":{"kSplits":4}}}');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    // Each arm's plan once: kernels, storage, the difference from the first arm, per-kernel ms.
    const base = lines.find((l) => l.startsWith('224 s4 B1 base: ') && l.includes('kernels'));
    const k4 = lines.find((l) => l.startsWith('224 s4 B1 k4: ') && l.includes('kernels'));
    expect(base).toMatch(/max \|diff\| \/ max \|y\| 0\.00e\+0;/);
    expect(k4).toMatch(/matmul_t9_partial \d/);
    // Four ranges of k add in another order: a difference, but within float32 rounding.
    const diff = Number(/max \|diff\| \/ max \|y\| ([\d.e+-]+);/.exec(k4!)![1]);
    expect(diff).toBeLessThan(1e-5);
    // Then three rounds per arm, and the best against the first arm's best.
    expect(lines.find((l) => l.startsWith('224 s4 B1 base: ') && l.includes('best'))).toMatch(/^224 s4 B1 base: (\d+\.\d{3} ){3}ms \(best \d+\.\d{3}, 0\.0% vs base\)$/);
    expect(lines.find((l) => l.startsWith('224 s4 B1 k4: ') && l.includes('best'))).toMatch(/^224 s4 B1 k4: (\d+\.\d{3} ){3}ms \(best \d+\.\d{3}, -?\d+\.\d% vs base\)$/);
  }, 300_000);

  it("swaps a kernel's WGSL for a file's (an arm's \"wgsl\"): the generated text, edited, gives the same output; a broken one is refused", () => {
    // The plan codegen-ab.mjs makes for the block at 224², stage 4, batch 1.
    const S = STAGES[3];
    const plan = generatePlan(compileWorkload('block', S.heads).fused, { dims: new Map([['B', 1], ['N', (224 / S.stride) ** 2], ['C', S.C]]) });
    const kernel = plan.kernels[0];
    const file = join(mkdtempSync(join(tmpdir(), 'codegen-ab-')), 'edited.wgsl');
    writeFileSync(file, `// edited by hand\n${kernel.wgsl}`);
    const r = run('block', '224', '4', '1', 'base={}', `edit=${JSON.stringify({ wgsl: { [kernel.name]: file } })}`);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').find((l) => l.startsWith('224 s4 B1 edit: ') && l.includes('kernels'))).toMatch(/max \|diff\| \/ max \|y\| 0\.00e\+0;/);
    // The file is what runs: one that does not parse fails the arm, naming the kernel.
    const broken = join(mkdtempSync(join(tmpdir(), 'codegen-ab-')), 'broken.wgsl');
    writeFileSync(broken, 'fn nope(');
    for (const [arm, message] of [
      [`e=${JSON.stringify({ wgsl: { [kernel.name]: broken } })}`, `arm e: kernel ${kernel.name} does not compile`],
      [`e=${JSON.stringify({ wgsl: { [kernel.name]: '/no/such.wgsl' } })}`, `arm e: no WGSL file /no/such.wgsl for kernel ${kernel.name}`],
      [`e=${JSON.stringify({ wgsl: { nope: file } })}`, 'arm e: the plan has no kernel nope'],
    ]) {
      const bad = run('block', '224', '4', '1', arm);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(`codegen-ab: ${message}`);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  }, 300_000);

  it('answers a mistake in the command line with one line, no stack trace', () => {
    for (const [args, message] of [
      [['block', '224', '4', '1'], 'expected at least one arm'],
      [['block', '224', '4', '1', 'x={bad'], 'arm x: '],
      [['block', '224', '4', '1', 'no-equals'], 'arm no-equals: expected LABEL=JSON or LABEL@DIR=JSON'],
      [['block', '230', '4', '1', 'a={}'], 'RESOLUTION 230: expected a multiple of 32'],
      [['block', '224', '5', '1', 'a={}'], 'STAGES 5: expected PVT-T stages from 1 to 4'],
      [['missing.saga', '224', '4', '1', 'a={}'], 'WORKLOAD missing.saga: not block, core or a .saga file'],
    ] as const) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`codegen-ab: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('bench/scripts/tuning-options.mjs', () => {
  const options = (...args: string[]) => spawnSync(process.execPath, ['bench/scripts/tuning-options.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it("prints a tuning file's entries as a codegen-ab arm: the largest bucket's, or the one of DIMS, filtered by kernel", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sagac-options-')), 't.json');
    const entry = (kernel: string, bucket: string, splits: number) => ({ block: 'saga', kernel, bucket, params: { splits }, ms: 1, defaultMs: 1 });
    writeFileSync(file, JSON.stringify({ sagac: 't', adapter: 'a', entries: [entry('outer_mean_s_projected', 'B=1,C=64,N=4096', 16), entry('outer_mean_s_projected', 'B=8,C=64,N=4096', 8), entry('outer_mean_s', 'B=8,C=64,N=4096', 4)] }));
    expect(JSON.parse(options(file).stdout)).toEqual({ tuning: { outer_mean_s: { splits: 4 }, outer_mean_s_projected: { splits: 8 } } });
    expect(JSON.parse(options(file, 'saga', '_projected', 'B=1,N=3000,C=64').stdout)).toEqual({ tuning: { outer_mean_s_projected: { splits: 16 } } });
    const bad = options(file, 'saga', '', 'B=x');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("tuning-options: DIMS 'B=x': expected NAME=SIZE,... with whole sizes");
  });
});
