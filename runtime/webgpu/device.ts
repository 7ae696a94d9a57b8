// Finds a WebGPU adapter and opens a device: `navigator.gpu` in a browser, Dawn (npm `webgpu`) in
// Node. Dawn frees its instance when the GPU object is collected, even under a live device, so
// every context keeps the GPU object and adapter as fields and sits in a module-level registry.
import { SagaError } from '../errors.js';

export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallback: boolean;
}

export interface DeviceOptions {
  readonly powerPreference?: GPUPowerPreference;
  readonly forceFallbackAdapter?: boolean;
  /** Request shader-f16 where the adapter has it (default true). */
  readonly f16?: boolean;
  /** Dawn toggles for `create()` in Node, e.g. `['backend=vulkan']`. */
  readonly dawnFlags?: readonly string[];
  /** Further features to request where the adapter has them (probes of experimental ones). */
  readonly features?: readonly GPUFeatureName[];
}

const INSTALL_HINT =
  'install a Vulkan driver; on Debian without a GPU, lavapipe from bookworm-backports: ' +
  "echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list && " +
  'apt-get update && apt-get install -y -t bookworm-backports mesa-vulkan-drivers (or run `bash scripts/setup.sh`)';

/** Contexts whose device is alive; holding them here keeps Dawn's instance from being collected. */
const live = new Set<GpuContext>();

export class GpuContext {
  /** Set once `destroy()` ran or the device was lost. */
  private closed = false;
  /** Errors raised outside an error scope, newest last (kept for diagnostics). */
  readonly uncaptured: string[] = [];
  /** Why the device was lost (`destroyed`, or the driver's reason), once it was. */
  lostReason?: string;

  constructor(
    readonly gpu: GPU,
    readonly adapter: GPUAdapter,
    readonly device: GPUDevice,
    readonly info: AdapterDescription,
    /** How it was opened, so `reacquire()` can open another the same way. */
    readonly options: DeviceOptions = {},
  ) {
    live.add(this);
    device.addEventListener('uncapturederror', (e) => {
      this.uncaptured.push((e as GPUUncapturedErrorEvent).error.message);
    });
    void device.lost.then((info) => {
      this.closed = true;
      this.lostReason = info.message ? `${info.reason}: ${info.message}` : String(info.reason);
      live.delete(this);
    });
  }

  /**
   * A new context opened the same way, e.g. after this device was lost (a driver reset, a GPU
   * process crash). Executors must be created again on it; their plans are unchanged.
   */
  async reacquire(): Promise<GpuContext> {
    this.destroy();
    return acquireDevice(this.options);
  }

  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** `vendor / architecture / device / description`, plus `(fallback)` for a software adapter. */
  describe(): string {
    const i = this.info;
    const parts = [i.vendor, i.architecture, i.device, i.description].filter((s) => s !== '');
    return `${parts.join(' / ') || 'unnamed adapter'}${i.isFallback ? ' (fallback)' : ''}`;
  }

  /** Releases the device; the context must not be used afterwards. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.device.destroy();
    live.delete(this);
  }
}

/** Number of contexts currently open (for tests). */
export function liveContexts(): number {
  return live.size;
}

/** A Node-only import that browser bundlers leave alone (the specifier is not a literal). */
function nodeImport(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

async function gpuObject(flags: readonly string[]): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new SagaError('this browser has no WebGPU (navigator.gpu is missing)', 'use a browser with WebGPU enabled');
  }
  await quietVulkanLoader();
  let mod: typeof import('webgpu');
  try {
    mod = (await nodeImport('webgpu')) as typeof import('webgpu');
  } catch (e) {
    throw new SagaError(`cannot load the 'webgpu' package: ${e instanceof Error ? e.message : String(e)}`, 'run `npm install`');
  }
  Object.assign(globalThis, mod.globals);
  return mod.create([...flags, ...envFlags()]);
}

