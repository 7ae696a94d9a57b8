// The WebGPU runtime: open a device, then run compiled Plans on it.
export { acquireDevice, GpuContext, liveContexts, type AdapterDescription, type DeviceOptions } from './device.js';
export { Executor, formatCompilationErrors, workgroupBytes, type ExecutorOptions, type RunOptions, type RunResult, type RunTimings } from './executor.js';
