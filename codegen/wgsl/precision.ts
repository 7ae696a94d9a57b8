// f16 storage, f32 arithmetic: a kernel printed for f32 is rewritten to keep its tensors in f16
// buffers. Every read of a storage binding becomes `f32(x[i])` and every store `x[i] = f16(v)`,
// so loaders, accumulators and workgroup memory stay f32 (accumulating in f16 would lose the
// reductions over N). Uniforms and workgroup arrays are untouched.

/** The storage bindings a kernel declares. */
function storageNames(wgsl: string): string[] {
  return [...wgsl.matchAll(/^@group\(0\) @binding\(\d+\) var<storage, read(?:_write)?> (\w+): array<f32>;$/gm)].map((m) => m[1]);
}

/** Index of the `]` matching the `[` at `open`. */
function closing(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    if (line[i] === '[') depth++;
    else if (line[i] === ']' && --depth === 0) return i;
  }
  throw new Error(`precision: unbalanced brackets in '${line}'`);
}

/** End of the statement starting at `from` (the `;` outside any parentheses). */
function statementEnd(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ';' && depth === 0) return i;
  }
  throw new Error(`precision: no end of statement in '${line}'`);
}

function rewriteLine(line: string, names: ReadonlySet<string>): string {
  const access = /\b(\w+)\[/g;
  let out = '';
  let at = 0;
  for (let m = access.exec(line); m; m = access.exec(line)) {
    if (!names.has(m[1]) || m.index < at) continue;
    const open = m.index + m[1].length;
    const close = closing(line, open);
    const target = `${m[1]}[${rewriteLine(line.slice(open + 1, close), names)}]`;
    const rest = line.slice(close + 1);
    const assign = /^\s*=(?!=)\s*/.exec(rest);
    out += line.slice(at, m.index);
    if (assign) {
      const valueStart = close + 1 + assign[0].length;
      const end = statementEnd(line, valueStart);
      out += `${target} = f16(${rewriteLine(line.slice(valueStart, end), names)})`;
      at = end;
    } else {
      out += `f32(${target})`;
      at = close + 1;
    }
    access.lastIndex = at;
  }
  return out + line.slice(at);
}

/** The kernel with its storage buffers in f16. */
export function toF16Storage(wgsl: string): string {
  const names = new Set(storageNames(wgsl));
  const lines = wgsl.split('\n').map((line) => {
    if (line.startsWith('@group(0)') && /var<storage/.test(line)) return line.replace('array<f32>', 'array<f16>');
    if (line.startsWith('//') || line.startsWith('@group')) return line;
    return rewriteLine(line, names);
  });
  const firstCode = lines.findIndex((l) => !l.startsWith('//'));
  lines.splice(firstCode, 0, 'enable f16;');
  return lines.join('\n');
}
