// IR -> DOT / mermaid / SVG pictures, and the `sagac graph` command.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDims, toDot, toMermaid, toSvg } from '../../codegen/graph/index.js';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';

const root = join(import.meta.dirname, '../..');
const src = readFileSync(join(root, 'examples/saga.saga'), 'utf8');
const compiled = compileSource(src, 'examples/saga.saga');
const [before] = compiled.graphs;
const [after] = compiled.optimized;
const dims = new Map([['B', 1], ['N', 102400], ['C', 64]]);
const clusters = (dot: string) => [...dot.matchAll(/subgraph "cluster_([^"]+)"/g)].map((m) => m[1]);

describe('DOT', () => {
  it('matches the goldens before and after the passes', async () => {
    await expect(toDot(before, { dims })).toMatchFileSnapshot('./golden/saga_before.dot');
    await expect(toDot(after, { dims })).toMatchFileSnapshot('./golden/saga_after.dot');
  });

  it('names every cluster after a kernel of the WGSL plan, and is deterministic', () => {
    for (const g of [before, after]) {
      const kernels = new Set(generatePlan(g).kernels.map((k) => k.name));
      const names = clusters(toDot(g));
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(kernels).toContain(n);
      expect(toDot(g, { dims })).toBe(toDot(g, { dims }));
    }
    // Fusion: far fewer kernels after the passes; q @ (s @ w_o), which writes y, computes den
    // alongside (fuse-row-reductions).
    expect(clusters(toDot(after)).length).toBeLessThan(clusters(toDot(before)).length);
    const qs = /subgraph "cluster_matmul_y" \{([^}]*)\}/.exec(toDot(after))![1];
    expect(qs).toContain('den = sum');
    expect(qs).toContain('q = relu');
  });

  it('shows memory at the given dims: x is B*N*C f32 = 25 MiB; inline nodes are not stored', () => {
    const dot = toDot(after, { dims });
    expect(dot).toMatch(/input x\n\[B, N, C\]\n6,553,600 el, 25\.0 MiB/);
    expect(dot).toContain('(inline, 6,553,600 el, 25.0 MiB not stored)');
    // one edge per operand
    const edges = dot.split('\n').filter((l) => l.includes(' -> ')).length;
    expect(edges).toBe(after.nodes.reduce((t, n) => t + ('x' in n ? 1 : 'a' in n ? 2 : 0), 0));
  });

  it('parses --dims and rejects bad entries', () => {
    expect([...parseDims(['N=102400,C=64', 'B=2'])]).toEqual([['N', 102400], ['C', 64], ['B', 2]]);
    expect(() => parseDims(['N=abc'])).toThrow(/bad --dims entry 'N=abc'/);
    expect(() => parseDims(['N=0'])).toThrow(/POSITIVE_INTEGER/);
  });
});

describe('mermaid and SVG', () => {
  it('mermaid has a subgraph per kernel', () => {
    const m = toMermaid(after);
    expect(m.startsWith('flowchart TD\n')).toBe(true);
    expect([...m.matchAll(/^ {2}subgraph (\S+)\[/gm)].map((x) => x[1])).toEqual(clusters(toDot(after)));
  });

  it('SVG renders, with the kernel cluster names', async () => {
    const svg = await toSvg(after, { dims });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    for (const k of clusters(toDot(after))) expect(svg).toContain(`kernel ${k}`);
  });
});

describe('sagac graph', () => {
  let dir: string;
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
    dir = mkdtempSync(join(tmpdir(), 'sagac-graph-'));
  }, 120_000);
  const sagac = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { cwd: root, encoding: 'utf8' });

  it('writes an SVG after the passes', () => {
    const out = join(dir, 'after.svg');
    const r = sagac('graph', 'examples/saga.saga', '--block', 'saga', '--after', 'fuse-row-reductions', '--format', 'svg', '--out', out, '--dims', 'B=1,N=102400,C=64');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Before fuse-epilogue, q @ (s @ w_o)'s kernel writes its own product (t37).
    expect(readFileSync(out, 'utf8')).toContain('kernel matmul_t37');
  });

  it('prints DOT equal to the library output', () => {
    const r = sagac('graph', 'examples/saga.saga', '--format', 'dot');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(toDot(before));
  });

  it.each([
    [['--block', 'nope'], "has no block 'nope' (blocks: saga)"],
    [['--dims', 'N=x'], "bad --dims entry 'N=x'"],
    [['--dims', 'N=4'], '--dims lacks B, C'],
    [['--format', 'png'], "--format must be svg, dot or mermaid, got 'png'"],
    [['--after', 'nosuchpass'], 'nosuchpass'],
  ])('%j -> a clear error, no stack trace', (args, msg) => {
    const r = sagac('graph', 'examples/saga.saga', ...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
