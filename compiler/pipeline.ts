// The optimisation passes, in order. Each is a pure Graph -> Graph function; with `verify` the
// IR's invariants are checked after every one (tests always do).
import type { Diagnostic } from '../dsl/span.js';
import type { Graph } from './ir.js';
import { chainMatmuls } from './passes/chain-matmuls.js';
import { chunkScan } from './passes/chunk-scan.js';
import { cse } from './passes/cse.js';
import { deadCode } from './passes/dead-code.js';
import { foldOutputProjection } from './passes/fold-output-projection.js';
import { flashAttention } from './passes/flash-attention.js';
import { fuseElementwise } from './passes/fuse-elementwise.js';
import { fuseEpilogue } from './passes/fuse-epilogue.js';
import { fuseKvProjections } from './passes/fuse-kv-projections.js';
import { fuseRowReductions } from './passes/fuse-row-reductions.js';
import { groupMatmuls } from './passes/group-matmuls.js';
import { hadamardDecompose } from './passes/hadamard-decompose.js';
import type { Pass, Rewrite } from './passes/pass.js';
import { verify } from './verify.js';

export const PASSES: readonly Pass[] = [hadamardDecompose, cse, foldOutputProjection, flashAttention, deadCode, fuseElementwise, fuseRowReductions, fuseEpilogue, groupMatmuls, fuseKvProjections, chainMatmuls, chunkScan];

export interface PipelineOptions {
  /** Check the IR after every pass. */
  readonly verify?: boolean;
  /** Stop after this pass (`build` stops before the first). */
  readonly after?: string;
}

export interface PipelineResult {
  readonly graph: Graph;
  readonly rewrites: readonly Rewrite[];
  readonly diagnostics: readonly Diagnostic[];
}

export const PASS_NAMES: readonly string[] = ['build', ...PASSES.map((p) => p.name)];

/** `--after` named no pass. */
export class UnknownPassError extends Error {}

export function optimize(graph: Graph, options: PipelineOptions = {}): PipelineResult {
  if (options.after !== undefined && !PASS_NAMES.includes(options.after)) {
    throw new UnknownPassError(`unknown pass '${options.after}' (passes: ${PASS_NAMES.join(', ')})`);
  }
  if (options.verify) verify(graph, 'build');
  const rewrites: Rewrite[] = [];
  const diagnostics: Diagnostic[] = [];
  let g = graph;
  if (options.after !== 'build') {
    for (const pass of PASSES) {
      const r = pass.run(g);
      g = r.graph;
      rewrites.push(...r.rewrites);
      diagnostics.push(...r.diagnostics);
      if (options.verify) verify(g, pass.name);
      if (pass.name === options.after) break;
    }
  }
  return { graph: g, rewrites, diagnostics };
}
