import { writeFileSync } from 'node:fs';
import { parseDims, toDot, toMermaid, toSvg } from '../codegen/graph/index.js';
import { compileFile, pickBlock, UsageError } from './common.js';

export interface GraphCommand {
  file: string;
  block?: string;
  after?: string;
  format?: string;
  out?: string;
  dims: readonly string[];
}

/** `sagac graph`: the IR as a dataflow picture (DOT, mermaid or SVG), as built or after a pass. */
export async function graph(o: GraphCommand): Promise<void> {
  const format = o.format ?? (o.out?.match(/\.(svg|dot|mmd)$/)?.[1]?.replace('mmd', 'mermaid') ?? 'dot');
  if (!['svg', 'dot', 'mermaid'].includes(format)) throw new UsageError(`--format must be svg, dot or mermaid, got '${format}'`);
  let dims: Map<string, number> | undefined;
  try {
    dims = o.dims.length ? parseDims(o.dims) : undefined;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const g = pickBlock(compileFile(o.file, { after: o.after }), o.block, o.after !== undefined);
  if (dims) {
    const missing = g.symbols.filter((s) => !dims!.has(s));
    if (missing.length) throw new UsageError(`--dims lacks ${missing.join(', ')} (block ${g.block} is sized by ${g.symbols.join(', ')})`);
    const extra = [...dims.keys()].filter((s) => !g.symbols.includes(s));
    if (extra.length) throw new UsageError(`--dims names ${extra.join(', ')}, which block ${g.block} does not use (it is sized by ${g.symbols.join(', ')})`);
  }
  const text = format === 'svg' ? await toSvg(g, { dims }) : format === 'mermaid' ? toMermaid(g, { dims }) : toDot(g, { dims });
  if (o.out) writeFileSync(o.out, text);
  else process.stdout.write(text);
}
