// What a run allocated on the GPU: every buffer with its name, the IR value(s) it holds, its size
// and role, and the kernels dispatched. Intermediates whose lifetimes do not overlap share one
// buffer; every buffer lives until the run ends, so the peak is the total.

export type BufferUsage = 'input' | 'param' | 'intermediate' | 'output' | 'uniform' | 'staging';

export interface BufferRecord {
  readonly name: string;
  /** The IR value a storage buffer holds, e.g. `%25 = outer %20, %24 (g)`; '' for uniforms and staging. */
  readonly holds: string;
  /** Elements: f32 for storage and staging, u32 words for uniforms, u64 for timestamps. */
  readonly shape: readonly number[];
  readonly bytes: number;
  readonly usage: BufferUsage;
  /**
   * An intermediate buffer that holds several values one after another (their lifetimes do not
   * overlap, runtime/memory-plan.ts): each value, in kernel order. Its `name` joins theirs with ` + `.
   */
  readonly values?: readonly { readonly name: string; readonly holds: string; readonly shape: readonly number[]; readonly bytes: number }[];
}

/** Every storage value of a run, shared buffers opened up: what the run materialised. */
export function valuesOf(r: MemoryReport): { readonly name: string; readonly holds: string; readonly shape: readonly number[]; readonly bytes: number }[] {
  return r.buffers.flatMap((b) => b.values ?? [b]);
}

export interface KernelRecord {
  readonly name: string;
  readonly workgroups: readonly [number, number, number];
  /** Workgroups × workgroup size, bounds-checked excess included. */
  readonly invocations: number;
  /** Times the run dispatched it: 1, or once a token chunk in a chunked run (each with these workgroups). */
  readonly dispatches: number;
}

/** JSON-able: `sagac run --report FILE.json` writes it as is. */
export interface MemoryReport {
  readonly block: string;
  readonly buffers: readonly BufferRecord[];
  readonly totalBytes: number;
  /** Most bytes alive at once; every buffer (shared ones included) lives for the whole run, so this equals totalBytes. */
  readonly peakBytes: number;
  /** Each kernel of the plan, in order (a chunked run dispatches some once a chunk). */
  readonly kernels: readonly KernelRecord[];
  /** A chunked run's tokens per chunk and its number of chunks (RunOptions.tokenChunk). */
  readonly tokenChunks?: { readonly tokenChunk: number; readonly chunks: number };
}

/** `812 B`, `25.1 kB`, `126.0 MB`: decimal units, as GPU tools print them. */
export function formatBytes(b: number): string {
  if (b < 1e3) return `${b} B`;
  const [scale, unit] = b < 1e6 ? [1e3, 'kB'] : b < 1e9 ? [1e6, 'MB'] : [1e9, 'GB'];
  return `${(b / scale).toFixed(1)} ${unit}`;
}

/**
 * A few lines for a terminal: totals, then the `top` largest buffers.
 * @example
 *   process.stderr.write(formatReport((await executor.run(tensors)).report) + '\n');
 *   // block saga: 32 buffers, 11 kernels; total 25.1 kB, peak 25.1 kB
 *   //      4.1 kB  intermediate  s_partial [32, 1, 2, 4, 4]  %27 = outer_mean ...
 */
export function formatReport(r: MemoryReport, top = 8): string {
  const chunks = r.tokenChunks ? ` in ${r.tokenChunks.chunks} chunks of ${r.tokenChunks.tokenChunk} tokens (${r.kernels.reduce((n, k) => n + k.dispatches, 0)} dispatches)` : '';
  const lines = [`block ${r.block}: ${r.buffers.length} buffers, ${r.kernels.length} kernels${chunks}; total ${formatBytes(r.totalBytes)}, peak ${formatBytes(r.peakBytes)}`];
  const bySize = [...r.buffers].sort((x, y) => y.bytes - x.bytes || x.name.localeCompare(y.name));
  for (const b of bySize.slice(0, top)) {
    lines.push(`  ${formatBytes(b.bytes).padStart(9)}  ${b.usage.padEnd(12)}  ${b.name} [${b.shape.join(', ')}]${b.holds ? `  ${b.holds}` : ''}`);
  }
  const rest = bySize.slice(top);
  if (rest.length > 0) lines.push(`  … ${rest.length} more, ${formatBytes(rest.reduce((s, b) => s + b.bytes, 0))} together`);
  return lines.join('\n');
}
