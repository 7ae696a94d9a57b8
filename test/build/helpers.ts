// Shared by the build tests: a scratch directory inside the repo (so node_modules and the runtime
// resolve from generated files) and quiet builds whose messages are captured.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type BuildOptions } from '../../cli/build.js';

export const repo = join(import.meta.dirname, '../..');
export const runtimeEntry = join(repo, 'runtime/entry.ts');

const made: string[] = [];

/** A fresh directory under test/build/.tmp (ignored by git); `removeScratch` deletes them all. */
export function scratch(name: string): string {
  const root = join(import.meta.dirname, '.tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, `${name}-`));
  made.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir`, relative path -> bytes as text, in sorted order. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export async function quietBuild(o: Partial<BuildOptions> & Pick<BuildOptions, 'patterns' | 'out'>): Promise<{ code: number; log: string }> {
  const lines: string[] = [];
  const code = await build({ fuse: true, check: false, watch: false, log: (l) => lines.push(l), ...o });
  return { code, log: lines.join('\n') };
}
