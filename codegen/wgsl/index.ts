// IR graph -> Plan: one WGSL kernel per computing node (no fusion yet), buffers named after the
// DSL's values. Kernels depend only on the op and the ranks; sizes travel as uniform SizeExprs.
import { scheduleKernels } from '../../runtime/memory-plan.js';
import { operands, patchRows, type ByOp, type Graph, type Id, type Node, type NodeOf } from '../../compiler/ir.js';
import { chainedName, fusedKernels, jointTile, meanOver, type FusedContext } from './fused.js';
import { keepsHeads } from '../../compiler/passes/chain-matmuls.js';
import { describeScan } from '../../compiler/print.js';
import type { TensorSpec } from '../../runtime/bind.js';
import type { BufferSpec, KernelSpec, Plan, TokenReduction } from '../../runtime/plan.js';
import { tokenChunks } from '../../compiler/token-chunks.js';
import { dim, evalDim, evalShape, formatDim, formatShape, isLiteral, lit, numel, type Dim, type SizeExpr } from '../../runtime/shape.js';
import { broadcastStrides, contiguousStrides, elementwiseKernel, type Operand } from './elementwise.js';
import { binaryExpr, unaryExpr } from './functions.js';
import { matmulKernel, tileSides, type MatmulChoices, type MatmulThreads, type MatmulTile, type MatmulSchedule } from './matmul.js';
import { location } from './origin.js';
import { toF16Storage } from './precision.js';
import { reduceKernel } from './reduce.js';
import { scanKernels, type ScanContext } from './scan.js';
import { attentionKernel } from './attention.js';
import { dwconvKernel, patchesKernel } from './conv.js';

export type { Plan } from '../../runtime/plan.js';

/**
 * Output tile of the matmul kernels: 128 rows by 64 columns, 8x4 outputs per thread. On the H200
 * (bench/matmul.ts) 4-12% faster than 64x64 at every PVT-T projection shape; 128x128 is faster
 * only on wide square matrices (30.8 vs 28.0 TFLOP/s at 2048³) and wastes columns at C = 64, 320.
 */
export const DEFAULT_TILE: MatmulTile = '128x64';

/**
 * At known sizes, a matmul whose DEFAULT_TILE grid has fewer workgroups than this gets 64x64
 * tiles (twice the workgroups): on the H200 at 1280², stage 4, batch 1 (104 workgroups) x @ w_q
 * 0.073 -> 0.058 ms and the output projection 0.073 -> 0.063 ms (`sagac tune`).
 */
export const SMALL_GRID = 128;

/**
 * At known sizes, a matmul of plain buffers whose k is at most this gets 64x64 tiles: four slabs
 * a tile, where the taller tile's per-tile costs weigh more. H200, stage 1 (C = 64), x @ w_q and
 * the output projection: block 512² B8 0.51 -> 0.49 ms, 1024² B1 0.34 -> 0.32, 1024² B8 1.54 ->
 * 1.50, 1280² B8 2.28 -> 2.24 (twice each, interleaved); q @ s (hosted den) kept 128x64 in
 * `sagac tune` there.
 */
export const SHORT_K = 64;

/**
 * Ranges of k for a matmul kernel of `workgroups` workgroups (tiles times parts), when the sizes
 * are known: doubled while there are fewer than 64 workgroups and each range keeps at least 128
 * of the `k`; a second kernel adds the partial products. Measured on the H200 (docs/benchmarks-log.md):
 * 224², stage 4, batch 1 (8 workgroups a projection) 0.29 -> 0.18 ms for the block; at 1280²,
 * stage 4, batch 1 (104 and 208 workgroups) splitting to 512 made the block 0.38 -> 0.46 ms,
 * the partial kernels no faster than the whole ones: those grids are not what limits them.
 */
export function kSplitsFor(workgroups: number, k: number): number {
  let splits = 1;
  while (workgroups * splits < 64 && k / (splits * 2) >= 128) splits *= 2;
  return splits;
}

/** Token ranges of the KV reduction: enough workgroups to fill a GPU at d = 64, few partials to add. */
export const OUTER_REDUCE_SPLITS = 32;

const mangle = (s: string) => {
  const m = s.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(m) ? m : `t${m}`;
};

/**
 * Compiles a graph to a Plan the WebGPU executor runs. Deterministic: the same graph gives
 * byte-identical WGSL.
 * @example
 *   const plan = generatePlan(compileSource(src, 'saga.saga').graphs[0]);
 *   for (const k of plan.kernels) console.log(k.name, k.dispatch.kind);
 */
