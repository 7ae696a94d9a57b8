// The self-check: passes on this adapter for the examples, and fails naming the kernel when one
// is broken on purpose (its result scaled by 1.001 — far above the f32 floor of 1e-4).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { selfTest, selfTestDims } from '../../runtime/selftest.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';

const root = join(import.meta.dirname, '../..');
const file = 'examples/saga.saga';
const r = compileSource(readFileSync(join(root, file), 'utf8'), file);
const block = { unfused: { graph: r.graphs[0], plan: generatePlan(r.graphs[0]) }, fused: { graph: r.optimized[0], plan: generatePlan(r.optimized[0]) } };

describe('selfTest', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('picks odd sizes every division in the block accepts', () => {
    // saga.saga splits C into 2 heads: C = 3 * 2, d = 3.
    expect(selfTestDims(r.graphs[0])).toEqual({ B: 3, N: 37, C: 6 });
  });

  it('picks a token count that is whole rows of patches for a patch grid (pvt_sra: 2x2 patches, 8 wide)', () => {
    const pvt = compileSource(readFileSync(join(root, 'examples/pvt_sra.saga'), 'utf8'), 'examples/pvt_sra.saga');
    const dims = selfTestDims(pvt.graphs[0]);
    expect(dims.N % 16).toBe(0);
    expect(dims.N / 16).toBe(37);
  });

  it('passes every kernel of the SAGA example, fused and unfused', async () => {
    const report = await selfTest(gpu, block);
    expect(report.pass).toBe(true);
    expect(report.kernels.filter((k) => k.arm === 'fused').map((k) => k.kernel)).toContain('outer_mean_s');
    expect(report.kernels.filter((k) => k.arm === 'unfused')).toHaveLength(block.unfused.plan.kernels.length);
    expect(Math.max(...report.kernels.map((k) => k.error))).toBeLessThan(1e-5);
  });

  it('fails a broken kernel and names it', async () => {
    const plan = block.fused.plan;
    const broken = {
      ...plan,
      kernels: plan.kernels.map((k) => (k.name === 'outer_mean_s' ? { ...k, wgsl: k.wgsl.replace('s[i] = acc0 / f32(', 's[i] = 1.001 * acc0 / f32(') } : k)),
    };
    expect(broken.kernels.find((k) => k.name === 'outer_mean_s')!.wgsl).toContain('1.001 * acc0');
    const report = await selfTest(gpu, { ...block, fused: { ...block.fused, plan: broken } });
    expect(report.pass).toBe(false);
    const failing = report.kernels.filter((k) => !k.pass);
    // Kernels downstream read the wrong state and fail too; the first failure in plan order is it.
    expect(failing.every((k) => k.arm === 'fused')).toBe(true);
    expect(failing[0].kernel).toBe('outer_mean_s');
    expect(report.kernels.filter((k) => k.arm === 'fused' && k.kernel.startsWith('matmul_t') && k.kernel !== 'matmul_t35').every((k) => k.pass)).toBe(true);
    expect(failing[0].error).toBeGreaterThan(5e-4);
  });
});

describe('sagac selftest', () => {
  it('prints the adapter, its limits and a passing table', () => {
    const out = execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), 'selftest', join(root, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out).toMatch(/^adapter: /m);
    expect(out).toMatch(/^limits: {2}maxStorageBufferBindingSize \d+/m);
    expect(out).toMatch(/saga\.saga \/ saga +fused +outer_mean_s_partial → z_partial|saga\.saga \/ saga +fused +outer_mean_s /);
    expect(out).toContain('1 of 1 blocks pass');
  });
});
