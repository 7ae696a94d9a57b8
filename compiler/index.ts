// The compiler's front door: source text -> AST -> IR graphs, with every diagnostic in order.
import type { Program } from '../dsl/ast.js';
import { parse } from '../dsl/index.js';
import type { Diagnostic } from '../dsl/span.js';
import { buildProgram } from './build.js';
import type { Graph } from './ir.js';
import { optimize, type PipelineOptions } from './pipeline.js';
import type { Rewrite } from './passes/pass.js';

export interface CompileResult {
  readonly file: string;
  readonly source: string;
  readonly program: Program;
  /** Each block as written: the unfused reference. */
  readonly graphs: readonly Graph[];
  /** Each block after the optimisation passes (same order as `graphs`). */
  readonly optimized: readonly Graph[];
  /** What the passes rewrote, for `sagac explain`. */
  readonly rewrites: readonly Rewrite[];
  /** Errors and warnings, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** No errors (warnings allowed). */
  readonly ok: boolean;
}

/**
 * Compiles a .saga source. Never throws for a mistake in the source: those are diagnostics.
 * @example
 *   const r = compileSource(fs.readFileSync('examples/saga.saga', 'utf8'), 'examples/saga.saga');
 *   if (!r.ok) console.error(formatDiagnostics(r.diagnostics, r.source));
 */
export function compileSource(source: string, file: string, options: PipelineOptions = {}): CompileResult {
  const parsed = parse(source, file);
  // Meaning is checked only on a syntactically clean program: a recovered parse has holes that
  // would produce confusing follow-on errors.
  const syntaxOk = !parsed.diagnostics.some((d) => d.severity === 'error');
  const built = syntaxOk ? buildProgram(parsed.program) : { graphs: [], diagnostics: [] };
  const passes = built.graphs.map((g) => optimize(g, options));
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics, ...passes.flatMap((p) => p.diagnostics)].sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return {
    file,
    source,
    program: parsed.program,
    graphs: built.graphs,
    optimized: passes.map((p) => p.graph),
    rewrites: passes.flatMap((p) => p.rewrites),
    diagnostics,
    ok: !diagnostics.some((d) => d.severity === 'error'),
  };
}

export type { Graph } from './ir.js';
export { printGraph } from './print.js';