/** Parameters of one kernel that tuning may choose (codegen/wgsl/tuning.ts). */
export interface KernelParams {
  /** Output tile of a matmul kernel. */
  readonly tile?: MatmulTile;
  /** Token ranges of a KV reduction (its `_partial` kernel). */
  readonly splits?: number;
  /**
   * Ranges of k of a matmul whose product is stored as computed (no epilogue or hosted reduction):
   * a partial product per range, added by a second kernel. Default kSplitsFor at known sizes, else 1.
   */
  readonly kSplits?: number;
  /**
   * When a matmul or a KV reduction with projections inside loads its next slab: `pipelined` into
   * registers before multiplying this one, `simple` after the barrier, holding fewer registers.
   * Default: pipelined for 64 tiles and the projected KV kernel, simple for taller matmul tiles.
   */
  readonly schedule?: MatmulSchedule;
  /** k-rows of a matmul's slabs in workgroup memory per step: 16 (default) or 32. */
  readonly slab?: 16 | 32;
  /** Threads per side of a matmul's workgroup: 16 (default) or 8 (8x8 outputs a thread; 64 tiles only). */
  readonly threads?: MatmulThreads;
  /** How a KV reduction with projections inside shares its steps among its token ranges (KvProjectedSpec.ranges). */
  readonly ranges?: 'whole' | 'even';
}

/** Kernel parameters: the documented defaults unless a tuning run chose others. */
export interface CodegenOptions {
  /** Output tile of the matmul kernels (not the KV reduction, whose d×d state fits 64). Default DEFAULT_TILE. */
  readonly matmulTile?: MatmulTile;
  /** Token ranges of every KV reduction. Default OUTER_REDUCE_SPLITS. */
  readonly splits?: number;
  /** Per kernel name, overriding the two above (from `sagac tune`). */
  readonly tuning?: Readonly<Record<string, KernelParams>>;
  /**
   * The sizes the plan will run at, when known (run, demo, bench): then a KV reduction without a
   * tuned or given split count gets one that fills the GPU (splitsFor), a matmul whose output
   * rows are a multiple of 4 floats writes them as vec4s, and a KV reduction reads its computed
   * operands as vec4s where their rows are. The plan runs at any sizes that keep
   * those row widths multiples of 4 (it lists them in `requires`; the executor refuses others
   * with an error naming the kernel); the rest of the choices only affect its speed. Some of the
   * block's dims (`sagac build --dim C=64`): only the row widths they settle are read as vec4s;
   * tiles and splits keep the defaults.
   */
  readonly dims?: ReadonlyMap<string, number>;
  /** Tensor storage: f32 (default) or f16 (arithmetic stays f32; needs the adapter's shader-f16). */
  readonly precision?: 'f32' | 'f16';
  /**
   * Compute the projections feeding a KV reduction inside its kernel where fuse-kv-projections
   * marked them (default true): the gated keys and values are never stored. False stores them
   * and reduces them after, in kernels that bind at most 8 storage buffers (the fused one binds 9).
   */
  readonly kvProjections?: boolean;
  /**
   * Write a matmul chained into another (chain-matmuls) into that one's kernel where the sizes
   * allow (default true). False stores the first product and reads it back, as before the pass.
   */
  readonly chainMatmuls?: boolean;
  /**
   * Write a matmul that sums over a known number of heads (fold-output-projection) head by head
   * instead of as a loop (default false). SwiftShader (Chrome's fallback adapter) had not compiled
   * the tile's k loop nested in a head loop after 90 s, and compiles it unrolled (2 heads) in 3 s;
   * on the H200 the loop is 1-3% faster (block at 512² and 1280², stage 2).
   */
  readonly unrollHeads?: boolean;
}

/**
 * Token ranges for a KV reduction whose other axes give `workgroups` workgroups per range: about
 * 512 workgroups in all (four per SM on a 132-SM H100), between 8 and 256. Measured on the H100
 * (docs/tuning.md): 128 at batch 1 and one head (1.58x faster than 32), 8 at batch 8 and 8 heads;
 * on the H200 256 at batch 1 and one head (0.548 -> 0.520 ms for the block at N = 102,400).
 * Never ranges of fewer than 128 of the `tokens`: each range writes a d×d partial state, and at
 * N = 784 128 ranges made the partials 10x the size of the block's input.
 */
export function splitsFor(workgroups: number, tokens = Infinity): number {
  const fill = Math.min(256, Math.max(8, 2 ** Math.ceil(Math.log2(512 / Math.max(1, workgroups)))));
  return Math.min(fill, 2 ** Math.floor(Math.log2(Math.max(1, tokens / 128))));
}

/**
 * Token ranges for a KV reduction that computes its projections inside (kv-projected.ts), whose
 * other axes give `workgroups` workgroups per range: about 1024 workgroups in all, or 128 where a
 * range has at most 16 (few heads or batch elements), between 8 and 256, ranges of at least 64
 * tokens (one step). Each range's workgroups project as well as reduce, so more and shorter ranges
 * fill the GPU better than splitsFor's. H200, block at 1280² (ms): stage 4 batch 1 16 ranges 0.257
 * (8: 0.400), stage 3 batch 8 32 ranges 2.29 (16: 2.42), stage 2 batch 8 64 ranges 1.76 (32:
 * 1.81). The kernel holds one workgroup a multiprocessor, so its time steps with every wave (132
 * workgroups on an H100 or H200): where the grid is small, one wave of 128 long ranges beats
 * several of short ones (stage 2 batch 1 64 ranges 0.150 ms for the kernel, 256: 0.184; stage 1
 * batch 8 16 ranges 1.07, 128: 1.14), and where it is large the rule of 1024 stays (stage 3
 * batch 8: 3 ranges, 120 workgroups, 3% slower). docs/benchmarks-log.md, eighteenth session.
 */
