// The Hadamard-product decomposition (SAGA, arXiv 2509.12817): a per-token gate matrix that is
// an outer product, multiplied into the outer product k_j v_jᵀ and reduced over tokens, never
// needs the N×d×d tensor:
//
//   before:  %g = outer %a, %b          : [B, h, N, d, d]
//            %kv = outer %k, %v         : [B, h, N, d, d]
//            %p = mul %g, %kv           : [B, h, N, d, d]
//            %s = sum %p, axis=2        : [B, h, d, d]
//   after:   %ak = mul %a, %k           : [B, h, N, d]
//            %bv = mul %b, %v           : [B, h, N, d]
//            %s = outer_sum %ak, %bv    : [B, h, d, d]     (Σ_j (a⊙k)_j (b⊙v)_jᵀ)
//
// It matches any product tree of outer products and scalars, in any order and grouping, through
// let bindings (which are just references in the IR), reduced (sum or mean) over the token axis
// just before the two outer axes. A single outer product (plain linear attention) is the
// one-factor case. A factor that is not an outer product stops the rewrite, with a warning
// giving the memory the materialised gate takes.
import { diag, messages } from '../../dsl/messages.js';
import type { Diagnostic } from '../../dsl/span.js';
import { dimEquals, formatDim, formatShape } from '../../runtime/shape.js';
import { broadcast } from '../shapes.js';
import type { Graph, Id, Node, NodeOf } from '../ir.js';
import type { Pass, Rewrite } from './pass.js';
import { rebuild, type Builder } from './rewrite.js';

type Factor = { readonly kind: 'outer'; readonly u: Id; readonly w: Id } | { readonly kind: 'scalar'; readonly id: Id } | { readonly kind: 'other'; readonly id: Id };

/** The factors of a product tree of `mul` nodes. */
function factors(g: Graph, id: Id): Factor[] {
  const n = g.nodes[id];
  if (n.op === 'binary' && n.fn === 'mul') return [...factors(g, n.a), ...factors(g, n.b)];
  if (n.op === 'outer') return [{ kind: 'outer', u: n.a, w: n.b }];
  if (n.shape.length === 0) return [{ kind: 'scalar', id }];
  return [{ kind: 'other', id }];
}

/** The reduction is over the token axis of an outer product: the axis right before [m, n]. */
function isTokenReduction(n: Node): n is NodeOf<'reduce'> & { kind: 'sum' | 'mean' } {
  return n.op === 'reduce' && (n.kind === 'sum' || n.kind === 'mean') && !n.keep && n.axis === n.shape.length - 2 && n.axis >= 0;
}

export const hadamardDecompose: Pass = {
  name: 'hadamard-decompose',
  summary: 'Σ_j (a_j b_jᵀ) ⊙ (k_j v_jᵀ) → Σ_j (a⊙k)_j (b⊙v)_jᵀ: no N×d×d tensor',
  run(graph) {
    const rewrites: Rewrite[] = [];
    const diagnostics: Diagnostic[] = [];
    const result = rebuild(graph, (n, b) => {
      if (!isTokenReduction(n)) return undefined;
      const x = graph.nodes[n.x];
      const fs = factors(graph, n.x);
      const outers = fs.flatMap((f) => (f.kind === 'outer' ? [f] : []));
      const others = fs.flatMap((f) => (f.kind === 'other' ? [f] : []));
      if (outers.length === 0) return undefined;
      if (others.length > 0) {
        for (const o of others) diagnostics.push(gateWarning(graph, o.id));
        return undefined;
      }
      // Scalars ride on the left side. Nodes emitted before a bail-out below are dead code.
      const u = product(b, fs.flatMap((f) => (f.kind === 'outer' ? [f.u] : f.kind === 'scalar' ? [f.id] : [])), n);
      const w = product(b, outers.map((f) => f.w), n);
      if (u === undefined || w === undefined) return undefined;
      // Both sides must run over the tokens (not broadcast along them) for the sum to contract them.
      const tokens = x.shape[n.axis];
      const tokenDim = (id: Id) => b.node(id).shape.at(-2);
      const [du, dw] = [tokenDim(u), tokenDim(w)];
      if (!du || !dw || !dimEquals(du, tokens) || !dimEquals(dw, tokens)) return undefined;
      const id = b.emit({ op: 'outer_reduce', kind: n.kind, a: u, b: w, shape: n.shape, span: n.span, ...(n.name ? { name: n.name } : {}) });
      const fmt = (id: Id) => formatShape(b.node(id).shape, graph.dimAliases);
      rewrites.push({
        pass: 'hadamard-decompose',
        span: n.span,
        message:
          `${n.kind} over ${formatDim(tokens, graph.dimAliases)} of ${outers.length === 1 ? 'an outer product' : `a product of ${outers.length} outer products`} ` +
          `${formatShape(x.shape, graph.dimAliases)} → outer_${n.kind} of ${fmt(u)} and ${fmt(w)}`,
      });
      return id;
    });
    return { graph: result, rewrites, diagnostics };
  },
};

/** `ids[0] * ids[1] * ...` in the new graph, or undefined where the shapes don't broadcast. */
function product(b: Builder, ids: readonly Id[], at: Node): Id | undefined {
  let acc = b.map(ids[0]);
  for (const old of ids.slice(1)) {
    const id = b.map(old);
    const shape = broadcast(b.node(acc).shape, b.node(id).shape, 'multiply');
    if (!shape.ok) return undefined;
    acc = b.emit({ op: 'binary', fn: 'mul', a: acc, b: id, shape: shape.shape, span: at.span });
  }
  return acc;
}

function gateWarning(graph: Graph, id: Id): Diagnostic {
  const n = graph.nodes[id];
  const shape = formatShape(n.shape, graph.dimAliases);
  const size = n.shape.map((d) => formatDim(d, graph.dimAliases)).join('·');
  return diag(messages.gateNotFactored, n.span, [n.name ?? `%${id}`, shape, `4·${size} bytes`]);
}
