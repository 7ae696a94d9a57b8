// Kernels for values that read inline (fused) operands: each operand is read through its
// loader, so the elementwise work feeding a matmul, a reduction or another elementwise op runs
// at load time inside that kernel (see loaders.ts and compiler/passes/fuse-elementwise.ts).
import { type Graph, type Id, type Node, type NodeOf } from '../../compiler/ir.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { lit, type Dim } from '../../runtime/shape.js';
import { WORKGROUP } from './elementwise.js';
import { Loaders } from './loaders.js';
import { chainRowSum, matmulKernel, rowSum, type Chain, type Epilogue, type MatmulChoices, type MatmulSpec, type MatmulTile } from './matmul.js';
import { coordinates, linearIndex, printKernel, Uniforms } from './print.js';
import { partialSumsKernel, reduceKernel, type PartialSum } from './reduce.js';
import { kvProjectedKernel, type KvSide } from './kv-projected.js';
import { epilogueChain, kvSide } from '../../compiler/passes/fuse-kv-projections.js';

export interface FusedContext {
  readonly graph: Graph;
  /** The buffer of a value that is not inline. */
  readonly bufferOf: (id: Id) => string;
  /** A value's name for generated identifiers. */
  readonly label: (id: Id) => string;
  readonly header: (n: Node) => string[];
  /** Allocates a scratch buffer (the reduction's partial sums). */
  readonly scratch: (n: Node, shape: readonly Dim[]) => string;
  /** Allocates the buffer of a value this kernel computes besides its own (a hosted reduction). */
  readonly allocate: (n: Node) => string;
  /** Output tile of the plain matmul kernel with this name. */
  readonly tileOf: (kernel: string, shape: readonly Dim[]) => MatmulTile;
  /** The tile tuning chose for this kernel, or the options gave every matmul; else undefined. */
  readonly chosenTile: (kernel: string) => MatmulTile | undefined;
  /** Token ranges of the KV reduction whose first kernel has this name. */
  readonly splitsOf: (kernel: string, n: Node) => number;
  /**
   * The kernels of matmul kernel `kernel` computing `n` into `out` over `k`, built by
   * `make(name, write, splits)`: split over k (partial products, then their sum) at known sizes
   * when the grid is small, else the one kernel.
   */
  readonly withKSplits: (n: Node, kernel: string, out: string, k: Dim, make: (name: string, write: string, splits: number) => KernelSpec) => KernelSpec[];
  /** The value matmul `id`'s kernel writes instead of its product (fuse-epilogue), where codegen keeps it. */
  readonly epilogueOf: (id: Id) => Node | undefined;
  /** CodegenOptions.unrollHeads. */
  readonly unrollHeads: boolean;
  /** This matmul's code choices: the slab schedule, depth and threads tuning chose, what is known of sizes; a KV reduction's token ranges. */
  readonly choices: (kernel: string) => MatmulChoices & { readonly ranges?: 'whole' | 'even' };
}

/**
 * The tile of a kernel computing joint products (an accumulator set each): 64x64 unless tuned or
 * given, never 128x128 (its weight slabs would pass the 16 KiB of workgroup memory every adapter has).
 */
export const jointTile = (chosen: MatmulTile | undefined): MatmulTile => (chosen === 128 ? '128x64' : (chosen ?? 64));

