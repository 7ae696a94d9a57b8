// Prints diagnostics the way rustc and Elm do: where (file:line:col), what, the source line with a
// caret under the span, and a hint. Tabs are expanded so the caret stays under the right text.
import type { Diagnostic } from './span.js';

const TAB = 4;
const GUTTER = 5;

/** Display width of `text` starting at display column `col` (0-based), with tabs to the next stop. */
function advance(text: string, col: number): number {
  for (const ch of text) col = ch === '\t' ? col + TAB - (col % TAB) : col + 1;
  return col;
}

function expandTabs(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\t' ? ' '.repeat(TAB - (advance(out, 0) % TAB)) : ch;
  return out;
}

/**
 * One diagnostic as text, without a trailing newline.
 * @example
 *   formatDiagnostic(d, source)
 *   // examples/bad.saga:3:15: error SG2001: unknown name 'wq'
 *   //     3 |   let q = x @ wq
 *   //       |               ^^
 *   //   hint: did you mean 'w_q'?
 */
export function formatDiagnostic(d: Diagnostic, source: string): string {
  const { file, line, col, start, end } = d.span;
  const out = [`${file}:${line}:${col}: ${d.severity} ${d.code}: ${d.message}`];
  const text = source.split('\n')[line - 1];
  if (text !== undefined) {
    const shown = text.endsWith('\r') ? text.slice(0, -1) : text;
    const from = Math.min(Math.max(col - 1, 0), shown.length);
    // Clip to the line; a zero-width span (end of file, a missing token) still gets one caret.
    const to = Math.min(from + Math.max(end - start, 0), shown.length);
    const left = advance(shown.slice(0, from), 0);
    const width = Math.max(1, advance(shown.slice(from, to), left) - left);
    const number = String(line).padStart(GUTTER);
    out.push(`${number} | ${expandTabs(shown)}`.trimEnd());
    out.push(`${' '.repeat(number.length)} | ${' '.repeat(left)}${'^'.repeat(width)}`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join('\n');
}

/** Several diagnostics, in the order given, separated by blank lines. */
export function formatDiagnostics(ds: readonly Diagnostic[], source: string): string {
  return ds.map((d) => formatDiagnostic(d, source)).join('\n\n');
}
