// IR graph -> a dataflow picture (Graphviz DOT or mermaid). Nodes show op and shape, edges the tensor
// they carry, and nodes computed by one kernel (its owner plus the inline nodes and hosted row
// reductions it computes) are drawn as a cluster named after that kernel in the WGSL plan.
import { operands, type Graph, type Id, type Node } from '../../compiler/ir.js';
import { evalShape, formatShape, formatSizes, numel, type Bindings } from '../../runtime/shape.js';
import { generatePlan } from '../wgsl/index.js';

export interface GraphOptions {
  /** Sizes of the block's symbols (`N`, `C`, ...): adds element counts and f32 bytes. */
  readonly dims?: Bindings;
}

const mangle = (s: string) => {
  const m = s.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(m) ? m : `t${m}`;
};

function opLabel(n: Node): string {
  switch (n.op) {
    case 'input': return `${n.role} ${n.name}`;
    case 'const': return `const ${n.value}`;
    case 'unary': case 'binary': return n.fn;
    case 'reduce': return `${n.kind}(axis ${n.axis}${n.keep ? ', keep' : ''})`;
    case 'outer_reduce': return `outer_${n.kind}`;
    case 'split_heads': return `split_heads(${n.heads})`;
    default: return n.op;
  }
}

/** Owner node id of each node's kernel (undefined for inputs and nodes no kernel computes). */
function owners(g: Graph): Map<Id, Id> {
  const owner = new Map<Id, Id>();
  const readers = new Map<Id, Id[]>();
  for (const n of g.nodes) for (const x of operands(n)) readers.set(x, [...(readers.get(x) ?? []), n.id]);
  for (const n of g.nodes) if (n.op !== 'input' && n.op !== 'const' && !n.inline && n.host === undefined && n.epilogueOf === undefined) owner.set(n.id, n.id);
  for (const n of g.nodes) if (n.host !== undefined) owner.set(n.id, owner.get(n.host) ?? n.host);
  for (const n of g.nodes) if (n.epilogueOf !== undefined) owner.set(n.id, n.epilogueOf);
  for (const n of g.nodes) if (n.group !== undefined) owner.set(n.id, n.group);
  for (const n of g.nodes) if (n.reducedIn !== undefined) owner.set(n.id, n.reducedIn);
  // Inline nodes and constants (literals in their readers' WGSL): drawn inside the first kernel (in
  // node order) that reads them, directly or through other inline nodes; walk from the last node
  // backwards so chains resolve.
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if ((!n.inline || n.epilogueOf !== undefined || n.reducedIn !== undefined) && n.op !== 'const') continue;
    const ks = (readers.get(n.id) ?? []).map((r) => owner.get(r)).filter((k): k is Id => k !== undefined);
    if (ks.length) owner.set(n.id, Math.min(...ks));
  }
  return owner;
}

/** Kernel name for each owner node, from the WGSL plan (the kernel writing its buffer). */
function kernelNames(g: Graph, owner: Map<Id, Id>): Map<Id, string> {
  const plan = generatePlan(g);
  const byWrite = new Map(plan.kernels.map((k) => [k.writes, k.name] as const));
  const names = new Map<Id, string>();
  for (const id of new Set(owner.values())) {
    // A matmul with an epilogue writes the epilogue's value, not its own.
    const n = g.nodes.find((e) => e.epilogueOf === id) ?? g.nodes[id];
    const base = mangle(n.name ?? `t${n.id}`);
    const name = byWrite.get(`${base}_${n.id}`) ?? byWrite.get(base);
    names.set(id, name ?? `kernel_${base}`);
  }
  return names;
}

