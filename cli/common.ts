// What every command shares: reading a .saga file, compiling it, printing diagnostics, and
// picking a block. Mistakes become a UsageError (printed as one line, exit 1).
import { readFileSync } from 'node:fs';
import { compileSource, type CompileResult } from '../compiler/index.js';
import type { Graph } from '../compiler/ir.js';
import { UnknownPassError, type PipelineOptions } from '../compiler/pipeline.js';
import { formatDiagnostics } from '../dsl/format.js';

export class UsageError extends Error {}

export function readText(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} '${path}'${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
}

/** Compiles `path`, printing diagnostics to stderr; throws UsageError when there are errors. */
export function compileFile(path: string, options: PipelineOptions = {}): CompileResult {
  let result: CompileResult;
  try {
    result = compileSource(readText(path), path, options);
  } catch (e) {
    if (e instanceof UnknownPassError) throw new UsageError(e.message);
    throw e;
  }
  if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, result.source) + '\n');
  if (!result.ok) {
    const n = result.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UsageError(`${path}: ${n} error${n === 1 ? '' : 's'}`);
  }
  return result;
}

/**
 * The block named `name`, or the only block when no name is given: as optimised (fused), or as
 * written (the unfused reference).
 */
export function pickBlock(result: CompileResult, name: string | undefined, fused = false): Graph {
  const names = result.graphs.map((g) => g.block);
  const graphs = fused ? result.optimized : result.graphs;
  if (name === undefined) {
    if (graphs.length === 1) return graphs[0];
    throw new UsageError(`${result.file} has ${names.length} blocks (${names.join(', ')}): choose one with --block NAME`);
  }
  const i = names.indexOf(name);
  if (i < 0) throw new UsageError(`${result.file} has no block '${name}' (blocks: ${names.join(', ') || 'none'})`);
  return graphs[i];
}

/** Blocks named by --block, or all of them. */
export function selectBlocks(result: CompileResult, name: string | undefined, fused = false): readonly Graph[] {
  return name === undefined ? (fused ? result.optimized : result.graphs) : [pickBlock(result, name, fused)];
}