/** More Dawn flags from `SAGAC_DAWN_FLAGS` (space-separated), for measuring toggles without a rebuild. */
function envFlags(): string[] {
  return (process.env.SAGAC_DAWN_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
}

/** The Vulkan loader complains on stderr when XDG_RUNTIME_DIR is unset; give it a private folder. */
async function quietVulkanLoader(): Promise<void> {
  if (process.env.XDG_RUNTIME_DIR) return;
  const { mkdirSync } = (await nodeImport('node:fs')) as typeof import('node:fs');
  const { tmpdir } = (await nodeImport('node:os')) as typeof import('node:os');
  const { join } = (await nodeImport('node:path')) as typeof import('node:path');
  const dir = join(tmpdir(), `sagac-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

/**
 * Opens the default (or requested) adapter with its largest buffer and workgroup-memory limits.
 * Throws SagaError with an install hint when no adapter is found.
 * @example
 *   const gpu = await acquireDevice();
 *   try { console.log(gpu.describe()); } finally { gpu.destroy(); }
 */
export async function acquireDevice(options: DeviceOptions = {}): Promise<GpuContext> {
  const gpu = await gpuObject(options.dawnFlags ?? []);
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference,
    forceFallbackAdapter: options.forceFallbackAdapter,
  });
  if (!adapter) throw new SagaError('no WebGPU adapter found', INSTALL_HINT);
  const l = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      // Per-kernel GPU times for profiling, where the adapter offers them.
      requiredFeatures: [
        ...(adapter.features.has('timestamp-query') ? (['timestamp-query'] as const) : []),
        // f16 storage for plans compiled with precision f16.
        ...(options.f16 !== false && adapter.features.has('shader-f16') ? (['shader-f16'] as const) : []),
        ...(options.features ?? []).filter((f) => adapter.features.has(f)),
      ],
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
        // The KV reduction with its projections inside binds 9 (codegen/wgsl/kv-projected.ts).
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      },
    });
  } catch (e) {
    throw new SagaError(`the WebGPU adapter refused a device: ${e instanceof Error ? e.message : String(e)}`, INSTALL_HINT);
  }
  const i = adapter.info;
  const info: AdapterDescription = {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    // Older implementations put the flag on the adapter itself.
    isFallback: i.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
  };
  return new GpuContext(gpu, adapter, device, info, options);
}

/** Dawn rounds timestamps (to 65.5 µs on an H100) unless this toggle is off: for measuring. */
export const EXACT_TIMESTAMPS: readonly string[] = ['disable-dawn-features=timestamp_quantization'];

/** The middle of some timings (the upper middle of an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time a measurement keeps the GPU busy before timing (Executor.warmUp); `SAGAC_WARMUP_MS` overrides. */
export const WARMUP_MS = Number((typeof process === 'undefined' ? undefined : process.env.SAGAC_WARMUP_MS) ?? 300);

/**
 * Keeps the GPU busy for `ms` of wall time before a measurement: an idle GPU (a fresh device, a
 * large upload) runs its first milliseconds at low clocks, which timed H100 kernels at up to 5x
 * their time. `step(n)` submits n repetitions of the work; n doubles (10, 20, 40, …), so the host's
 * own share of each call (uploads, submission) shrinks.
 */
export async function keepBusy(step: (repeats: number) => Promise<unknown>, ms = WARMUP_MS): Promise<void> {
  const t0 = performance.now();
  for (let n = 10; ; n *= 2) {
    await step(n);
    if (performance.now() - t0 >= ms) return;
  }
}

/**
 * Runs `f` on a device of its own, opened for measuring (exact timestamps) and closed after, so
 * one arm's buffers and pipelines cannot affect the next. Time only after a warm-up
 * (Executor.warmUp): without one, H100 kernels timed at up to 5x their time, at random.
 */
export async function withMeasuringDevice<T>(f: (d: GpuContext) => Promise<T>): Promise<T> {
  const d = await acquireDevice({ dawnFlags: EXACT_TIMESTAMPS });
  try {
    return await f(d);
  } finally {
    d.destroy();
  }
}
