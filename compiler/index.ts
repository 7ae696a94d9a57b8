// The compiler's front door: source text -> AST -> IR graphs, with every diagnostic in order.
import type { Program } from '../dsl/ast.js';
import { parse } from '../dsl/index.js';
import type { Diagnostic } from '../dsl/span.js';
import { buildProgram } from './build.js';
import type { Graph } from './ir.js';

export interface CompileResult {
  readonly file: string;
  readonly source: string;
  readonly program: Program;
  readonly graphs: readonly Graph[];
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
export function compileSource(source: string, file: string): CompileResult {
  const parsed = parse(source, file);
  // Meaning is checked only on a syntactically clean program: a recovered parse has holes that
  // would produce confusing follow-on errors.
  const syntaxOk = !parsed.diagnostics.some((d) => d.severity === 'error');
  const built = syntaxOk ? buildProgram(parsed.program) : { graphs: [], diagnostics: [] };
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics].sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return {
    file,
    source,
    program: parsed.program,
    graphs: built.graphs,
    diagnostics,
    ok: !diagnostics.some((d) => d.severity === 'error'),
  };
}

export type { Graph } from './ir.js';
export { printGraph } from './print.js';
