// `sagac info FILE --json`: each block's interface. Scripts rely on this format (docs/cli.md):
// {"blocks": [{"name", "symbols", "inputs": [{"name", "shape"}], "params": [...], "outputs": [...], "tokenChunks"}]}
// where a shape lists numbers and dimension names ("N", or "d" / "C/2" for a derived dim).
import type { Graph, Node } from '../compiler/ir.js';
import { inputsOf, paramsOf } from '../compiler/ir.js';
import { formatDim } from '../runtime/shape.js';
import { tokenChunks } from '../compiler/token-chunks.js';
import { location } from '../codegen/wgsl/origin.js';
import { compileFile, selectBlocks } from './common.js';

export interface BlockInfo {
  name: string;
  symbols: string[];
  inputs: { name: string; shape: (number | string)[] }[];
  params: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[] }[];
  /** Whether runs may take `tokenChunk` (docs/memory.md): the token dim and the reductions over it, or why not. */
  tokenChunks: { dim: string; reductions: { name: string; kind: string }[] } | { why: string };
}

export function blockInfo(g: Graph): BlockInfo {
  const shape = (n: Node) => n.shape.map((d) => (d.sym === null && d.den === 1 ? d.num : formatDim(d, g.dimAliases)));
  return {
    name: g.block,
    symbols: [...g.symbols],
    inputs: inputsOf(g).map((n) => ({ name: n.name, shape: shape(n) })),
    params: paramsOf(g).map((n) => ({ name: n.name, shape: shape(n) })),
    outputs: g.outputs.map((o) => ({ name: o.name, shape: shape(g.nodes[o.value]) })),
    tokenChunks: chunksOf(g),
  };
}

function chunksOf(g: Graph): BlockInfo['tokenChunks'] {
  const c = tokenChunks(g);
  if ('why' in c) return { why: `${c.why} (${location(c.span)})` };
  return { dim: c.dim, reductions: [...c.reductions].map(([id, kind]) => ({ name: g.nodes[id].name ?? `%${id}`, kind })) };
}

export function info(file: string, json: boolean, block?: string): void {
  const blocks = selectBlocks(compileFile(file), block).map(blockInfo);
  if (json) {
    console.log(JSON.stringify({ blocks }, null, 2));
    return;
  }
  for (const b of blocks) {
    console.log(`block ${b.name}  (dims: ${b.symbols.join(', ')})`);
    for (const [kind, list] of [['input', b.inputs], ['param', b.params], ['output', b.outputs]] as const) {
      for (const t of list) console.log(`  ${kind.padEnd(6)} ${t.name}: [${t.shape.join(', ')}]`);
    }
    const c = b.tokenChunks;
    console.log('why' in c ? `  token chunks: no, ${c.why}` : `  token chunks: over ${c.dim}, reducing ${c.reductions.map((r) => `${r.name} (${r.kind})`).join(', ')}`);
  }
}