/** The kernels computing `n` into buffer `out`, reading inline operands through loaders. */
export function fusedKernels(ctx: FusedContext, n: Node, out: string): KernelSpec[] {
  const u = new Uniforms();
  const L = new Loaders(ctx.graph, u, ctx.bufferOf, ctx.label);
  const shapeOf = (id: Id) => ctx.graph.nodes[id].shape;
  const operand = (id: Id) => {
    const node = ctx.graph.nodes[id];
    return node.inline ? { id: ctx.label(id), shape: node.shape, load: (c: readonly string[]) => L.load(id, c) } : { id: ctx.bufferOf(id), shape: node.shape };
  };
  const loaders = { helpers: L.helpers, reads: L.reads };
  // A reduction of the left operand computed alongside (see fuse-row-reductions).
  const hosted = ctx.graph.nodes.find((r): r is NodeOf<'reduce'> => r.op === 'reduce' && r.host === n.id);
  const header = hosted ? [...ctx.header(n), ...ctx.header(hosted)] : ctx.header(n);
  switch (n.op) {
    case 'matmul': {
      const rows = hosted ? hostedRows(ctx, L, n, hosted) : undefined;
      // The value written instead of the product (fuse-epilogue), computed from the accumulators.
      const ep = ctx.epilogueOf(n.id);
      // A matmul whose left operand's product it computes first (chain-matmuls).
      const first = ctx.graph.nodes.find((m): m is NodeOf<'matmul'> => m.op === 'matmul' && m.chainedInto === n.id);
      if (first) {
        const kernel = chainedName(ctx.label, first, out);
        const tile = ctx.tileOf(kernel, first.shape);
        const split = epilogueChain(ctx.graph, n.a, [first.id]).find((c): c is NodeOf<'split_heads'> => c.op === 'split_heads') ?? bug(`%${first.id} is chained into %${n.id} without a head split`);
        if (hosted) L.override(hosted.id, (c) => chainRowSum(c[c.length - 2], tile));
        const chain: Chain = {
          heads: split.heads,
          value: (c, acc) => L.epilogue([first.id], n.a, c, [acc]),
          b: { id: ctx.bufferOf(n.b), shape: shapeOf(n.b) },
          shape: n.shape,
          ...(rows ? { rows } : {}),
          ...(ep ? { epilogue: { value: (c, accs) => L.epilogue([n.id], ep.op === 'merge_heads' ? ep.x : ep.id, c, accs), view: ep.op === 'merge_heads' ? 'merge_heads' : 'none' } } : {}),
        };
        const head = [...ctx.header(first), ...header, ...(ep ? ctx.header(ep) : [])];
        return [matmulKernel({ name: kernel, header: head, a: operand(first.a), b: operand(first.b), shape: first.shape, loaders, uniforms: u, tile, write: out, chain, ...ctx.choices(kernel) })];
      }
      const kernel = `matmul_${out}`;
      // Matmuls of the same operand whose products the epilogue combines (their group).
      const joint = ep ? ctx.graph.nodes.filter((m): m is NodeOf<'matmul'> => m.op === 'matmul' && m.group === n.id && m.id !== n.id) : [];
      // A sum over heads runs one workgroup per tile of the summed output: its grid, not the
      // product's, picks the tile.
      const tile = joint.length ? jointTile(ctx.chosenTile(kernel)) : ctx.tileOf(kernel, ep?.op === 'reduce' ? ep.shape : n.shape);
      let epilogue: Epilogue | undefined;
      if (ep) {
        const sources = [n.id, ...joint.map((m) => m.id)];
        // A head split between the products and the value (at most one, fuse-epilogue): the
        // value is computed at its own coordinates; a head merge at the end is a write index.
        const split = epilogueChain(ctx.graph, ep.id, sources).find((c): c is NodeOf<'split_heads'> => c.op === 'split_heads');
        const last = ep.op === 'merge_heads' || ep.op === 'reduce' ? ep.x : ep.id;
        if (hosted) L.override(hosted.id, (c) => rowSum(c[c.length - 2], tile));
        epilogue = {
          value: (c, accs) => L.epilogue(sources, last, c, accs),
          view: ep.op === 'merge_heads' ? 'merge_heads' : ep.op === 'reduce' ? 'sum_heads' : split ? { splitHeads: split.heads } : 'none',
        };
      }
      const head = ep ? [...header, ...joint.flatMap((m) => ctx.header(m)), ...ctx.header(ep)] : header;
      const spec = { header: head, a: operand(n.a), b: operand(n.b), shape: n.shape, loaders, uniforms: u, tile, ...(epilogue ? { epilogue, unrollHeads: ctx.unrollHeads } : {}), ...(joint.length ? { joint: joint.map((m) => ctx.bufferOf(m.b)) } : {}) };
      // A hosted row reduction or an epilogue would need partials of their own: such kernels keep k whole.
      if (rows || epilogue) return [matmulKernel({ ...spec, name: kernel, write: out, ...(rows ? { rows } : {}), ...ctx.choices(kernel) })];
      return ctx.withKSplits(n, kernel, out, shapeOf(n.a)[shapeOf(n.a).length - 1], (name, write, splits) => matmulKernel({ ...spec, name, write, splits, ...ctx.choices(kernel) }));
    }
    case 'reduce':
      return [reduceKernel({ name: `${n.kind}_${out}`, header: ctx.header(n), kind: n.kind, x: operand(n.x), axis: n.axis, write: out, loaders, uniforms: u })];
    case 'outer_reduce': {
      if (ctx.graph.nodes[n.a].reducedIn === n.id) return kvProjectedKernels(ctx, n, out, hosted, L, u);
      // Stage 1 reads the gated operands (computed at load time) and writes one partial state
      // per token range; stage 2 adds the partials (see OUTER_REDUCE_SPLITS).
      const kernel = `outer_${n.kind}_${out}_partial`;
      const splits = ctx.splitsOf(kernel, n);
      const partialShape = [lit(splits), ...n.shape];
      const partial = ctx.scratch(n, partialShape);
      const a = shapeOf(n.a);
      const tokens = a[a.length - 2];
      const sums: PartialSum[] = [{ x: partial, shape: partialShape, write: out, ...meanOver(n, tokens) }];
      let rows;
      if (hosted) {
        // The hosted sum over tokens gets partials per token range too, added up by the same
        // kernel as the state's (it has fewer elements: d against d²).
        const rOut = ctx.allocate(hosted);
        const rShape = [lit(splits), ...hosted.shape];
        const rPartial = ctx.scratch(hosted, rShape);
        rows = { write: rPartial };
        sums.push({ x: rPartial, shape: rShape, write: rOut, ...meanOver(hosted, tokens) });
      }
      // Four adjacent channels of a computed operand in one read of each buffer, where the sizes
      // make its rows multiples of 4: the 1280² stage-1 core at batch 8 0.604 -> 0.558 ms on the
      // H200 (a hand-edited kernel, bench/results/core-kv-edits3-*).
      const choices = ctx.choices(kernel);
      // The matmul reads a plain operand's buffer as f32s itself: such a buffer stays f32.
      const plain = [n.a, n.b].filter((id) => !ctx.graph.nodes[id].inline).map((id) => ctx.bufferOf(id));
      const vectored = (id: Id) => {
        const plan = ctx.graph.nodes[id].inline ? L.vectorPlan(id) : null;
        if (!plan || plan.buffers.some((b) => plain.includes(b)) || !choices.vec4Rows?.(kernel, plan.widths)) return operand(id);
        L.useVec4(plan.buffers);
        return { ...operand(id), load4: (c: readonly string[]) => L.load4(id, c) };
      };
      const [a4, b4] = [vectored(n.a), vectored(n.b)];
      return [
        matmulKernel({ name: kernel, header, a: a4, b: b4, write: partial, shape: n.shape, transposeA: true, splits, loaders: { ...loaders, vec4: L.vec4 }, uniforms: u, ...(rows ? { rows } : {}), ...choices }),
        partialSumsKernel({ name: `outer_${n.kind}_${out}`, header, parts: sums }),
      ];
    }
    default:
      return [elementwise(ctx, n, out, u, L)];
  }
}