export function projectedSplitsFor(workgroups: number, tokens = Infinity): number {
  const w = Math.max(1, workgroups);
  // At most 128 workgroups, not a power of 2 above: 5 heads take 25 ranges (125 workgroups), as
  // 32 would spill 160 into a second wave where the ranges are short (1024², stage 3 batch 1).
  const fill = w <= 16 ? Math.floor(128 / w) : Math.min(256, Math.max(8, 2 ** Math.ceil(Math.log2(1024 / w))));
  return Math.max(1, Math.min(fill, 2 ** Math.floor(Math.log2(Math.max(1, tokens / 64)))));
}

/** Of `dims`, the sizes `graph` is sized by, as generatePlan's `dims` (none: `{}`): `sagac build --dim`. */
export function sizedFor(graph: Graph, dims: ReadonlyMap<string, number> | undefined): { dims?: ReadonlyMap<string, number> } {
  const own = new Map([...(dims ?? [])].filter(([s]) => graph.symbols.includes(s)));
  return own.size ? { dims: own } : {};
}

export function generatePlan(marked: Graph, options: CodegenOptions = {}): Plan {
  const input = options.kvProjections === false ? withoutKvProjections(marked) : marked;
  // Grid-size choices (tiles, splits) need every size; row widths need only theirs.
  const sized = options.dims && marked.symbols.every((s) => options.dims!.has(s)) ? options.dims : undefined;
  /** Workgroups of a matmul computing `shape` ([..., m, n]) with `parts` results, in tiles of `tile`, at the known sizes. */
  const gridOf = (tile: MatmulTile, shape: readonly Dim[], parts: number, dims: ReadonlyMap<string, number>) => {
    const [rows, cols] = tileSides(tile);
    const s = evalShape(shape, dims);
    const [m, n] = s.slice(-2);
    return numel(s.slice(0, -2)) * Math.ceil(m / rows) * Math.ceil(n / cols) * parts;
  };
  /**
   * The tile of matmul kernel `kernel`: tuned, given, at known sizes 64 for a small grid or (a
   * matmul of plain buffers, its `k` given) a short k, else DEFAULT_TILE.
   */
  const chosenTile = (kernel: string) => {
    const t = options.tuning?.[kernel];
    // Eight threads a side take 8x8 outputs each: a 64x64 tile.
    return t?.tile ?? (t?.threads === 8 ? 64 : options.matmulTile);
  };
  const tileOf = (kernel: string, shape: readonly Dim[], parts = 1, k?: Dim): MatmulTile => {
    const chosen = chosenTile(kernel);
    if (chosen !== undefined) return chosen;
    if (sized && k && evalShape([k], sized)[0] <= SHORT_K) return 64;
    return sized && gridOf(DEFAULT_TILE, shape, parts, sized) < SMALL_GRID ? 64 : DEFAULT_TILE;
  };
  // At known sizes, an epilogue whose matmul would split k (a grid under 64 workgroups, kSplitsFor)
  // is left out: the products are stored and split, the value is computed as it was before
  // fuse-epilogue (by its readers if it was inline). H200, 224², stage 4, batch 1: the joint
  // projections unsplit made the block 0.158 -> 0.204 ms. Leaving out joint epilogues on grids
  // under 128 workgroups as well was slower where k would not split (bench/results/joint-fallback-*).
  const splitAnyway = (lead: Node) => {
    // A group computed inside a KV reduction (fuse-kv-projections) never splits k.
    if (!sized || lead.op !== 'matmul' || lead.reducedIn !== undefined || input.nodes.some((r) => r.host === lead.id)) return false;
    const joint = input.nodes.some((m) => m.group === lead.id && m.id !== lead.id);
    const a = evalShape(input.nodes[lead.a].shape, sized);
    return kSplitsFor(gridOf(joint ? jointTile(options.matmulTile) : tileOf('', lead.shape), lead.shape, 1, sized), a[a.length - 1]) > 1;
  };
  const settled = settleEpilogues(input, (lead) => !splitAnyway(input.nodes[lead]));
  /** A value's name for generated identifiers (settling marks never renames a node). */
  const label = (id: Id) => mangle(input.nodes[id].name ?? `t${id}`);
  // Widths of rows read or written as vec4s because of the sizes given: the plan requires them.
  const fours: { size: Dim; what: string; hint: string }[] = [];
  /** A size the given dims settle, else NaN. */
  const known = (d: Dim) => (d.sym === null || options.dims?.has(d.sym) ? evalDim(d, options.dims ?? new Map()) : NaN);
  const vec4Rows = (kernel: string, widths: readonly Dim[]) => {
    // f16 storage keeps scalar stores: its rewrite (precision.ts) reads and writes f16 scalars.
    if (options.precision === 'f16') return false;
    if (!widths.every((d) => known(d) % 4 === 0)) return false;
    for (const d of widths) {
      if (isLiteral(d)) continue;
      fours.push({ size: dim(d.sym, d.num, d.den * 4), what: `kernel ${kernel} reads or writes rows of ${formatDim(d)} floats four at a time (the plan was made for sizes where ${formatDim(d)} is a multiple of 4)`, hint: 'make the plan for these sizes (CodegenOptions.dims), or without sizes' });
    }
    return true;
  };
  // Sizes a chained kernel was made for exactly (a head its tile's width): the plan requires them.
  const exact: { size: Dim; equals: number; what: string; hint: string }[] = [];
  /**
   * Whether matmul `first` chained into `second` (chain-matmuls) is written as one kernel: at sizes
   * that make a head of the first product its tile's width and the second product as wide, its k
   * whole, rows written as vec4s. Elsewhere the first product is stored as before.
   */
  const chainFits = (g: Graph, first: NodeOf<'matmul'>, second: NodeOf<'matmul'>): boolean => {
    if (!options.dims || options.precision === 'f16' || options.chainMatmuls === false || !keepsHeads(g, second)) return false;
    const head = g.nodes[second.a].shape[g.nodes[second.a].shape.length - 1];
    const width = second.shape[second.shape.length - 1];
    const ep = g.nodes.find((e) => e.epilogueOf === second.id);
    const kernel = chainedName(label, first, label((ep ?? second).id));
    const tuned = options.tuning?.[kernel];
    if (tuned?.threads !== undefined && tuned.threads !== 16) return false;
    const tile = tileOf(kernel, first.shape);
    const columns = tileSides(tile)[1];
    if (known(head) !== columns || known(width) !== columns) return false;
    const k = g.nodes[first.a].shape[g.nodes[first.a].shape.length - 1];
    const kSplits = tuned?.kSplits ?? (sized ? kSplitsFor(gridOf(tile, first.shape, 1, sized), evalShape([k], sized)[0]) : 1);
    if (kSplits > 1 || !vec4Rows(kernel, [first.shape[first.shape.length - 1]])) return false;
    if (!isLiteral(head)) {
      exact.push({ size: head, equals: columns, what: `kernel ${kernel} multiplies one head of ${formatDim(head)} columns a tile (the plan was made for sizes where ${formatDim(head)} is ${columns})`, hint: 'make the plan for these sizes (CodegenOptions.dims), or without sizes' });
    }
    return true;
  };
  const graph = settleChains(settled, chainFits);
  const choices = (kernel: string): MatmulChoices & { ranges?: 'whole' | 'even' } => {
    const { schedule, slab, threads, ranges } = options.tuning?.[kernel] ?? {};
    return { ...(schedule ? { schedule } : {}), ...(slab ? { slab } : {}), ...(threads ? { threads } : {}), ...(ranges ? { ranges } : {}), vec4Rows };
  };
  const splitsOf = (kernel: string, n: Node) => {
    const given = options.tuning?.[kernel]?.splits ?? options.splits;
    if (given !== undefined || !sized) return given ?? OUTER_REDUCE_SPLITS;
    const rule = n.op === 'outer_reduce' && graph.nodes[n.a].reducedIn === n.id ? projectedSplitsFor : splitsFor;
    return rule(stateWorkgroups(n, sized), reducedTokens(graph.nodes, n, sized));
  };
  const nodes = graph.nodes;
  const taken = new Set<string>(nodes.flatMap((n) => (n.op === 'input' ? [n.name] : [])));
  const fresh = (base: string, id: Id | string) => {
    let name = taken.has(base) ? `${base}_${id}` : base;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  };

  const buffers: BufferSpec[] = [];
  const kernels: KernelSpec[] = [];
  const bufferOf = new Map<Id, string>();
  const addBuffer = (id: string, shape: readonly Dim[], n: Node, what = '') =>
    buffers.push({ id, shape, holds: `${describe(n)}${what}${n.name ? ` (${n.name})` : ''}`, ...(what === '' ? { node: n.id } : {}) });

  const outputNames = new Map<Id, string>();
  for (const o of graph.outputs) if (!outputNames.has(o.value)) outputNames.set(o.value, o.name);
  const header = (n: Node, what = describe(n)) => {
    const role = n.name === undefined ? '' : outputNames.get(n.id) === n.name ? ` output ${n.name}` : ` let ${n.name}`;
    return [`${what} : ${formatShape(n.shape, graph.dimAliases)}   (${location(n.span)}${role})`];
  };

  /** The buffer holding node `id`; a constant gets a one-element buffer the first time one is needed. */
  const need = (id: Id): string => {
    const known = bufferOf.get(id);
    if (known !== undefined) return known;
    const n = nodes[id];
    if (n.op !== 'const') throw new Error(`codegen: %${id} (${n.op}) read before it was computed`);
    const out = fresh(mangle(n.name ?? `c${id}`), id);
    emitConst(n, out, header(n));
    return out;
  };
  const emitConst = (n: NodeOf<'const'>, out: string, head: string[]) => {
    addBuffer(out, [], n);
    bufferOf.set(n.id, out);
    kernels.push(elementwiseKernel({ name: `const_${out}`, header: head, write: out, space: [], operands: [{ kind: 'literal', value: n.value }], expr: ([v]) => ({ text: v, helpers: [] }) }));
  };
  /** Constants are inlined as literals; everything else is read through broadcast strides. */
  const operand = (id: Id, space: readonly Dim[]): Operand => {
    const n = nodes[id];
    if (n.op === 'const' && !bufferOf.has(id)) return { kind: 'literal', value: n.value };
    return { kind: 'buffer', id: need(id), strides: broadcastStrides(n.shape, space) };
  };
  const shapeOf = (id: Id) => nodes[id].shape;

  const emit: ByOp<KernelSpec | null> = {
    input: () => null,
    const: () => null,
    unary: (n) => {
      const out = name(n);
      return elementwiseKernel({ name: `${n.fn}_${out}`, header: header(n), write: out, space: n.shape, operands: [operand(n.x, n.shape)], expr: ([v]) => unaryExpr(n.fn, v) });
    },
    binary: (n) => {
      const out = name(n);
      const b = nodes[n.b];
      return elementwiseKernel({
        name: `${n.fn}_${out}`,
        header: header(n),
        write: out,
        space: n.shape,
        operands: [operand(n.a, n.shape), operand(n.b, n.shape)],
        expr: ([va, vb]) => binaryExpr(n.fn, va, vb, b.op === 'const' ? b.value : undefined),
      });
    },
    matmul: (n) => {
      const out = name(n);
      const kernel = `matmul_${out}`;
      const a = shapeOf(n.a);
      const spec = { header: header(n), a: { id: need(n.a), shape: a }, b: { id: need(n.b), shape: shapeOf(n.b) }, shape: n.shape, tile: tileOf(kernel, n.shape, 1, a[a.length - 1]) };
      const ks = withKSplits(n, kernel, [out], a[a.length - 1], 1, (name, [write], splits) => matmulKernel({ ...spec, name, write, splits, ...choices(kernel) }));
      // A split matmul's partial-products kernel goes first; the last kernel writes the node's buffer.
      kernels.push(...ks.slice(0, -1));
      return ks[ks.length - 1];
    },
    reduce: (n) => {
      const out = name(n);
      return reduceKernel({ name: `${n.kind}_${out}`, header: header(n), kind: n.kind, x: { id: need(n.x), shape: shapeOf(n.x) }, axis: n.axis, write: out });
    },
    outer_reduce: (n) => {
      // Stage 1: SPLITS workgroup ranges of tokens each write a partial state; stage 2 adds them.
      const out = name(n);
      const a = shapeOf(n.a);
      const partial = fresh(`${out}_partial`, n.id);
      const kernel = `outer_${n.kind}_${out}_partial`;
      const splits = splitsOf(kernel, n);
      const partialShape = [lit(splits), ...n.shape];
      addBuffer(partial, partialShape, n, `, partial sums over ${splits} token ranges`);
      kernels.push(matmulKernel({ name: kernel, header: header(n), a: { id: need(n.a), shape: a }, b: { id: need(n.b), shape: shapeOf(n.b) }, write: partial, shape: n.shape, transposeA: true, splits, ...choices(kernel) }));
      return reduceKernel({ name: `outer_${n.kind}_${out}`, header: header(n), kind: 'sum', x: { id: partial, shape: partialShape }, axis: 0, write: out, ...meanOver(n, a[a.length - 2]) });
    },
    outer: (n) => {
      // a read as [..., m, 1] and b as [..., 1, n], broadcast to [..., m, n].
      const one: Dim = { sym: null, num: 1, den: 1 };
      const a = shapeOf(n.a);
      const b = shapeOf(n.b);
      const out = name(n);
      return elementwiseKernel({
        name: `outer_${out}`,
        header: header(n),
        write: out,
        space: n.shape,
        operands: [
          { kind: 'buffer', id: need(n.a), strides: broadcastStrides([...a, one], n.shape) },
          { kind: 'buffer', id: need(n.b), strides: broadcastStrides([...b.slice(0, -1), one, b[b.length - 1]], n.shape) },
        ],
        expr: ([va, vb]) => ({ text: `${va} * ${vb}`, helpers: [] }),
      });
    },
    transpose: (n) => {
      const s = contiguousStrides(shapeOf(n.x));
      const r = s.length;
      return strided(n, n.x, n.shape, [...s.slice(0, -2), s[r - 1], s[r - 2]]);
    },
    split_heads: (n) => {
      // out[..., h, t, j] = x[..., t, h*d + j]
      const x = shapeOf(n.x);
      const s = contiguousStrides(x);
      const r = x.length;
      return strided(n, n.x, n.shape, [...s.slice(0, -2), [n.shape[n.shape.length - 1]], s[r - 2], s[r - 1]]);
    },
    scan: () => null, // emitted by scanKernels, below
    dwconv: () => null, // emitted by dwconvKernel, below
    patches: () => null, // emitted by patchesKernel, below
    attention: () => null, // emitted by attentionKernel, below
    merge_heads: (n) => {
      // Walk the output [..., t, h*d] as [..., t, h, d], reading x[..., h, t, j].
      const x = shapeOf(n.x);
      const s = contiguousStrides(x);
      const r = x.length;
      const space = [...x.slice(0, -3), x[r - 2], x[r - 3], x[r - 1]];
      return strided(n, n.x, space, [...s.slice(0, -3), s[r - 2], s[r - 3], s[r - 1]]);
    },
  };
  const strided = (n: Node, x: Id, space: readonly Dim[], strides: readonly SizeExpr[]): KernelSpec => {
    const out = name(n);
    return elementwiseKernel({ name: `${n.op}_${out}`, header: header(n), write: out, space, operands: [{ kind: 'buffer', id: need(x), strides }], expr: ([v]) => ({ text: v, helpers: [] }) });
  };
  /** Allocates the buffer a computing node writes. */
  const name = (n: Node): string => {
    const out = fresh(mangle(n.name ?? `t${n.id}`), n.id);
    addBuffer(out, n.shape, n);
    bufferOf.set(n.id, out);
    return out;
  };

  /**
   * The kernels of matmul kernel `kernel` computing node `n` (with `parts` results, into `outs`),
   * built by `make(name, writes, splits)`. At known sizes a small grid splits k (kSplitsFor): the
   * matmul writes `[splits, ...shape]` partial products, one buffer per result, and a kernel per
   * result adds them up.
   */
  const withKSplits = (n: Node, kernel: string, outs: readonly string[], k: Dim, parts: number, make: (name: string, writes: readonly string[], splits: number) => KernelSpec): KernelSpec[] => {
    const given = options.tuning?.[kernel]?.kSplits;
    const splits = given ?? (sized ? kSplitsFor(gridOf(tileOf(kernel, n.shape, parts), n.shape, parts, sized), evalShape([k], sized)[0]) : 1);
    if (splits === 1) return [make(kernel, outs, 1)];
    const shape = [lit(splits), ...n.shape];
    const partials = outs.map((out) => {
      const id = fresh(`${out}_partial`, n.id);
      addBuffer(id, shape, n, `, partial products over ${splits} ranges of k`);
      return id;
    });
    return [make(`${kernel}_partial`, partials, splits), ...outs.map((out, i) => reduceKernel({ name: `sum_${out}`, header: header(n), kind: 'sum', x: { id: partials[i], shape }, axis: 0, write: out }))];
  };

  /** The matmuls of the group `leader` leads (group-matmuls), as one kernel. */
  const groupedMatmul = (leader: NodeOf<'matmul'>): KernelSpec[] => {
    const members = nodes.filter((m): m is NodeOf<'matmul'> => m.op === 'matmul' && m.group === leader.id);
    const outs = members.map((m) => name(m));
    const kernel = `matmul_${outs.join('_')}`;
    const a = shapeOf(leader.a);
    return withKSplits(leader, kernel, outs, a[a.length - 1], members.length, (name, writes, splits) =>
      matmulKernel({
        name,
        header: members.flatMap((m) => header(m)),
        a: { id: need(leader.a), shape: a },
        b: { id: need(leader.b), shape: shapeOf(leader.b) },
        write: writes[0],
        parts: members.slice(1).map((m, i) => ({ b: need(m.b), write: writes[i + 1] })),
        shape: leader.shape,
        tile: tileOf(kernel, leader.shape, members.length, a[a.length - 1]),
        splits,
        ...choices(kernel),
      }),
    );
  };

  const fusedContext: FusedContext = {
    graph,
    bufferOf: (id) => need(id),
    label,
    header,
    scratch: (n, shape) => {
      const id = fresh(`${bufferOf.get(n.id)}_partial`, n.id);
      addBuffer(id, shape, n, `, partial sums over ${shape[0].num} token ranges`);
      return id;
    },
    splitsOf,
    withKSplits: (n, kernel, out, k, make) => withKSplits(n, kernel, [out], k, 1, (name, [write], splits) => make(name, write, splits)),
    allocate: (n) => name(n),
    tileOf,
    chosenTile,
    epilogueOf: (id) => epilogues.get(id),
    unrollHeads: options.unrollHeads ?? false,
    choices,
  };
  const hosts = new Set(nodes.flatMap((n) => (n.host === undefined ? [] : [n.host])));
  const epilogues = new Map(nodes.flatMap((n) => (n.epilogueOf === undefined ? [] : [[n.epilogueOf, n] as const])));
  const scanContext: ScanContext = {
    graph,
    bufferOf: (id) => need(id),
    label,
    header,
    scratch: (n, shape, what) => {
      const id = fresh(`${bufferOf.get(n.id)}_states`, n.id);
      addBuffer(id, shape, n, what);
      return id;
    },
  };
  for (const n of nodes) {
    if (n.op === 'input') {
      bufferOf.set(n.id, n.name);
      continue;
    }
    // An inline value is computed by its readers; a reader of one is a fused kernel.
    // A hosted reduction is computed (and its buffer allocated) by its host's kernel.
    if (n.inline || n.host !== undefined) continue;
    if (n.op === 'scan') {
      kernels.push(...scanKernels(scanContext, n, name(n)));
      continue;
    }
    if (n.op === 'patches') {
      kernels.push(patchesKernel(scanContext, n, name(n)));
      continue;
    }
    if (n.op === 'attention') {
      kernels.push(attentionKernel(scanContext, n, name(n)));
      continue;
    }
    if (n.op === 'dwconv') {
      kernels.push(dwconvKernel(scanContext, n, name(n)));
      continue;
    }
    // A matmul's epilogue value is written by the matmul's kernel, which never stores the product;
    // a group and its value reduced in a KV reduction are computed by that reduction's kernel.
    // A chained matmul's product is computed by the kernel of the matmul it is chained into.
    if (n.epilogueOf !== undefined || n.reducedIn !== undefined || n.chainedInto !== undefined) continue;
    const ep = epilogues.get(n.id);
    if (n.group !== undefined) {
      // A group with an epilogue is one set of tiles computing its products jointly (fused.ts).
      if (n.group === n.id) kernels.push(...(ep ? fusedKernels(fusedContext, n, name(ep)) : groupedMatmul(n as NodeOf<'matmul'>)));
      continue;
    }
    const projected = n.op === 'outer_reduce' && nodes[n.a].reducedIn === n.id;
    if (projected || ep !== undefined || hosts.has(n.id) || operands(n).some((o) => nodes[o].inline && nodes[o].op !== 'const')) {
      kernels.push(...fusedKernels(fusedContext, n, name(ep ?? n)));
      continue;
    }
    const k = (emit[n.op] as (node: Node) => KernelSpec | null)(n);
    if (k) kernels.push(k);
  }

  // A patch grid must hold whole rows of patches.
  const grids = nodes.flatMap((n) => {
    if (n.op !== 'patches') return [];
    return [{ size: patchRows(nodes, n), what: `patches(…, ${n.size}, width = ${n.width}) at ${location(n.span)} needs whole rows of ${n.size}x${n.size} patches`, hint: `use a token count that is a multiple of ${n.size} x ${n.width}` }];
  });
  // One requirement per width: the first kernel that needs it names it.
  const needs = [...grids, ...fours.filter((f, i) => fours.findIndex((g) => formatDim(g.size) === formatDim(f.size)) === i), ...exact.filter((e, i) => exact.findIndex((g) => formatDim(g.size) === formatDim(e.size)) === i)];
  const requires = needs.length ? { requires: needs } : {};
  const outputs = graph.outputs.map((o) => {
    const n = nodes[o.value];
    if (n.op === 'input' || (n.op === 'const' && !bufferOf.has(n.id))) {
      // The executor reads outputs from buffers the plan computes, so an input is copied and a
      // constant gets its own one-element kernel.
      const out = fresh(mangle(o.name), o.value);
      const head = [`output ${o.name} = %${n.id} (${n.op === 'input' ? `${n.role} ${n.name}` : `const ${n.value}`}) : ${formatShape(n.shape, graph.dimAliases)}   (${location(o.span)})`];
      if (n.op === 'const') emitConst(n, out, head);
      else {
        addBuffer(out, n.shape, n, `, copied to output ${o.name}`);
        kernels.push(elementwiseKernel({ name: `copy_${out}`, header: head, write: out, space: n.shape, operands: [operand(n.id, n.shape)], expr: ([v]) => ({ text: v, helpers: [] }) }));
      }
      bufferOf.set(n.id, out);
      return { name: o.name, buffer: out };
    }
    return { name: o.name, buffer: need(o.value) };
  });

  const read = new Set(kernels.flatMap((k) => k.reads));
  const chunks = { chunks: chunkingOf(graph, bufferOf) };
  const tensors: TensorSpec[] = nodes.flatMap((n) => (n.op === 'input' ? [{ name: n.name, role: n.role, shape: n.shape }] : []));
  const inputBuffers = tensors.filter((t) => read.has(t.name)).map((t) => ({ id: t.name, shape: t.shape, holds: `${t.role} ${t.name}` }));
  if (options.precision === 'f16') {
    return { block: graph.block, precision: 'f16', tensors, buffers: [...inputBuffers, ...buffers], kernels: scheduleKernels(kernels).map((k) => ({ ...k, wgsl: toF16Storage(k.wgsl) })), outputs, ...requires, ...chunks };
  }
  return { block: graph.block, tensors, buffers: [...inputBuffers, ...buffers], kernels: scheduleKernels(kernels), outputs, ...requires, ...chunks };
}

