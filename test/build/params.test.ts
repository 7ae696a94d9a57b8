// loadParams: a block's weights from a safetensors file, every mistake named.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../codegen/wgsl/index.js';
import { compileSource } from '../../compiler/index.js';
import { loadParams, type BlockPlan } from '../../runtime/params.js';
import { writeSafetensorsFile } from '../../runtime/safetensors-file.js';
import type { Tensor } from '../../runtime/tensor.js';
import { removeScratch, repo, scratch } from './helpers.js';

afterAll(removeScratch);

const graph = compileSource(readFileSync(join(repo, 'examples/linear.saga'), 'utf8'), 'linear.saga').optimized[0];
interface LinearParams {
  readonly w_q: Tensor;
  readonly w_k: Tensor;
  readonly w_v: Tensor;
  readonly w_o: Tensor;
}
const plan: BlockPlan<LinearParams> = generatePlan(graph);
const square = (c: number): Tensor => ({ shape: [c, c], data: Float32Array.from({ length: c * c }, (_, i) => i / 10) });
const weights = { w_q: square(6), w_k: square(6), w_v: square(6), w_o: square(6) };

function file(tensors: Record<string, Tensor>): string {
  const path = join(scratch('params'), 'w.safetensors');
  writeSafetensorsFile(path, tensors);
  return path;
}

describe('loadParams', () => {
  it('loads every param with its shape and values, typed as the block params', () => {
    const p = loadParams(file(weights), plan);
    expect(p.w_o.shape).toEqual([6, 6]);
    expect(Array.from(p.w_o.data.slice(0, 3))).toEqual([0, 0.1, 0.2].map(Math.fround));
  });

  it('names a missing tensor with its declared shape', () => {
    const { w_k: _, ...rest } = weights;
    const path = file(rest);
    expect(() => loadParams(path, plan)).toThrow(`${path}: missing param 'w_k' [C, C]`);
  });

  it('names an extra tensor', () => {
    const path = file({ ...weights, b_q: square(6) });
    expect(() => loadParams(path, plan)).toThrow(`${path}: unexpected tensor 'b_q'`);
  });

  it('names a misshapen tensor and the dim that does not fit', () => {
    const path = file({ ...weights, w_v: { shape: [6, 4], data: new Float32Array(24) } });
    expect(() => loadParams(path, plan)).toThrow(`${path}: param 'w_v' has size 4 on axis 1, expected C (C = 6)`);
  });

  it('names a missing file', () => {
    expect(() => loadParams('/nonexistent/w.safetensors', plan)).toThrow(/cannot read \/nonexistent\/w\.safetensors: ENOENT/);
  });
});
