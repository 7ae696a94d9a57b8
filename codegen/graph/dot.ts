// The IR as a dataflow picture: nodes labelled with op and shape, edges with tensor sizes, and
// the kernels of a plan drawn as clusters around the values they compute (an inline value sits
// in the cluster of the first kernel that computes it at load time). Pure text: DOT for Graphviz,
// or a Mermaid flowchart. `sagac graph` renders the DOT to SVG with @viz-js/viz.
import { operands, type Graph, type Id, type Node } from '../../compiler/ir.js';
import type { Plan } from '../../runtime/plan.js';
import { formatBytes } from '../../runtime/report.js';
import { evalShape, formatShape, numel } from '../../runtime/shape.js';

export interface GraphPicture {
  readonly graph: Graph;
  /** The plan generated from `graph`: its kernels become clusters. */
  readonly plan: Plan;
  /** Sizes to show memory at (`N=102400,C=64`); without them, edges show shapes. */
  readonly dims?: ReadonlyMap<string, number>;
}

/** Which kernels compute each value (hosted and inline values included). */
export function kernelsOf(graph: Graph, plan: Plan): Map<Id, string[]> {
  const byNode = new Map<Id, string[]>();
  const add = (id: Id, kernel: string) => {
    const ks = byNode.get(id) ?? [];
    if (!ks.includes(kernel)) ks.push(kernel);
    byNode.set(id, ks);
  };
  const holder = new Map<string, Id>();
  for (const b of plan.buffers) {
    const m = /^%(\d+) = /.exec(b.holds);
    if (m && !graph.nodes[Number(m[1])]?.inline) holder.set(b.id, Number(m[1]));
  }
  for (const k of plan.kernels) for (const buf of [k.writes, ...(k.alsoWrites ?? [])]) if (holder.has(buf)) add(holder.get(buf)!, k.name);
  // Inline values go with their readers' kernels, the last reader first in the order (a value is
  // drawn once, in the first kernel that computes it).
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    const ks = byNode.get(n.id) ?? [];
    for (const o of operands(n)) if (graph.nodes[o].inline) for (const k of ks) add(o, k);
  }
  return byNode;
}

const op = (n: Node) => (n.op === 'unary' || n.op === 'binary' ? n.fn : n.op === 'reduce' ? n.kind : n.op === 'outer_reduce' ? `outer_${n.kind}` : n.op);

function label(n: Node, g: Graph, dims?: ReadonlyMap<string, number>): string {
  const what = n.op === 'input' ? `${n.role} ${n.name}` : n.op === 'const' ? `const ${n.value}` : `%${n.id} ${op(n)}${n.name ? ` (${n.name})` : ''}`;
  const lines = [what, formatShape(n.shape, g.dimAliases)];
  if (dims && n.op !== 'const') lines.push(n.inline ? 'no buffer (load time)' : formatBytes(4 * numel(evalShape(n.shape, dims))));
  return lines.join('\n');
}

const edgeLabel = (n: Node, g: Graph, dims?: ReadonlyMap<string, number>) => (dims ? formatBytes(4 * numel(evalShape(n.shape, dims))) : formatShape(n.shape, g.dimAliases));

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function toDot({ graph: g, plan, dims }: GraphPicture): string {
  const kernels = kernelsOf(g, plan);
  const clusters = new Map<string, Node[]>();
  const free: Node[] = [];
  for (const n of g.nodes) {
    const ks = kernels.get(n.id);
    if (!ks || n.op === 'input' || n.op === 'const') free.push(n);
    else {
      const key = ks.join(' + ');
      clusters.set(key, [...(clusters.get(key) ?? []), n]);
    }
  }
  const nodeLine = (n: Node) => {
    const shape = n.op === 'input' ? 'box, style=rounded' : n.inline ? 'ellipse, style=dashed' : 'box';
    return `  n${n.id} [label=${quote(label(n, g, dims))}, shape=${shape}];`;
  };
  const out = [`digraph ${quote(g.block)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const n of free) out.push(nodeLine(n));
  [...clusters].forEach(([name, ns], i) => {
    out.push(`  subgraph cluster_${i} {`, `    label=${quote(`kernel ${name}`)};`, '    style=rounded; color="#4477aa";', ...ns.map((n) => `  ${nodeLine(n)}`), '  }');
  });
  for (const n of g.nodes) for (const o of operands(n)) out.push(`  n${o} -> n${n.id} [label=${quote(edgeLabel(g.nodes[o], g, dims))}];`);
  g.outputs.forEach((o, i) => out.push(`  out${i} [label=${quote(`output ${o.name}`)}, shape=box, style=rounded];`, `  n${o.value} -> out${i};`));
  out.push('}');
  return out.join('\n') + '\n';
}

export function toMermaid({ graph: g, plan, dims }: GraphPicture): string {
  const kernels = kernelsOf(g, plan);
  const text = (s: string) => `"${s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
  const out = ['flowchart TB'];
  const byKernel = new Map<string, Node[]>();
  for (const n of g.nodes) {
    const ks = kernels.get(n.id);
    if (!ks || n.op === 'input' || n.op === 'const') out.push(`  n${n.id}[${text(label(n, g, dims))}]`);
    else byKernel.set(ks.join(' + '), [...(byKernel.get(ks.join(' + ')) ?? []), n]);
  }
  [...byKernel].forEach(([name, ns], i) => out.push(`  subgraph k${i}[${text(`kernel ${name}`)}]`, ...ns.map((n) => `    n${n.id}[${text(label(n, g, dims))}]`), '  end'));
  for (const n of g.nodes) for (const o of operands(n)) out.push(`  n${o} -- ${text(edgeLabel(g.nodes[o], g, dims))} --> n${n.id}`);
  g.outputs.forEach((o, i) => out.push(`  out${i}([${text(`output ${o.name}`)}])`, `  n${o.value} --> out${i}`));
  return out.join('\n') + '\n';
}
