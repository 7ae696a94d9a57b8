// GPU compiler errors land on the user's source: a kernel broken on purpose (the test hook: the
// plan is patched before the executor compiles it) is reported as SG5001 at the .saga line of the
// value whose WGSL failed, with the WGSL line as a note.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShaderError } from '../../cli/shader-errors.js';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { originOfLine } from '../../codegen/wgsl/origin.js';
import { compileSource } from '../../compiler/index.js';
import { ShaderError } from '../../runtime/errors.js';
import type { Plan } from '../../runtime/plan.js';
import { acquireDevice, Executor, type GpuContext } from '../../runtime/webgpu/index.js';

const file = 'examples/saga.saga';
const source = readFileSync(join(import.meta.dirname, '../..', file), 'utf8');
const lineOf = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
const plan = () => generatePlan(compileSource(source, file).optimized[0]);

/** The plan with one line of one kernel replaced in place (line numbers stay as generated). */
function breakLine(p: Plan, kernel: string, match: RegExp, replacement: string): Plan {
  return {
    ...p,
    kernels: p.kernels.map((k) => {
      if (k.name !== kernel) return k;
      const lines = k.wgsl.split('\n');
      const i = lines.findIndex((l) => match.test(l));
      expect(i).toBeGreaterThan(0);
      lines[i] = replacement;
      return { ...k, wgsl: lines.join('\n') };
    }),
  };
}

describe('originOfLine', () => {
  it('maps a load or epilogue function to its value and the main body to the kernel value', () => {
    const kv = plan().kernels.find((x) => x.name === 'outer_mean_s_projected')!;
    const inMain = kv.wgsl.split('\n').findIndex((l) => l.startsWith('fn main(')) + 3;
    expect(originOfLine(kv.wgsl, inMain)).toEqual({ file: 'saga.saga', line: lineOf('let s = '), col: 11 });
    // b ⊙ v is computed by the KV reduction's kernel from x @ w_v and x @ w_b: the gate b is its epilogue's.
    const bv = kv;
    const inB = bv.wgsl.split('\n').findIndex((l) => l.startsWith('fn ep_b(')) + 2;
    expect(originOfLine(bv.wgsl, inB)).toEqual({ file: 'saga.saga', line: lineOf('let b = sigmoid'), col: 11 });
  });
});

describe('a kernel the GPU rejects', () => {
  let gpu: GpuContext;
  beforeAll(async () => {
    gpu = await acquireDevice();
  });
  afterAll(() => gpu?.destroy());

  it('is reported at the DSL line that produced the failing WGSL line', async () => {
    // The first gate (a), computed in an epilogue of the KV reduction's kernel.
    const broken = breakLine(plan(), 'outer_mean_s_projected', /^ {2}return saga_sigmoid\(arg\);$/, '  return saga_sigmoid(arg) + undefined_value;');
    const k = broken.kernels.find((x) => x.name === 'outer_mean_s_projected')!;
    const fn = k.wgsl.split('\n').find((_, i, all) => all[i + 2]?.includes('undefined_value'));
    const gate = fn?.match(/^fn ep_(\w+)\(/)?.[1];
    expect(gate).toBe('a');
    const error = await Executor.create(gpu, broken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShaderError);
    const e = error as ShaderError;
    expect(e.kernel).toBe('outer_mean_s_projected');
    expect(e.problems[0].origin).toEqual({ file: 'saga.saga', line: lineOf(`let ${gate} = sigmoid`), col: 11 });
    const text = formatShaderError(e, source, file);
    const line = lineOf(`let ${gate} = sigmoid`);
    expect(text).toContain(`${file}:${line}:11: error SG5001: the GPU's shader compiler rejected the code generated for this (kernel outer_mean_s_projected)`);
    // The caret line under the whole `sigmoid(...)` expression, and the WGSL line as a note.
    expect(text).toContain(`${String(line).padStart(5)} | ${source.split('\n')[line - 1].trimEnd()}`);
    expect(text).toMatch(/\|\s+\^{10,}/);
    expect(text).toMatch(/note: kernel outer_mean_s_projected, WGSL line \d+: return saga_sigmoid\(arg\) \+ undefined_value;/);
  });
});