/** How the plan runs in token chunks: each reduction over the tokens by the buffer holding it. */
function chunkingOf(graph: Graph, bufferOf: ReadonlyMap<Id, string>): NonNullable<Plan['chunks']> {
  const c = tokenChunks(graph);
  if ('why' in c) return { why: `${c.why} (${location(c.span)})` };
  const reductions: { buffer: string; kind: TokenReduction }[] = [];
  for (const [id, kind] of c.reductions) {
    const buffer = bufferOf.get(id);
    // Every reduction is stored by the passes as they are; a future fusion that keeps one in registers lands here.
    if (buffer === undefined) return { why: `the reduction over ${c.dim} %${id} (${location(graph.nodes[id].span)}) is never stored, so chunks cannot add up its parts` };
    reductions.push({ buffer, kind });
  }
  return { dim: c.dim, ...(c.batch ? { batch: c.batch } : {}), reductions };
}

/**
 * The graph with the epilogues `keep(lead)` accepts stored by their matmul's kernel (not inline),
 * and the others undone: the value is computed as before fuse-epilogue (inline where it was).
 */
function settleEpilogues(graph: Graph, keep: (lead: Id) => boolean): Graph {
  const dropped = new Set(graph.nodes.flatMap((n) => (n.epilogueOf !== undefined && !keep(n.epilogueOf) ? [n.epilogueOf] : [])));
  const nodes = graph.nodes.map((n): Node => {
    if (n.epilogueOf === undefined) return n;
    if (!dropped.has(n.epilogueOf)) return n.inline ? { ...n, inline: false } : n;
    const { epilogueOf: _lead, ...rest } = n;
    return rest as Node;
  });
  return { ...graph, nodes };
}

