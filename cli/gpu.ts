// The CLI's use of the WebGPU runtime: one device per command, always released.
import type { Plan } from '../runtime/plan.js';
import type { TensorMap } from '../runtime/tensor.js';
import { acquireDevice, Executor, type GpuContext, type RunOptions, type RunResult } from '../runtime/webgpu/index.js';

export interface Gpu {
  readonly context: GpuContext;
  readonly adapter: string;
  executor(plan: Plan): Promise<Executor>;
  close(): void;
}

export async function openGpu(): Promise<Gpu> {
  const context = await acquireDevice();
  return {
    context,
    adapter: context.describe(),
    executor: (plan) => Executor.create(context, plan),
    close: () => context.destroy(),
  };
}

/** Runs one plan once and releases the device. */
export async function runOnGpu(plan: Plan, tensors: TensorMap, options: RunOptions = {}): Promise<RunResult & { adapter: string }> {
  const gpu = await openGpu();
  try {
    const executor = await gpu.executor(plan);
    return { ...(await executor.run(tensors, options)), adapter: gpu.adapter };
  } finally {
    gpu.close();
  }
}
