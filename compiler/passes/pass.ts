// A pass is a pure function from graph to graph; it never mutates its input and reports each
// rewrite it made (for `sagac explain`) and anything the user should know (warnings).
import type { Diagnostic, Span } from '../../dsl/span.js';
import type { Graph } from '../ir.js';

export interface Rewrite {
  readonly pass: string;
  /** The user's source the rewritten values came from. */
  readonly span: Span;
  readonly message: string;
}

export interface PassResult {
  readonly graph: Graph;
  readonly rewrites: readonly Rewrite[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Pass {
  readonly name: string;
  /** One line for `sagac explain --passes` and the docs. */
  readonly summary: string;
  run(graph: Graph): PassResult;
}