/** The graph with the chains `keep(first, second)` accepts kept, the others undone: the first product stored. */
function settleChains(graph: Graph, keep: (g: Graph, first: NodeOf<'matmul'>, second: NodeOf<'matmul'>) => boolean): Graph {
  const nodes = graph.nodes.map((n): Node => {
    if (n.chainedInto === undefined || keep(graph, n as NodeOf<'matmul'>, graph.nodes[n.chainedInto] as NodeOf<'matmul'>)) return n;
    const { chainedInto: _second, ...rest } = n;
    return rest as Node;
  });
  return { ...graph, nodes };
}

/** The graph with no value computed inside a KV reduction: the projections are stored as before fuse-kv-projections. */
function withoutKvProjections(graph: Graph): Graph {
  const nodes = graph.nodes.map((n): Node => {
    if (n.reducedIn === undefined) return n;
    const { reducedIn: _r, ...rest } = n;
    return rest as Node;
  });
  return { ...graph, nodes };
}

/** Workgroups of one token range of a KV reduction: its batch times its 64x64 state tiles. */
function stateWorkgroups(n: Node, dims: ReadonlyMap<string, number>): number {
  const shape = evalShape(n.shape, dims);
  const [m, k] = shape.slice(-2);
  return numel(shape.slice(0, -2)) * Math.ceil(m / 64) * Math.ceil(k / 64);
}

