// Parameters from safetensors files: every param a block declares must be there, with its declared
// shape, and nothing else. Errors name the file and the tensor.
import { bindSymbols } from './bind.js';
import { SagaError } from './errors.js';
import type { Plan } from './plan.js';
import { readSafetensorsFile } from './safetensors-file.js';
import type { Tensor32 } from './tensor.js';

/**
 * A plan that remembers its block's params type `P` (only in the type system): generated modules
 * export one (`sagaPlan`) so that `loadParams(file, sagaPlan)` returns `SagaParams`.
 */
export interface BlockPlan<P> extends Plan {
  readonly __params?: P;
}

/**
 * Checks `tensors` against the params of `plan` and returns them typed: a SagaError names a missing,
 * extra or misshapen tensor (and the dim that does not fit), prefixed by `what`.
 */
export function checkParams<P>(tensors: Readonly<Record<string, Tensor32>>, plan: BlockPlan<P>, what = 'params'): P {
  const specs = plan.tensors.filter((t) => t.role === 'param');
  try {
    bindSymbols(specs, tensors);
  } catch (e) {
    if (e instanceof SagaError) throw new SagaError(`${what}: ${e.message}`, e.hint);
    throw e;
  }
  return tensors as P;
}

/**
 * Loads a block's parameters from a safetensors file (F32, or F64 rounded to f32).
 * @example
 *   import { createSaga, sagaPlan } from './generated/saga.js';
 *   const block = await createSaga(gpu, loadParams('saga.safetensors', sagaPlan));
 */
export function loadParams<P>(file: string, plan: BlockPlan<P>): P {
  return checkParams(readSafetensorsFile(file).tensors, plan, file);
}
