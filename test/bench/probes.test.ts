// bench/scripts/codispatch-probe.mjs, rows-probe.mjs and readout-probe.mjs (they import the built
// dist/): the merged KV + q projection kernel gives the two kernels' outputs bit for bit; the q
// projection writing the read-out gives matmul_t35's output (float32 rounding apart); the row-sum edits run in
// codegen-ab, the written-out one with the generated kernel's output, the left-out one not (a
// timing-only probe); mistakes in the command line are one line with exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const node = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, [`bench/scripts/${script}`, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
const diffOf = (out: string, arm: string) => Number(new RegExp(`^224 s4 B1 ${arm}: .*max \\|diff\\| / max \\|y\\| ([\\d.e+-]+);`, 'm').exec(out)![1]);

describe('bench/scripts/codispatch-probe.mjs', () => {
  it('merges the projected KV kernel and the q projection into one grid with the same outputs, bit for bit', () => {
    const r = node('codispatch-probe.mjs', 'check', '512', '3:1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^512 s3 B1: kv \d+ workgroups, q \d+; outputs identical$/m);
  }, 300_000);

  it('answers an unknown mode or row with one line and exit code 2', () => {
    for (const [args, message] of [
      [['fast'], 'no mode fast'],
      [['check', '500'], 'RESOLUTION 500: expected a multiple of 32'],
      [['check', '512', '5:1'], 'rows 5:1: expected STAGE:BATCH pairs'],
    ] as const) {
      const r = node('codispatch-probe.mjs', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`codispatch-probe: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('bench/scripts/readout-probe.mjs', () => {
  it("writes the read-out from the q projection's kernel with matmul_t35's output, within 1e-5", () => {
    const r = node('readout-probe.mjs', 'check', '512', '4:8');
    expect(r.status).toBe(0);
    const err = Number(/^512 s4 B8: max \|fused - t35\| \/ max \|t35\| (\S+)$/m.exec(r.stdout)![1]);
    expect(err).toBeLessThan(1e-5);
  }, 300_000);

  it('answers an unknown mode with one line and exit code 2', () => {
    const r = node('readout-probe.mjs', 'fast');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('readout-probe: no mode fast');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bench/scripts/rows-probe.mjs', () => {
  it('writes the row-sum edits of matmul_t35; written out they give its output, left out they do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rows-probe-'));
    const w = node('rows-probe.mjs', dir, '224', 'block:4:1');
    expect(w.status).toBe(0);
    const base = join(dir, 'block-matmul_t35-s4-b1');
    for (const v of ['base', 'norows', 'rowsu']) expect(existsSync(`${base}-${v}.wgsl`)).toBe(true);
    expect(readFileSync(`${base}-base.wgsl`, 'utf8')).toContain('for (var rd_p');
    expect(readFileSync(`${base}-norows.wgsl`, 'utf8')).not.toContain('rd_acc = rd_acc +');
    expect(readFileSync(`${base}-rowsu.wgsl`, 'utf8').match(/let rd_t\d+ = /g)).toHaveLength(16);
    // The printed command is what times them; run it here (224², stage 4, batch 1).
    const command = w.stdout.trim().split('\n')[0];
    const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2);
    const r = node('codegen-ab.mjs', ...args);
    expect(r.status).toBe(0);
    expect(diffOf(r.stdout, 'rowsu')).toBeLessThan(1e-5);
    expect(diffOf(r.stdout, 'norows')).toBeGreaterThan(1e-2);
  }, 300_000);

  it('answers a missing directory or a bad row with one line and exit code 2', () => {
    for (const [args, message] of [
      [[], 'expected an output directory'],
      [['/tmp/x', '1280', 'block:9:1'], 'block:9:1: expected WORKLOAD:STAGE:BATCH'],
    ] as const) {
      const r = node('rows-probe.mjs', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`rows-probe: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