const bytes = (b: number) => (b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(2)} GiB` : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);

interface Item {
  id: Id;
  label: string[];
  kernel?: string;
  /** Stored in a buffer of its own (not inline, not an input): the memory it takes. */
  stored: boolean;
  kind: 'input' | 'output' | 'op';
}

function describe(g: Graph, options: GraphOptions) {
  const owner = owners(g);
  const kname = kernelNames(g, owner);
  const outs = new Set(g.outputs.map((o) => o.value));
  const size = (n: Node) => {
    if (!options.dims) return undefined;
    const e = numel(evalShape(n.shape, options.dims));
    return `${e.toLocaleString('en-US')} el, ${bytes(e * 4)}`;
  };
  // Products whose kernel writes an epilogue's value instead (fuse-epilogue), and that value.
  const leads = new Set(g.nodes.flatMap((n) => (n.epilogueOf === undefined ? [] : [n.epilogueOf])));
  const products = new Set(g.nodes.flatMap((n) => (leads.has(n.id) || (n.group !== undefined && leads.has(n.group)) ? [n.id] : [])));
  const items: Item[] = g.nodes.map((n) => {
    const inline = (n.inline && n.epilogueOf === undefined) || products.has(n.id) || n.reducedIn !== undefined;
    const stored = n.op !== 'input' && n.op !== 'const' && !inline;
    const label = [`${n.name && n.op !== 'input' ? `${n.name} = ` : ''}${opLabel(n)}`, formatShape(n.shape, g.dimAliases)];
    const s = size(n);
    if (s && n.op !== 'const') label.push(products.has(n.id) || n.reducedIn !== undefined ? `(in registers, ${s} not stored)` : inline ? `(inline, ${s} not stored)` : s);
    const o = owner.get(n.id);
    return { id: n.id, label, kernel: o === undefined ? undefined : kname.get(o), stored, kind: n.op === 'input' ? 'input' : outs.has(n.id) ? 'output' : 'op' };
  });
  const edges = g.nodes.flatMap((n) => operands(n).map((x) => ({ from: x, to: n.id, label: edgeLabel(g, g.nodes[x], options) })));
  const total = options.dims ? items.filter((i) => i.stored && i.kind === 'op').reduce((t, i) => t + 4 * numel(evalShape(g.nodes[i.id].shape, options.dims!)), 0) : undefined;
  return { items, edges, total };
}

function edgeLabel(g: Graph, n: Node, options: GraphOptions): string {
  if (!options.dims) return formatShape(n.shape, g.dimAliases);
  return bytes(4 * numel(evalShape(n.shape, options.dims)));
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz DOT. Deterministic: nodes and clusters in node order. */
export function toDot(g: Graph, options: GraphOptions = {}): string {
  const { items, edges, total } = describe(g, options);
  const title = `block ${g.block}${total !== undefined ? ` — intermediates ${bytes(total)} at ${formatSizes(options.dims!)}` : ''}`;
  const out = [`digraph ${q(g.block)} {`, `  label=${q(title)}; labelloc=t; rankdir=TB; fontname="Helvetica";`, `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];`, `  edge [fontname="Helvetica", fontsize=8, color="#555555"];`];
  const line = (i: Item) => {
    const fill = i.kind === 'input' ? '#e8f0fe' : i.kind === 'output' ? '#e6f4ea' : '#ffffff';
    const style = i.stored || i.kind === 'input' ? 'rounded,filled' : 'rounded,filled,dashed';
    return `n${i.id} [label=${q(i.label.join('\n'))}, fillcolor=${q(fill)}, style=${q(style)}];`;
  };
  const clusters = new Map<string, Item[]>();
  for (const i of items) if (i.kernel) clusters.set(i.kernel, [...(clusters.get(i.kernel) ?? []), i]);
  for (const i of items) if (!i.kernel) out.push(`  ${line(i)}`);
  for (const [k, members] of clusters) {
    out.push(`  subgraph ${q(`cluster_${k}`)} {`, `    label=${q(`kernel ${k}`)}; style="rounded,filled"; fillcolor="#fff8e1"; color="#f9a825"; fontsize=9;`);
    for (const i of members) out.push(`    ${line(i)}`);
    out.push('  }');
  }
  for (const e of edges) out.push(`  n${e.from} -> n${e.to} [label=${q(e.label)}];`);
  out.push('}');
  return out.join('\n') + '\n';
}

const mq = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;

/** Mermaid flowchart (renders on GitHub). */
export function toMermaid(g: Graph, options: GraphOptions = {}): string {
  const { items, edges } = describe(g, options);
  const out = ['flowchart TD'];
  const line = (i: Item) => `n${i.id}[${mq(i.label.join('<br/>'))}]`;
  const clusters = new Map<string, Item[]>();
  for (const i of items) if (i.kernel) clusters.set(i.kernel, [...(clusters.get(i.kernel) ?? []), i]);
  for (const i of items) if (!i.kernel) out.push(`  ${line(i)}`);
  for (const [k, members] of clusters) {
    out.push(`  subgraph ${k}[${mq(`kernel ${k}`)}]`);
    for (const i of members) out.push(`    ${line(i)}`);
    out.push('  end');
  }
  for (const e of edges) out.push(`  n${e.from} -->|${mq(e.label)}| n${e.to}`);
  return out.join('\n') + '\n';
}

/** SVG via WebAssembly Graphviz (@viz-js/viz); works in Node and in a browser. */
export async function toSvg(g: Graph, options: GraphOptions = {}): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  return (await instance()).renderString(toDot(g, options), { format: 'svg' });
}

/** Parses `N=102400,C=64` (also accepts several comma-separated lists). Throws Error with a clear message. */
export function parseDims(specs: readonly string[]): Map<string, number> {
  const dims = new Map<string, number>();
  for (const kv of specs.flatMap((s) => s.split(',')).filter((s) => s.trim())) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(kv);
    if (!m || Number(m[2]) < 1) throw new Error(`bad --dims entry '${kv}': expected NAME=POSITIVE_INTEGER, e.g. N=102400,C=64`);
    dims.set(m[1], Number(m[2]));
  }
  return dims;
}
