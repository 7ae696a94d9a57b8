// A kernel the GPU's shader compiler rejects is reported on the .saga line its failing WGSL line
// was generated from (codegen/wgsl/origin.ts), with that WGSL line as a note.
import { compileSource } from '../compiler/index.js';
import { formatDiagnostic } from '../dsl/format.js';
import { diag, messages } from '../dsl/messages.js';
import type { Span } from '../dsl/span.js';
import type { ShaderError } from '../runtime/errors.js';

/** The span of the value at line:col of `source` (a whole expression when the IR knows it). */
function spanAt(source: string, file: string, line: number, col: number): Span {
  const r = compileSource(source, file);
  for (const g of r.graphs) for (const n of g.nodes) if (n.span.line === line && n.span.col === col) return n.span;
  const start = source.split('\n').slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0) + col - 1;
  return { file, line, col, start, end: start };
}

export function formatShaderError(e: ShaderError, source: string, file: string): string {
  const out: string[] = [];
  for (const p of e.problems) {
    const where = p.wgslLine === undefined ? '' : `\n  note: kernel ${e.kernel}, WGSL line ${p.wgslLine}: ${p.wgslText?.trim() ?? ''}`;
    if (!p.origin) {
      out.push(`${file}: error: kernel ${e.kernel} does not compile: ${p.message}${where}`);
      continue;
    }
    const d = diag(messages.shaderRejected, spanAt(source, file, p.origin.line, p.origin.col), [e.kernel, p.message]);
    out.push(formatDiagnostic(d, source) + where);
  }
  return out.join('\n\n');
}
