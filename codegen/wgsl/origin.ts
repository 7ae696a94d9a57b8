// Where a line of generated WGSL comes from in the .saga source, so a GPU compiler error can be
// reported on the user's line. Every kernel's first header line ends with the location of the
// value it computes, `(saga.saga:28:13 let den)`, and every load function of an IR value is
// preceded by `// from saga.saga:28:13 (den)`. A line belongs to the nearest function above it.
import type { Span } from '../../dsl/span.js';

export interface Origin {
  /** The file's base name, as printed in the kernel. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

const base = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** `saga.saga:28:13`, the location printed in headers and markers. */
export function location(span: Span): string {
  return `${base(span.file)}:${span.line}:${span.col}`;
}

/** The comment above a load function computing the value at `span`. */
export function originMarker(span: Span, name?: string): string {
  return `// from ${location(span)}${name ? ` (${name})` : ''}`;
}

const AT = /([^\s():]+):(\d+):(\d+)/;

function parse(text: string | undefined): Origin | undefined {
  const m = text === undefined ? null : AT.exec(text);
  return m ? { file: m[1], line: Number(m[2]), col: Number(m[3]) } : undefined;
}

/** The source location WGSL line `lineNum` (1-based) was generated from, if the kernel says. */
export function originOfLine(wgsl: string, lineNum: number): Origin | undefined {
  const lines = wgsl.split('\n');
  const header = parse(lines[0]?.startsWith('//') ? lines[0].slice(lines[0].lastIndexOf('(')) : undefined);
  for (let i = Math.min(lineNum, lines.length) - 1; i >= 0; i--) {
    const text = lines[i];
    if (text.startsWith('@compute') || text.startsWith('fn main(')) return header;
    if (text.startsWith('fn ')) {
      const above = lines[i - 1] ?? '';
      return above.startsWith('// from ') ? parse(above) : header;
    }
  }
  return header;
}
