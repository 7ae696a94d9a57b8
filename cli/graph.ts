// `sagac graph FILE [--block B] [--after PASS] [--format svg|dot|mermaid] [--dims N=...,C=...] [--out F]`:
// the IR as a dataflow picture with the plan's kernels as clusters (codegen/graph/dot.ts).
import { generatePlan } from '../codegen/wgsl/index.js';
import { toDot, toMermaid } from '../codegen/graph/dot.js';
import { writeFileAtomic } from '../runtime/safetensors-file.js';
import { compileFile, parseDims, pickBlock, UsageError } from './common.js';

export interface GraphOptions {
  readonly file: string;
  readonly block?: string;
  readonly after?: string;
  readonly format: string;
  readonly dims?: string;
  readonly out?: string;
}

const FORMATS = ['svg', 'dot', 'mermaid'];

export async function graph(o: GraphOptions): Promise<void> {
  if (!FORMATS.includes(o.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${o.format}'`);
  // Without --after: the graph after every pass, as it runs.
  const result = compileFile(o.file, o.after === undefined ? {} : { after: o.after });
  const g = pickBlock(result, o.block, true);
  const dims = o.dims === undefined ? undefined : parseDims(g, o.dims.split(',').filter((s) => s !== ''));
  const picture = { graph: g, plan: generatePlan(g, dims ? { dims } : {}), ...(dims ? { dims } : {}) };
  let text: string;
  if (o.format === 'mermaid') text = toMermaid(picture);
  else if (o.format === 'dot') text = toDot(picture);
  else {
    const { instance } = await import('@viz-js/viz');
    text = (await instance()).renderString(toDot(picture), { format: 'svg', engine: 'dot' });
  }
  if (o.out === undefined) process.stdout.write(text);
  else {
    writeFileAtomic(o.out, text);
    process.stderr.write(`wrote ${o.out}\n`);
  }
}
