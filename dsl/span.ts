// Source positions and diagnostics: every stage reports mistakes in this one form.

/** A range of a source file. `line`/`col` (1-based) locate `start`; offsets are 0-based, end exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code from the catalog in `messages.ts`, e.g. `SG2001`. */
  readonly code: string;
  readonly message: string;
  readonly span: Span;
  readonly hint?: string;
}
