// bench/scripts/matmul-variants.mjs (it imports the built dist/): every hand-written variant that
// fits this adapter's workgroup memory matches a float64 matmul (the check its timings rely on),
// the multiply-adds-only probes do not (so the check can fail), and a mistake in the command
// line is one line with exit code 2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['bench/scripts/matmul-variants.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const errors = (out: string) => Object.fromEntries([...out.matchAll(/^(\w+) worst rel err (\S+)$/gm)].map((m) => [m[1], Number(m[2])]));

describe('bench/scripts/matmul-variants.mjs', () => {
  it('checks each variant against a float64 matmul: the kernels within 1e-6, the multiply-adds-only probe far off', () => {
    const r = run('check', 's16,vecB16,vecA16,vec32,db16,vdb16,vbfu16,fudb16,o_s16');
    expect(r.status).toBe(0);
    const e = errors(r.stdout);
    for (const v of ['s16', 'vecB16', 'vecA16', 'vec32', 'db16', 'vdb16', 'vbfu16', 'fudb16']) expect(e[v], v).toBeLessThan(1e-6);
    expect(e.o_s16).toBeGreaterThan(1e-2);
  });

  it('answers an unknown variant or mode with one line and exit code 2', () => {
    for (const args of [['check', 'nope'], ['fast']]) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^matmul-variants: no (variant nope|mode fast)\nusage: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
