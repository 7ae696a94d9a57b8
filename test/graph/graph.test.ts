// IR pictures: golden DOT for the SAGA example before and after the passes, the kernels drawn as
// clusters, memory at given sizes, an SVG that renders, and sagac graph's errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelsOf, toDot, toMermaid } from '../../codegen/graph/dot.js';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';

const root = join(import.meta.dirname, '../..');
const file = 'examples/saga.saga';
const r = compileSource(readFileSync(join(root, file), 'utf8'), file);
const dims = new Map([['B', 1], ['N', 102400], ['C', 64]]);
const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'graph', ...args], { cwd: root, encoding: 'utf8' });

describe('sagac graph', () => {
  it('draws the SAGA example as written (golden DOT): one kernel per value', async () => {
    const g = r.graphs[0];
    const dot = toDot({ graph: g, plan: generatePlan(g), dims });
    await expect(dot).toMatchFileSnapshot('./golden/saga_before.dot');
    // The unfused gate g is N×d×d: 1·2·102400·32·32·4 bytes.
    expect(dot).toContain('%25 outer (g)\\n[B, 2, N, d, d]\\n838.9 MB');
  });

  it('draws it after the passes (golden DOT): fused regions as clusters named after their kernels', async () => {
    const g = r.optimized[0];
    const plan = generatePlan(g, { dims });
    const dot = toDot({ graph: g, plan, dims });
    await expect(dot).toMatchFileSnapshot('./golden/saga_after.dot');
    for (const k of plan.kernels) expect(dot).toContain(k.name);
    // Gates and feature maps are computed at load time inside the KV reduction's cluster.
    const byKernel = kernelsOf(g, plan);
    const a = g.nodes.find((n) => n.name === 'a')!;
    expect(byKernel.get(a.id)).toContain('outer_mean_s_partial');
    expect(dot).toMatch(/%\d+ sigmoid \(a\)\\n\[B, 2, N, d\]\\nno buffer \(load time\)/);
    expect(toMermaid({ graph: g, plan })).toMatch(/^flowchart TB\n[\s\S]*subgraph k\d+\["kernel outer_mean_s_partial/);
  });

  it('renders SVG in-process with the kernel clusters', () => {
    const svg = execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'graph', file, '--dims', 'N=102400,C=64'], { cwd: root, encoding: 'utf8' });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(svg).toContain('kernel outer_mean_s_partial');
    expect(svg).toContain('kernel matmul_y');
  });

  it('says what is wrong with bad flags, without a stack trace', () => {
    const bad = cli(file, '--format', 'png');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("sagac: error: --format must be one of svg, dot, mermaid, got 'png'\n");
    expect(cli(file, '--dims', 'Q=3').stderr).toMatch(/--dim expects NAME=SIZE with NAME one of B, N, C; got 'Q=3'/);
    expect(cli(file, '--after', 'nope').stderr).toMatch(/unknown pass 'nope'/);
  });
});
