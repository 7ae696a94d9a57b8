// sagac/testing as a user calls it: compareFusedUnfused's report and the toMatchUnfused matcher,
// on a correct block and on one whose fused output kernel is deliberately broken.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import { inputsOf, paramsOf } from '../../compiler/ir.js';
import { randomTensor, rng } from '../../runtime/random.js';
import { evalShape } from '../../runtime/shape.js';
import type { Tensor } from '../../runtime/tensor.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';
import { compareFusedUnfused, sagacMatchers, type FusedUnfusedReport } from '../../testing/index.js';
import { repo } from './helpers.js';

expect.extend(sagacMatchers);

const source = readFileSync(join(repo, 'examples/saga.saga'), 'utf8');
const graph = compileSource(source, 'saga.saga').graphs[0];
const env = new Map(Object.entries({ B: 1, N: 7, C: 6 }));
const next = rng(7);
const tensors = (nodes: typeof graph.nodes, scale: number): Record<string, Tensor> =>
  Object.fromEntries(nodes.map((n) => [n.name!, randomTensor(evalShape(n.shape, env), next, scale)]));
const inputs = tensors(inputsOf(graph), 1);
const params = tensors(paramsOf(graph), 0.5);

let device: GpuContext;
let good: FusedUnfusedReport;
let broken: FusedUnfusedReport;
beforeAll(async () => {
  device = await acquireDevice();
  good = await compareFusedUnfused(source, 'saga', inputs, params, { rtol: 1e-4, device });
  // One element in each 4x4 tile of the fused output (q @ (s @ w_o), heads summed) is scaled by 1.01.
  broken = await compareFusedUnfused(source, 'saga', inputs, params, {
    rtol: 1e-4,
    device,
    patchFused: (plan) => ({
      ...plan,
      kernels: plan.kernels.map((k) => (k.name === 'matmul_y' ? { ...k, wgsl: k.wgsl.replace(/= (mm_s000\.x);/, '= $1 * 1.01;') } : k)),
    }),
  });
});
afterAll(() => device?.destroy());

describe('compareFusedUnfused', () => {
  it('reports each output against the float64 interpreter, fused and unfused', () => {
    expect(good.pass).toBe(true);
    expect(good.kernels.fused).toBeLessThan(good.kernels.unfused);
    const [y] = good.outputs;
    expect(y).toMatchObject({ name: 'y', shape: [1, 7, 6], pass: true });
    expect(y.fused.maxRelError).toBeLessThanOrEqual(1e-4);
    expect(y.unfused.maxRelError).toBeLessThanOrEqual(1e-4);
    expect(y.worst).toHaveLength(5);
  });

  it('fails a broken fused kernel and points at the element it broke', () => {
    expect(broken.pass).toBe(false);
    const [y] = broken.outputs;
    expect(y.fused.maxRelError).toBeGreaterThan(1e-3);
    expect(y.unfused.maxRelError).toBeLessThanOrEqual(1e-4);
    expect(y.worst[0].fused / y.worst[0].reference).toBeCloseTo(1.01, 4);
  });

  it('throws with the diagnostics for a source with errors', async () => {
    await expect(compareFusedUnfused('block b {\n  output y = q\n}\n', 'b', {}, {})).rejects.toThrow(/b\.saga:2:\d+: error/);
  });
});

describe('toMatchUnfused', () => {
  it('passes on a correct block', () => {
    expect(good).toMatchUnfused({ rtol: 1e-4 });
  });

  it('fails on a broken kernel with a readable table and the worst elements', () => {
    let message = '';
    try {
      expect(broken).toMatchUnfused({ rtol: 1e-4 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('expected block saga fused to match unfused within rtol 1.00e-4; y differs');
    expect(message).toMatch(/output +fused vs f64 +unfused vs f64 +fused vs unfused/);
    expect(message).toMatch(/y\[0, \d, \d\]: fused -?[\d.]+, unfused -?[\d.]+, float64 -?[\d.]+/);
    expect(broken).not.toMatchUnfused({ rtol: 1e-4 });
  });
});
