// What every command shares: reading a .saga file, compiling it, printing diagnostics, and
// picking a block. Mistakes become a UsageError (printed as one line, exit 1).
import { readFileSync } from 'node:fs';
import { compileSource, type CompileResult } from '../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../compiler/ir.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import type { Tensor } from '../runtime/tensor.js';
import { UnknownPassError, type PipelineOptions } from '../compiler/pipeline.js';
import { formatDiagnostics } from '../dsl/format.js';
import { validateTuningFile, type TuningFile } from '../codegen/wgsl/tuning.js';

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

const DEFAULT_DIMS: Record<string, number> = { B: 1, N: 1024, C: 64 };

/** One `--dim NAME=SIZE` flag, SIZE a positive whole number, or undefined. */
export function dimFlag(kv: string): [string, number] | undefined {
  const m = /^([A-Za-z_]\w*)=([1-9]\d*)$/.exec(kv);
  return m ? [m[1], Number(m[2])] : undefined;
}

/** `--dim NAME=SIZE` flags as a map, for any block; a malformed flag or a repeated name is a usage error. */
export function parseDimFlags(flags: readonly string[]): Map<string, number> {
  const dims = new Map<string, number>();
  for (const kv of flags) {
    const d = dimFlag(kv);
    if (!d) throw new UsageError(`--dim expects NAME=SIZE with SIZE a positive whole number, e.g. --dim C=64; got '${kv}'`);
    if (dims.has(d[0])) throw new UsageError(`--dim ${d[0]} given twice`);
    dims.set(...d);
  }
  return dims;
}

/** Names in `dims` that none of `symbols` is: a typo, said with the dims there are. */
export function checkDimNames(dims: ReadonlyMap<string, number>, symbols: Iterable<string>): void {
  const known = new Set(symbols);
  const unused = [...dims.keys()].filter((s) => !known.has(s));
  if (unused.length) throw new UsageError(`--dim ${unused.join(', ')}: no block here uses ${unused.length === 1 ? 'it' : 'them'} (their dims: ${[...known].sort().join(', ') || 'none'})`);
}

/** The block's sizes from `--dim NAME=SIZE` flags; others default to B=1, N=1024, C=64 (else 16). */
export function parseDims(graph: Graph, flags: readonly string[]): Map<string, number> {
  const env = new Map<string, number>();
  for (const s of graph.symbols) env.set(s, DEFAULT_DIMS[s] ?? 16);
  for (const kv of flags) {
    const d = dimFlag(kv);
    if (!d || !graph.symbols.includes(d[0])) throw new UsageError(`--dim expects NAME=SIZE with NAME one of ${graph.symbols.join(', ')} and SIZE a positive whole number; got '${kv}'`);
    env.set(...d);
  }
  return env;
}

/** Random inputs, and params scaled like initialised weights (1/sqrt(fan-in)). */
export function randomTensors(graph: Graph, env: ReadonlyMap<string, number>, seed: number): Record<string, Tensor> {
  const next = rng(seed);
  const tensors: Record<string, Tensor> = {};
  for (const n of inputsOf(graph)) tensors[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(graph)) {
    const shape = evalShape(n.shape, env);
    tensors[n.name] = randomTensor(shape, next, shape.length >= 2 ? 1 / Math.sqrt(shape[shape.length - 2]) : 0.5);
  }
  return tensors;
}

/** A tuning file written by `sagac tune`, checked. */
export function readTuningFile(path: string): TuningFile {
  let data: unknown;
  try {
    data = JSON.parse(readText(path, 'tuning file'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`tuning file '${path}' is not JSON: ${(e as Error).message}`);
  }
  const problem = validateTuningFile(data);
  if (problem) throw new UsageError(`tuning file '${path}': ${problem}`);
  return data as TuningFile;
}