/** Tokens a KV reduction sums over (its left operand's axis -2), at these sizes. */
function reducedTokens(nodes: readonly Node[], n: Node, dims: ReadonlyMap<string, number>): number {
  if (n.op !== 'outer_reduce') return Infinity;
  const a = evalShape(nodes[n.a].shape, dims);
  return a[a.length - 2];
}

function describe(n: Node): string {
  const head = `%${n.id} = `;
  switch (n.op) {
    case 'input':
      return `${head}${n.role} ${n.name}`;
    case 'const':
      return `${head}const ${n.value}`;
    case 'unary':
      return `${head}${n.fn} %${n.x}`;
    case 'binary':
      return `${head}${n.fn} %${n.a}, %${n.b}`;
    case 'matmul':
    case 'outer':
      return `${head}${n.op} %${n.a}, %${n.b}`;
    case 'reduce':
      return `${head}${n.kind} %${n.x}, axis=${n.axis}${n.keep ? ', keep' : ''}`;
    case 'outer_reduce':
      return `${head}outer_${n.kind} %${n.a}, %${n.b}`;
    case 'split_heads':
      return `${head}split_heads %${n.x}, heads=${n.heads}`;
    case 'transpose':
    case 'merge_heads':
      return `${head}${n.op} %${n.x}`;
    case 'scan':
      return `${head}${describeScan(n)}`;
    case 'attention':
      return `${head}attention %${n.q}, %${n.k}, %${n.v}, scale=${n.scale}`;
    case 'dwconv':
      return `${head}dwconv %${n.x}, %${n.w}, width=${n.width}`;
    case 'patches':
      return `${head}patches %${n.x}, size=${n.size}, width=${n.width}`;
  }
}