/** Matmul `n`'s hosted row reduction (fuse-row-reductions): `Σ_k a[row, k] · w(k)` into its buffer. */
function hostedRows(ctx: FusedContext, L: Loaders, n: NodeOf<'matmul'>, hosted: NodeOf<'reduce'>): NonNullable<MatmulSpec['rows']> {
  const x = ctx.graph.nodes[hosted.x] as NodeOf<'binary'>;
  const w = x.a === n.a ? x.b : x.a;
  const a = ctx.graph.nodes[n.a].shape;
  return { write: ctx.allocate(hosted), weight: { shape: ctx.graph.nodes[w].shape, load: (c: readonly string[]) => L.load(w, c) }, ...(hosted.kind === 'mean' ? { divideBy: a[a.length - 1] } : {}) };
}

/** The kernel computing matmul `first` and the matmul it is chained into, which writes `out`. */
export const chainedName = (label: (id: Id) => string, first: Node, out: string) => `matmul_${label(first.id)}_${out}`;

/**
 * The KV reduction `n` with the projection groups of both operands inside (fuse-kv-projections):
 * one kernel writes the partial states (and the hosted token sum's), a second adds them up.
 */
function kvProjectedKernels(ctx: FusedContext, n: NodeOf<'outer_reduce'>, out: string, hosted: NodeOf<'reduce'> | undefined, L: Loaders, u: Uniforms): KernelSpec[] {
  const g = ctx.graph;
  const kernel = `outer_${n.kind}_${out}_projected`;
  const splits = ctx.splitsOf(kernel, n);
  // The operands as fuse-kv-projections found them: a plain projection or a group's epilogue value.
  const sideOf = (id: Id): { side: KvSide; members: readonly NodeOf<'matmul'>[]; heads?: number } => {
    const { value, members, chain } = kvSide(g, id) ?? bug(`%${id} is marked reduced in %${n.id} but is no projection`);
    const sources = members.map((m) => m.id);
    const split = chain.find((c): c is NodeOf<'split_heads'> => c.op === 'split_heads');
    const w = g.nodes[members[0].b].shape;
    return {
      members,
      ...(split ? { heads: split.heads } : {}),
      side: { weights: members.map((m) => ctx.bufferOf(m.b)), columns: w[w.length - 1], value: (c, accs) => (value.op === 'matmul' ? accs[0] : L.epilogue(sources, id, c, accs)) },
    };
  };
  const a = sideOf(n.a);
  const b = sideOf(n.b);
  const x = g.nodes[a.members[0].a];
  const tokens = g.nodes[n.a].shape[g.nodes[n.a].shape.length - 2];
  // One token range (few tokens, sizes known): the kernel writes S and z, no partials to add.
  // H200, 224², stage 4, batch 8: one kernel fewer and 1.05 MB less (see docs/benchmarks-log.md).
  const one = splits === 1;
  const partial = one ? out : ctx.scratch(n, [lit(splits), ...n.shape]);
  const zOut = hosted ? ctx.allocate(hosted) : undefined;
  const zPartial = hosted ? (one ? zOut : ctx.scratch(hosted, [lit(splits), ...hosted.shape])) : undefined;
  const header = [...ctx.header(n), ...(hosted ? ctx.header(hosted) : []), ...[...a.members, ...b.members].flatMap((m) => ctx.header(m)), ...ctx.header(g.nodes[n.a]), ...ctx.header(g.nodes[n.b])];
  const { schedule, vec4Rows, ranges } = ctx.choices(kernel);
  // A mean divides its token sum by N: in the sums kernel, or with one range in the kernel itself.
  const sums: PartialSum[] = [{ x: partial, shape: [lit(splits), ...n.shape], write: out, ...meanOver(n, tokens) }];
  if (hosted) sums.push({ x: zPartial!, shape: [lit(splits), ...hosted.shape], write: zOut!, ...meanOver(hosted, tokens) });
  return [
    kvProjectedKernel({
      name: kernel,
      header,
      x: { id: ctx.bufferOf(x.id), shape: x.shape },
      a: a.side,
      b: b.side,
      shape: n.shape,
      ...(a.heads ? { heads: a.heads } : {}),
      splits,
      ...(schedule ? { schedule } : {}),
      ...(ranges ? { ranges } : {}),
      write: partial,
      ...(zPartial ? { z: zPartial } : {}),
      ...(one ? { divideBy: { s: sums[0].divideBy, z: sums[1]?.divideBy } } : {}),
      loaders: { helpers: L.helpers, reads: L.reads },
      uniforms: u,
      vec4Weights: vec4Rows?.(kernel, [a.side.columns, b.side.columns, ...n.shape.slice(-2)]) ?? false,
    }),
    ...(one ? [] : [partialSumsKernel({ name: `outer_${n.kind}_${out}`, header: ctx.header(n), parts: sums })]),
  ];
}

/** A token reduction's divisor where it is a mean (its sum over `tokens` divided by them). */
export function meanOver(r: { readonly kind: string }, tokens: Dim): { divideBy?: Dim } {
  return r.kind === 'mean' ? { divideBy: tokens } : {};
}

/** One invocation per element of `n`, computing it from its operands' loaders. */
function elementwise(ctx: FusedContext, n: Node, out: string, u: Uniforms, L: Loaders): KernelSpec {
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.slot(n.shape)}) { return; }`];
  const c = coordinates(n.shape, 'i', u, body, 'e');
  body.push(`$(${out})[i] = ${L.compute(n.id, c)};`);
  const wgsl = printKernel({ header: ctx.header(n), reads: L.reads, write: out, uniformSlots: u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: L.helpers, body });
  const what = n.op === 'unary' || n.op === 'binary' ? n.fn : n.op;
  return { name: `${what}_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: WORKGROUP, dispatch: { kind: 'linear', count: n.shape } };
}

function bug(message: string): never {
  throw new Error(`codegen: ${message}`);
}
