// What a run allocated on the GPU: every buffer with its name, the IR value it holds, its size and
// role, and the kernels dispatched. The executor keeps all of a run's buffers alive until the run
// ends, so the peak is the total; the report says so rather than estimating reuse it doesn't do.

export type BufferUsage = 'input' | 'param' | 'intermediate' | 'output' | 'uniform' | 'staging';

export interface BufferRecord {
  readonly name: string;
  /** The IR value (for storage buffers), e.g. `%25 = outer %20, %24 (g)`. */
  readonly holds: string;
  readonly shape: readonly number[];
  readonly bytes: number;
  readonly usage: BufferUsage;
}

export interface KernelRecord {
  readonly name: string;
  readonly workgroups: readonly [number, number, number];
  readonly invocations: number;
}

export interface MemoryReport {
  readonly block: string;
  readonly buffers: readonly BufferRecord[];
  readonly totalBytes: number;
  /** Most bytes alive at once; every buffer lives for the whole run, so this equals totalBytes. */
  readonly peakBytes: number;
  readonly kernels: readonly KernelRecord[];
}

const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e5 ? 3 : 1)} MB`;

/** A few lines for a terminal: totals, then the largest buffers. */
export function formatReport(r: MemoryReport, top = 8): string {
  const lines = [`block ${r.block}: ${r.buffers.length} buffers, peak ${mb(r.peakBytes)}, ${r.kernels.length} kernels`];
  for (const b of [...r.buffers].sort((x, y) => y.bytes - x.bytes || x.name.localeCompare(y.name)).slice(0, top)) {
    lines.push(`  ${mb(b.bytes).padStart(11)}  ${b.usage.padEnd(12)} ${b.name} [${b.shape.join(', ')}]  ${b.holds}`);
  }
  return lines.join('\n');
}
