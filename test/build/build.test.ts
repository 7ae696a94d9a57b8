// `sagac build`: golden files for what users commit, byte-identical rebuilds, and --check.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../codegen/ts/index.js';
import { quietBuild, removeScratch, readTree, repo, scratch } from './helpers.js';

afterAll(removeScratch);

describe.each(['saga', 'linear'])('examples/%s.saga', (name) => {
  it('generates the golden TypeScript module and WGSL files', async () => {
    const file = `examples/${name}.saga`;
    const r = await generateFiles(readFileSync(join(repo, file), 'utf8'), file);
    expect(r.ok).toBe(true);
    expect(r.files.map((f) => f.path)).toMatchSnapshot();
    // `.golden` keeps the module out of the repo's own type-check (it imports `sagac/runtime`).
    for (const f of r.files) {
      await expect(f.contents).toMatchFileSnapshot(`golden/${f.path.endsWith('.ts') ? `${f.path}.golden` : f.path}`);
    }
  });
});

describe('sagac build', () => {
  it('gives byte-identical files on two builds, and rewrites nothing the second time', async () => {
    const [a, b] = [scratch('same'), scratch('same')];
    expect((await quietBuild({ patterns: ['examples/*.saga'], out: a })).code).toBe(0);
    expect((await quietBuild({ patterns: ['examples/*.saga'], out: b })).code).toBe(0);
    expect(readTree(a)).toEqual(readTree(b));
    expect(readTree(a).size).toBeGreaterThan(20);
    const again = await quietBuild({ patterns: ['examples/*.saga'], out: a });
    expect(again.log).toMatch(/, 0 written or removed/);
  });

  it('--check passes on fresh files and names each stale, missing and extra file', async () => {
    const out = scratch('check');
    const patterns = ['examples/saga.saga', 'examples/linear.saga'];
    await quietBuild({ patterns, out });
    expect((await quietBuild({ patterns, out, check: true })).code).toBe(0);

    appendFileSync(join(out, 'saga.ts'), '// edited by hand\n');
    const kernelFile = readdirSync(join(out, 'linear')).sort()[0];
    rmSync(join(out, 'linear', kernelFile));
    writeFileSync(join(out, 'linear/99-old_kernel.wgsl'), '');
    const { code, log } = await quietBuild({ patterns, out, check: true });
    expect(code).toBe(1);
    expect(log).toContain(`stale: ${join(out, 'saga.ts')}`);
    expect(log).toContain(`missing: ${join(out, 'linear', kernelFile)}`);
    expect(log).toContain(`extra: ${join(out, 'linear/99-old_kernel.wgsl')}`);
    expect(log).toContain('3 generated files are out of date');

    // A build repairs all three; --check then passes.
    await quietBuild({ patterns, out });
    expect((await quietBuild({ patterns, out, check: true })).code).toBe(0);
  });

  it('--no-fuse emits the plan as written (more kernels)', async () => {
    const source = readFileSync(join(repo, 'examples/saga.saga'), 'utf8');
    const fused = await generateFiles(source, 'saga.saga');
    const unfused = await generateFiles(source, 'saga.saga', { fuse: false });
    const count = (r: typeof fused) => r.files.filter((f) => f.path.endsWith('.wgsl')).length;
    expect(count(unfused)).toBeGreaterThan(count(fused));
    expect(unfused.files[0].contents).toContain('(block saga, unfused)');
  });

  it('prints diagnostics for a bad source and exits 1', async () => {
    const dir = scratch('bad');
    writeFileSync(join(dir, 'bad.saga'), 'block bad {\n  input x: [N, C]\n  output y = x @ w\n}\n');
    const { code, log } = await quietBuild({ patterns: [join(dir, '*.saga')], out: join(dir, 'out') });
    expect(code).toBe(1);
    expect(log).toMatch(/bad\.saga:3:\d+: error SG\d+/);
  });
});

describe('sagac build --watch', () => {
  it('rebuilds a changed file, prints its errors, and keeps watching', async () => {
    const dir = scratch('watch');
    const src = join(dir, 'src');
    mkdirSync(src);
    const text = readFileSync(join(repo, 'examples/linear.saga'), 'utf8');
    writeFileSync(join(src, 'linear.saga'), text);
    const lines: string[] = [];
    const stop = new AbortController();
    const log = (l: string) => lines.push(l);
    // Waits for `pattern` in what was logged since the last wait.
    let seen = 0;
    const waitFor = async (pattern: RegExp) => {
      const since = () => lines.slice(seen).join('\n');
      for (let i = 0; i < 100 && !pattern.test(since()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(since()).toMatch(pattern);
      seen = lines.length;
    };
    const out = join(dir, 'gen');
    const done = quietBuild({ patterns: [`${src}/**/*.saga`], out, watch: true, signal: stop.signal, log });
    await waitFor(/watching/);
    // An editor's save: write elsewhere, rename over the file.
    writeFileSync(join(dir, 'tmp'), text.replace('@ w_o\n', '@ w_oo\n'));
    renameSync(join(dir, 'tmp'), join(src, 'linear.saga'));
    await waitFor(/linear\.saga:\d+:\d+: error SG2001: unknown name 'w_oo'/);
    writeFileSync(join(src, 'linear.saga'), `${text}// edited\n`);
    await waitFor(/wrote .*linear\.ts/);
    stop.abort();
    expect((await done).code).toBe(0);
    expect(readFileSync(join(out, 'linear.ts'), 'utf8')).toContain(createHash('sha256').update(`${text}// edited\n`).digest('hex'));
  });
});
