// Binds a block's dimension symbols (N, C, ...) from the shapes of the tensors given to a run,
// and checks every given tensor against its declared shape.
import type { Graph } from '../compiler/ir.js';
import type { Plan } from './plan.js';
import { SagaError } from './errors.js';
import { evalDim, formatDim, formatShape, type Bindings, type Dim } from './shape.js';
import { isGpuTensor, type RunTensors } from './tensor.js';

export interface TensorSpec {
  readonly name: string;
  readonly role: 'input' | 'param';
  readonly shape: readonly Dim[];
}

/** The inputs and params of a block, in declaration order. */
export function tensorSpecsOf(graph: Pick<Graph, 'nodes'>): TensorSpec[] {
  return graph.nodes.flatMap((n) => (n.op === 'input' ? [{ name: n.name, role: n.role, shape: n.shape }] : []));
}

/** Throws SagaError naming the tensor and the dim for a missing, extra or misshapen tensor. */
export function bindSymbols(specs: readonly TensorSpec[], given: RunTensors): Bindings {
  const env = new Map<string, number>();
  const known = new Set(specs.map((s) => s.name));
  const extra = Object.keys(given).filter((k) => !known.has(k)).sort();
  if (extra.length > 0) {
    throw new SagaError(`unexpected tensor${extra.length > 1 ? 's' : ''} ${extra.map((e) => `'${e}'`).join(', ')}`,
      `this block takes ${specs.map((s) => `'${s.name}'`).join(', ')}`);
  }
  const missing = specs.filter((s) => given[s.name] === undefined);
  if (missing.length > 0) {
    throw new SagaError(
      `missing ${missing.map((m) => `${m.role} '${m.name}' ${formatShape(m.shape)}`).join(', ')}`,
    );
  }
  // Plain symbols bind first (in declaration order), then derived dims are checked against them.
  for (const pass of ['bind', 'check'] as const) {
    for (const spec of specs) {
      const t = given[spec.name];
      if (t.shape.length !== spec.shape.length) {
        throw new SagaError(
          `${spec.role} '${spec.name}' has rank ${t.shape.length} (shape [${t.shape.join(', ')}]), expected ${formatShape(spec.shape)}`,
        );
      }
      const size = t.shape.reduce((p, n) => p * n, 1);
      if (isGpuTensor(t)) {
        if (t.buffer.size < 4 * size) throw new SagaError(`${spec.role} '${spec.name}' is a GPU buffer of ${t.buffer.size} bytes but shape [${t.shape.join(', ')}] needs ${4 * size}`);
      } else if (size !== t.data.length) {
        throw new SagaError(`${spec.role} '${spec.name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${size}`);
      }
      spec.shape.forEach((d, axis) => {
        const actual = t.shape[axis];
        if (!Number.isInteger(actual) || actual < 1) {
          throw new SagaError(`${spec.role} '${spec.name}' has size ${actual} on axis ${axis}; sizes must be positive integers`);
        }
        if (pass === 'bind' && d.sym !== null && !env.has(d.sym)) {
          const v = (actual * d.den) / d.num;
          if (Number.isInteger(v)) env.set(d.sym, v);
          return;
        }
        if (pass === 'check') {
          let expected: number;
          try {
            expected = evalDim(d, env);
          } catch {
            expected = NaN;
          }
          if (expected !== actual) {
            const where = d.sym !== null && env.has(d.sym) ? ` (${d.sym} = ${env.get(d.sym)})` : '';
            throw new SagaError(
              `${spec.role} '${spec.name}' has size ${actual} on axis ${axis}, expected ${formatDim(d)}${where}`,
              `declared shape ${formatShape(spec.shape)}, given [${t.shape.join(', ')}]`,
            );
          }
        }
      });
    }
  }
  return env;
}

/**
 * Checks a plan's `requires` (row widths its kernels read or write as vec4s) at the sizes bound:
 * a SagaError naming the kernel and the width where one is not a multiple of 4. With `boundOnly`,
 * widths of dims not yet bound are left for later (a module checks its params' dims at create).
 */
export function checkRequires(requires: Plan['requires'], env: Bindings, boundOnly = false): void {
  for (const r of requires ?? []) {
    if (boundOnly && r.size.sym !== null && !env.has(r.size.sym)) continue;
    let value: number;
    try {
      value = evalDim(r.size, env);
    } catch (e) {
      throw e instanceof SagaError ? new SagaError(`${r.what}: ${e.message}`, r.hint) : e;
    }
    if (r.equals !== undefined && value !== r.equals) throw new SagaError(`${r.what}: ${formatDim(r.size)} is ${value} here`, r.hint);
  }
}
