// The WebGPU runtime: open a device, then run compiled Plans on it.
export { acquireDevice, EXACT_TIMESTAMPS, GpuContext, liveContexts, median, withMeasuringDevice, type AdapterDescription, type DeviceOptions } from './device.js';
export { workgroupBytes } from '../../codegen/wgsl/print.js';
export { Executor, formatCompilationErrors, type ExecutorOptions, type RunOptions, type RunResult, type RunTimings } from './executor.js';
