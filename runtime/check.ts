// Input checks that are too slow to run always but cheap next to a GPU run: NaN and infinities
// in the tensors a user hands in would otherwise come back as silently wrong outputs.
import { SagaError } from './errors.js';
import type { TensorMap } from './tensor.js';

/** Throws a SagaError naming the first tensor (in name order) holding a NaN or an infinity, and where. */
export function checkFinite(tensors: TensorMap): void {
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      if (Number.isFinite(v)) continue;
      const index: number[] = [];
      let rest = i;
      for (let k = t.shape.length - 1; k >= 0; k--) {
        index.unshift(rest % t.shape[k]);
        rest = Math.floor(rest / t.shape[k]);
      }
      throw new SagaError(`tensor '${name}' holds ${v} at [${index.join(', ')}]`, 'fix the input, or pass --allow-nonfinite to run anyway');
    }
  }
}
