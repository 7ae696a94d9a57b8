// What fusion buys, read off the plans: the fused SAGA example computes its feature maps, gates
// and gate products at load time, so it allocates no N×d×d buffer and no gated copy of K or V.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';

const root = join(import.meta.dirname, '../..');
const saga = () => compileSource(readFileSync(join(root, 'examples/saga.saga'), 'utf8'), 'examples/saga.saga', { verify: true });

describe('fused SAGA plan', () => {
  it('allocates no buffer of size N×d×d, while the unfused plan does', () => {
    const r = saga();
    const rank5 = (plan: ReturnType<typeof generatePlan>) => plan.buffers.filter((b) => b.shape.length === 5 && b.shape.some((d) => d.sym === 'N')).map((b) => b.id);
    // The gate g, the outer product k vᵀ and their product.
    expect(rank5(generatePlan(r.graphs[0]))).toHaveLength(3);
    expect(rank5(generatePlan(r.graphs[0]))).toContain('g');
    expect(rank5(generatePlan(r.optimized[0]))).toEqual([]);
  });

  it('allocates no K, V or gate and no feature map; the gated key and value only where stored', () => {
    const computed = (plan: ReturnType<typeof generatePlan>) => plan.buffers.filter((b) => !/^(input|param) /.test(b.holds)).map((b) => b.holds.replace(/^%\d+ = /, '').split(' ')[0]).sort();
    // Every buffer is an input, a param, x @ w_q, s @ w_o by head (fold-output-projection), a
    // reduction (z's partial sums per token range next to the state's, den) and the output y, the
    // heads summed by q @ (s @ w_o)'s kernel (fuse-epilogue): no o. The KV reduction computes the
    // projections inside (fuse-kv-projections): K, V, A, B and the gated key a ⊙ k and value b ⊙ v
    // are never stored.
    const inside = ['matmul', 'matmul', 'mean', 'mean', 'outer_mean', 'outer_mean', 'sum', 'sum'];
    expect(computed(generatePlan(saga().optimized[0]))).toEqual(inside.sort());
    // Stored (kvProjections false): the projections' kernels write a ⊙ k and b ⊙ v.
    expect(computed(generatePlan(saga().optimized[0], { kvProjections: false }))).toEqual([...inside, 'mul', 'mul'].sort());
    for (const kvProjections of [true, false]) expect(generatePlan(saga().optimized[0], { kvProjections }).buffers.map((b) => b.holds).join('\n')).not.toMatch(/= (div|sigmoid|relu|split_heads)/);
  });

  it('applies the gates and feature maps to the products inside the KV reduction kernel', () => {
    const kv = generatePlan(saga().optimized[0]).kernels.find((k) => k.name === 'outer_mean_s_projected');
    expect(kv?.wgsl).toContain('saga_sigmoid');
    for (const value of ['a', 'k', 'b', 'v']) expect(kv?.wgsl).toMatch(new RegExp(`fn ep_${value}\\(`));
    expect(kv?.reads).toEqual(['x', 'w_k', 'w_a', 'w_v', 'w_b', 'b_a', 'b_b']);
  });

  it('stored: applies the gates and feature maps in the projections, after their products', () => {
    const plan = generatePlan(saga().optimized[0], { kvProjections: false });
    const ak = plan.kernels.find((k) => k.name === 'matmul_t25');
    expect(ak?.wgsl).toContain('saga_sigmoid');
    expect(ak?.wgsl).toMatch(/fn ep_a\(/);
    expect(ak?.wgsl).toMatch(/fn ep_k\(/);
    expect(ak?.reads).toEqual(['x', 'w_k', 'w_a', 'b_a']);
    // The KV reduction reads the two stored values, nothing computed at load time.
    expect(plan.kernels.find((k) => k.name === 'outer_mean_s_partial')?.reads).toEqual(['t25', 't26']);
  });

  it('stored: computes the gates and feature maps inside the KV reduction kernel where the projections split k', () => {
    const plan = generatePlan(saga().optimized[0], { dims: new Map([['B', 1], ['N', 49], ['C', 512]]), kvProjections: false });
    const kv = plan.kernels.find((k) => k.name === 'outer_mean_s_partial');
    expect(kv?.wgsl).toContain('saga_sigmoid');
    expect(kv?.wgsl).toMatch(/fn ld_a\(/);
    expect(kv?.wgsl).toMatch(/fn ld_k\(/);
  });

  it.each([
    [true, 'outer_mean_s_projected'],
    [false, 'outer_mean_s_partial'],
  ])('computes z in the KV reduction kernel and den in the q @ S kernel: no pass of their own re-reads a, k or q (kvProjections %s)', (kvProjections, name) => {
    const plan = generatePlan(saga().optimized[0], { kvProjections });
    const kv = plan.kernels.find((k) => k.name === name)!;
    expect(kv.alsoWrites).toEqual(['z_partial']);
    const out = plan.kernels.find((k) => k.alsoWrites?.includes('den'))!;
    expect(out.name).toMatch(/^matmul_/);
    expect(out.wgsl).toMatch(/fn ld_q\(/);
    // Besides the projections, only the state, the output kernel and the final projection read
    // a projection's buffer (t9.. hold x @ w_*): z and den add no kernel of their own that does.
    const projections = plan.kernels.filter((k) => /^matmul_t\d+(_t\d+)*$/.test(k.name) && k.reads[0] === 'x').flatMap((k) => [k.writes, ...(k.alsoWrites ?? [])]);
    const readers = plan.kernels.filter((k) => k.reads.some((r) => projections.includes(r))).map((k) => k.name);
    expect(readers).toEqual(kvProjections ? [out.name] : [name, out.name]);
    expect(plan.kernels.map((k) => k.name)).not.toContain('sum_den');
  });

  it('matches the golden WGSL of the fused SAGA example', async () => {
    const plan = generatePlan(saga().optimized[0]);
    const text = plan.kernels.map((k) => `// ===== ${k.name} =====\n${k.wgsl}`).join('\n');
    await expect(text).toMatchFileSnapshot('./golden/saga_fused.wgsl');
  });

  it('is deterministic: the same source gives byte-identical kernels', () => {
    const a = generatePlan(saga().optimized[0]).kernels.map((k) => k.wgsl);
    const b = generatePlan(saga().optimized[0]).kernels.map((k) => k.wgsl);
    expect(b).toEqual(a);
  });
});
