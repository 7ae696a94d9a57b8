// The IR as text, one value per line, for `sagac ir` and golden tests:
//   %9 = matmul %0, %1 : [B, N, C]    // q  saga.saga:17:11
import { formatShape } from '../runtime/shape.js';
import { inputsOf, paramsOf, type Graph, type Node, type NodeOf } from './ir.js';

export function printGraph(g: Graph): string {
  const shape = (n: Node) => formatShape(n.shape, g.dimAliases);
  const sig = (ns: readonly Node[]) => ns.map((n) => `${n.name}: ${shape(n)}`).join(', ');
  const lines = [`block ${g.block}(${sig(inputsOf(g))}) params(${sig(paramsOf(g))}) {`];
  for (const n of g.nodes) {
    const where = `${n.span.file}:${n.span.line}:${n.span.col}`;
    const comment = n.op === 'input' ? '' : `    // ${n.name ? `${n.name}  ` : ''}${where}`;
    lines.push(`  %${n.id} = ${describe(n)} : ${shape(n)}${n.inline ? ' inline' : ''}${n.host !== undefined ? ` in %${n.host}` : ''}${n.group !== undefined && n.group !== n.id ? ` with %${n.group}` : ''}${n.epilogueOf !== undefined ? ` after %${n.epilogueOf}` : ''}${n.reducedIn !== undefined ? ` reduced in %${n.reducedIn}` : ''}${n.chainedInto !== undefined ? ` chained into %${n.chainedInto}` : ''}${comment}`);
  }
  for (const o of g.outputs) lines.push(`  output ${o.name} = %${o.value}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function describe(n: Node): string {
  switch (n.op) {
    case 'input':
      return `${n.role} ${n.name}`;
    case 'const':
      return `const ${n.value}`;
    case 'unary':
      return `${n.fn} %${n.x}`;
    case 'binary':
      return `${n.fn} %${n.a}, %${n.b}`;
    case 'matmul':
    case 'outer':
      return `${n.op} %${n.a}, %${n.b}`;
    case 'reduce':
      return `${n.kind} %${n.x}, axis=${n.axis}${n.keep ? ', keep' : ''}`;
    case 'outer_reduce':
      return `outer_${n.kind} %${n.a}, %${n.b}`;
    case 'split_heads':
      return `split_heads %${n.x}, heads=${n.heads}`;
    case 'transpose':
    case 'merge_heads':
      return `${n.op} %${n.x}`;
    case 'scan':
      return describeScan(n);
    case 'attention':
      return `attention %${n.q}, %${n.k}, %${n.v}, scale=${n.scale}`;
    case 'dwconv':
      return `dwconv %${n.x}, %${n.w}, width=${n.width}`;
    case 'patches':
      return `patches %${n.x}, size=${n.size}, width=${n.width}`;
  }
}

/** `scan q=%3, k=%5, v=%6, decay=%8, chunk=64 (chunked)` */
export function describeScan(n: NodeOf<'scan'>): string {
  const decay = n.decay === undefined ? '' : `, decay=%${n.decay}`;
  return `scan q=%${n.q}, k=%${n.k}, v=%${n.v}${decay}, chunk=${n.chunk} (${n.form})`;
}
