// Builds IR graphs by hand for codegen and executor tests (ids = index, dummy spans), with its own
// small shape inference so the tests don't depend on the compiler front end.
import type { BinaryFn, Graph, Id, Node, Output, ReduceKind, UnaryFn } from '../../compiler/ir.js';
import type { Span } from '../../dsl/span.js';
import { dim, dimEquals, divDim, isLiteral, lit, mulDim, type Dim } from '../../runtime/shape.js';

type DimLike = string | number | Dim;

const toDim = (d: DimLike): Dim => (typeof d === 'number' ? lit(d) : typeof d === 'string' ? dim(d) : d);

function broadcast(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? lit(1);
    const db = b[b.length - rank + i] ?? lit(1);
    if (dimEquals(da, db) || isLiteral(db, 1)) out.push(da);
    else if (isLiteral(da, 1)) out.push(db);
    else throw new Error(`builder: cannot broadcast ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
  }
  return out;
}

export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly outs: Output[] = [];
  private readonly symbols: string[] = [];

  constructor(private readonly block = 'test') {}

  private span(): Span {
    return { file: 'test.saga', start: 0, end: 0, line: this.nodes.length + 1, col: 1 };
  }

  private add(make: (base: { id: Id; span: Span }) => Node): Id {
    const id = this.nodes.length;
    this.nodes.push(make({ id, span: this.span() }));
    return id;
  }

  shape(id: Id): readonly Dim[] {
    return this.nodes[id].shape;
  }

  input(name: string, shape: readonly DimLike[], role: 'input' | 'param' = 'input'): Id {
    const dims = shape.map(toDim);
    for (const d of dims) if (d.sym !== null && !this.symbols.includes(d.sym)) this.symbols.push(d.sym);
    return this.add((b) => ({ ...b, op: 'input', role, name, shape: dims }));
  }

  param(name: string, shape: readonly DimLike[]): Id {
    return this.input(name, shape, 'param');
  }

  const(value: number, name?: string): Id {
    return this.add((b) => ({ ...b, op: 'const', value, shape: [], name }));
  }

  unary(fn: UnaryFn, x: Id, name?: string): Id {
    return this.add((b) => ({ ...b, op: 'unary', fn, x, shape: this.shape(x), name }));
  }

  binary(fn: BinaryFn, a: Id, bId: Id, name?: string): Id {
    return this.add((b) => ({ ...b, op: 'binary', fn, a, b: bId, shape: broadcast(this.shape(a), this.shape(bId)), name }));
  }

  matmul(a: Id, bId: Id, name?: string): Id {
    const sa = this.shape(a);
    const sb = this.shape(bId);
    if (!dimEquals(sa[sa.length - 1], sb[sb.length - 2])) throw new Error('builder: matmul inner dims differ');
    const shape = [...broadcast(sa.slice(0, -2), sb.slice(0, -2)), sa[sa.length - 2], sb[sb.length - 1]];
    return this.add((b) => ({ ...b, op: 'matmul', a, b: bId, shape, name }));
  }

  reduce(kind: ReduceKind, x: Id, axis: number, keep = false, name?: string): Id {
    const sx = this.shape(x);
    const shape = keep ? sx.map((d, i) => (i === axis ? lit(1) : d)) : sx.filter((_, i) => i !== axis);
    return this.add((b) => ({ ...b, op: 'reduce', kind, x, axis, keep, shape, name }));
  }

  outer(a: Id, bId: Id, name?: string): Id {
    const sa = this.shape(a);
    const sb = this.shape(bId);
    const shape = [...broadcast(sa.slice(0, -1), sb.slice(0, -1)), sa[sa.length - 1], sb[sb.length - 1]];
    return this.add((b) => ({ ...b, op: 'outer', a, b: bId, shape, name }));
  }

  transpose(x: Id, name?: string): Id {
    const s = this.shape(x);
    const shape = [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]];
    return this.add((b) => ({ ...b, op: 'transpose', x, shape, name }));
  }

  splitHeads(x: Id, heads: number, name?: string): Id {
    const s = this.shape(x);
    const shape = [...s.slice(0, -2), lit(heads), s[s.length - 2], divDim(s[s.length - 1], heads)];
    return this.add((b) => ({ ...b, op: 'split_heads', x, heads, shape, name }));
  }

  mergeHeads(x: Id, name?: string): Id {
    const s = this.shape(x);
    const h = s[s.length - 3];
    if (h.sym !== null || h.den !== 1) throw new Error('builder: merge_heads needs a literal head count');
    const shape = [...s.slice(0, -3), s[s.length - 2], mulDim(s[s.length - 1], h.num)];
    return this.add((b) => ({ ...b, op: 'merge_heads', x, shape, name }));
  }

  output(name: string, value: Id): this {
    this.outs.push({ name, value, span: this.span() });
    return this;
  }

  build(): Graph {
    return {
      block: this.block,
      span: { file: 'test.saga', start: 0, end: 0, line: 1, col: 1 },
      nodes: [...this.nodes],
      outputs: [...this.outs],
      symbols: [...this.symbols],
      dimAliases: new Map(),
    };
  }
}

/**
 * The SAGA-N1 core on per-head tensors [B, h, N, d]:
 * s = sum(outer(a,b) * outer(k,v), N); z = sum(a*k, N, keep); den = sum(q*z, d, keep);
 * o = (q @ s) / (den + eps).
 */
export function sagaCore(heads: number, block = 'saga_core'): Graph {
  const g = new GraphBuilder(block);
  const d = dim('C', 1, heads);
  const shape = ['B', heads, 'N', d];
  const [q, k, v, a, b] = ['q', 'k', 'v', 'a', 'b'].map((n) => g.input(n, shape));
  const s = g.reduce('sum', g.binary('mul', g.outer(a, b, 'g'), g.outer(k, v)), 2, false, 's');
  const z = g.reduce('sum', g.binary('mul', a, k), 2, true, 'z');
  const den = g.reduce('sum', g.binary('mul', q, z), 3, true, 'den');
  const o = g.binary('div', g.matmul(q, s), g.binary('add', den, g.const(1e-6, 'eps')), 'o');
  return g.output('o', o).build();
}
