import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { bindingNames, f32Literal } from '../../codegen/wgsl/print.js';
import { compileSource } from '../../compiler/index.js';
import type { Graph } from '../../compiler/ir.js';
import { acquireDevice, type GpuContext } from '../../runtime/webgpu/index.js';
import { GraphBuilder, sagaCore } from './builder.js';

/** One graph with every op kind, broadcasting, inlined and materialised constants. */
function kitchenSink(): Graph {
  const g = new GraphBuilder('sink');
  const x = g.input('x', ['B', 'N', 'C']);
  const w = g.param('w', ['C', 'E']);
  const bias = g.param('bias', ['E']);
  const y = g.binary('add', g.matmul(x, w, 'y'), bias);
  const fns = ['neg', 'relu', 'elu', 'sigmoid', 'silu', 'gelu', 'softplus', 'exp', 'log', 'sqrt', 'abs'] as const;
  const acts = fns.map((fn) => g.unary(fn, y));
  let acc = acts[0];
  for (const a of acts.slice(1)) acc = g.binary('add', acc, a);
  const ops = ['sub', 'mul', 'div', 'pow', 'min', 'max'] as const;
  for (const op of ops) acc = g.binary(op, acc, g.const(op === 'pow' ? 3 : 0.25));
  g.output('s', g.reduce('norm', g.reduce('mean', g.reduce('sum', acc, 2, true), 1), 0, true));
  const heads = g.splitHeads(x, 2, 'xh');
  g.output('m', g.mergeHeads(g.transpose(g.transpose(heads))));
  g.output('o', g.outer(x, g.param('pe', ['N', 'E'])));
  g.output('same', x);
  g.output('c', g.const(-1 / 3, 'third'));
  g.output('e', g.unary('exp', g.const(1e30)));
  g.output('tiny', g.binary('mul', x, g.const(1e-40)));
  return g.build();
}

function exampleGraphs(): Graph[] {
  return readdirSync('examples')
    .filter((f) => f.endsWith('.saga'))
    .sort()
    .flatMap((f) => {
      const r = compileSource(readFileSync(`examples/${f}`, 'utf8'), `examples/${f}`);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return r.graphs;
    });
}

describe('WGSL codegen', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('every kernel of the examples and of hand-built graphs compiles on Dawn without messages', async () => {
    const graphs = [...exampleGraphs(), kitchenSink(), sagaCore(1), sagaCore(5)];
    const problems: string[] = [];
    let count = 0;
    for (const g of graphs) {
      for (const k of generatePlan(g).kernels) {
        const module = gpu.device.createShaderModule({ code: k.wgsl });
        const info = await module.getCompilationInfo();
        for (const m of info.messages) problems.push(`${g.block}/${k.name} ${m.type} ${m.lineNum}:${m.linePos} ${m.message}\n${k.wgsl}`);
        count++;
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(40);
  });

  it('is deterministic: the same graph gives byte-identical plans', () => {
    for (const make of [kitchenSink, () => sagaCore(2), () => exampleGraphs()[0]]) {
      expect(JSON.stringify(generatePlan(make()))).toBe(JSON.stringify(generatePlan(make())));
    }
  });

  it('names buffers and kernels after the DSL values', () => {
    const plan = generatePlan(sagaCore(2));
    expect(plan.buffers.map((b) => b.id)).toEqual(['q', 'k', 'v', 'a', 'b', 'g', 't6', 't7', 's', 't9', 'z', 't11', 'den', 't13', 't15', 'o']);
    // In the order runtime/memory-plan.ts gives them (its tests check that order).
    expect(plan.kernels.map((k) => k.name).sort()).toEqual([
      'outer_g', 'outer_t6', 'mul_t7', 'sum_s', 'mul_t9', 'sum_z', 'mul_t11', 'sum_den', 'matmul_t13', 'add_t15', 'div_o',
    ].sort());
    expect(plan.outputs).toEqual([{ name: 'o', buffer: 'o' }]);
    expect(plan.kernels.find((k) => k.name === 'add_t15')?.wgsl).toContain('let v1 = 0.000001f;');
  });

  it('copies an output that is an input and gives a constant output its own kernel', () => {
    const plan = generatePlan(kitchenSink());
    expect(plan.outputs.find((o) => o.name === 'same')).toEqual({ name: 'same', buffer: 'same' });
    expect(plan.kernels.map((k) => k.name)).toContain('copy_same');
    expect(plan.kernels.map((k) => k.name)).toContain('const_c');
  });

  it('matches the golden WGSL of the SAGA-N1 core', async () => {
    const text = generatePlan(sagaCore(2)).kernels.map((k) => `// ===== ${k.name} =====\n${k.wgsl}`).join('\n');
    await expect(text).toMatchFileSnapshot('./golden/saga_core.wgsl');
  });

  it('prints f32 literals that parse back exactly', () => {
    for (const v of [0.1, 1e-6, -1 / 3, 3.4028234663852886e38, 1.17549435e-38, 1e-45, 123456789, 2, -0.5, 7e22]) {
      const text = f32Literal(v).replace(/[()f]/g, '');
      expect(Math.fround(parseFloat(text))).toBe(Math.fround(v));
    }
    expect(f32Literal(2)).toBe('2.0f');
    expect(f32Literal(-0)).toBe('saga_f32_bits(0x80000000u)');
    expect(f32Literal(3.4028234663852886e38)).toBe('3.402823466e+38f');
    expect(f32Literal(1e39)).toBe('saga_f32_bits(0x7f800000u)');
  });

  it('keeps buffer names that WGSL reserves or the kernels use from clashing', () => {
    const names = bindingNames(['loop', 'u', 'x', 'X', 'v0', 'i', 'max', '2x', 'saga_pow', 'ld_q', 'b_ld_q']);
    expect([...names.values()]).toEqual(['loop_', 'u_', 'x', 'x_', 'b_v0', 'i_', 'max_', 'b_2x', 'b_saga_pow', 'b_ld_q', 'b_ld_q_']);
  });
});
