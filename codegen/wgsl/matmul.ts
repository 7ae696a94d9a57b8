// Batched matmul `[..., m, k] @ [..., k, n]`, tiled in workgroup memory and registers: a 16x16
// workgroup computes a 64x64 output tile (4x4 outputs per thread), a 128x64 one (8x4) or a
// 128x128 one (8x8), stepping through k one 16-deep slab of a and b at a time. Slabs are stored
// as vec4s of 4 rows of a and 4 columns of b, so a thread reads one vec4 of each per 16
// multiply-adds: fewer workgroup-memory reads than scalar tiles, 19-25% less time on an H100.
// Workgroups of other shapes ('8x16': 8x8 outputs a thread; '16x32': 512 threads, 256x64 tiles)
// are for bench/matmul.ts: both measured slower on the H200 (docs/benchmarks-log.md, fourteenth session).
// Batch dims broadcast through stride vectors; the row tiles of all batches are one linear range
// that the executor spreads over grid y and z (so more than 65535 of them still launch).
import type { Dim, SizeExpr } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { broadcastStrides, contiguousStrides } from './elementwise.js';
import { printKernel, sizeKey, Uniforms, type HelperFn } from './print.js';
import { dim, isLiteral } from '../../runtime/shape.js';

/**
 * Threads per workgroup side: 16 (default) or 8 (then 8x8 outputs per thread in a 64 tile); or
 * '8x16', 8 across the columns and 16 down the rows (8x8 outputs per thread in a 128x64 tile).
 */
export type MatmulThreads = 16 | 8 | '8x16' | '16x32';
/** Threads across a workgroup's columns (lid.x) and down its rows (lid.y). */
export const threadSides = (t: MatmulThreads): [number, number] => (typeof t === 'number' ? [t, t] : (t.split('x').map(Number) as [number, number]));
/** The k-slab loaded into workgroup memory per step, by default. */
const DEFAULT_SLAB = 16;
/** Workgroup memory every WebGPU adapter has (maxComputeWorkgroupStorageSize's minimum). */
const GUARANTEED_WORKGROUP_BYTES = 16384;
/**
 * Output tile: 64 (64x64, 4x4 per thread), 128 (128x128, 8x8 per thread, for wide outputs) or
 * '128x64' (128 rows by 64 columns, 8x4 per thread: the register reuse of a taller tile without
 * the wasted columns of a 128-wide one).
 */
export type MatmulTile = 64 | 128 | '128x64' | '256x64';
/** Rows and columns of a tile. */
export const tileSides = (t: MatmulTile): [number, number] => (typeof t === 'number' ? [t, t] : (t.split('x').map(Number) as [number, number]));
export type MatmulSchedule = 'pipelined' | 'unrolled' | 'simple';
/** How a kernel steps through its slabs, where tuning chose it (else the kernel's defaults). */
export interface SlabShape {
  readonly schedule?: MatmulSchedule;
  readonly slab?: 16 | 32;
  readonly threads?: MatmulThreads;
}

/** A matmul's code choices from outside the kernel: tuning's slab shape and what is known of sizes. */
export interface MatmulChoices extends SlabShape {
  /**
   * Whether rows of these widths may be read or written as vec4s: true where each is a multiple
   * of 4 (a literal, or at the sizes the plan is made for, which the plan then requires). Asked
   * for the output's rows (n, and a head's width where the epilogue splits heads): the output is
   * then declared `array<vec4<f32>>` and a thread writes its 4 adjacent columns with one store
   * instead of four (on the H200, q @ s of the 1280² stage-1 core at batch 8 0.36 -> 0.27 ms), and
   * a plain b, whose rows are n wide too, is read one vec4 a thread and slab; by the fused KV
   * reduction for its operands' buffers (Loaders.vectorPlan) and the projected one for its weights.
   */
  readonly vec4Rows?: (kernel: string, widths: readonly Dim[]) => boolean;
}

export interface Operand {
  readonly id: string;
  readonly shape: readonly Dim[];
  readonly load?: (coords: readonly string[]) => string;
  /**
   * With `load`: a vec4<f32> of the element at `coords` and the three after it along the last
   * axis (the last coordinate a multiple of 4). Slabs whose 4 lanes are adjacent along that axis
   * (b's columns, a's rows when a is read transposed) load through it inside the matrices.
   */
  readonly load4?: (coords: readonly string[]) => string;
}

export interface MatmulSpec extends MatmulChoices {
  readonly name: string;
  readonly header: readonly string[];
  /** An operand: its buffer, or (fused) `load` giving its element at coordinates of its shape. */
  readonly a: Operand;
  readonly b: Operand;
  /** Helpers and buffers the loads need (from Loaders). */
  readonly loaders?: { readonly helpers: readonly HelperFn[]; readonly reads: readonly string[]; readonly vec4?: readonly string[] };
  /** The kernel's uniforms, when loaders already took slots in them. */
  readonly uniforms?: Uniforms;
  readonly write: string;
  /** The output shape `[...batch, m, n]`. */
  readonly shape: readonly Dim[];
  /** `a` is stored `[..., k, m]` and read transposed (the token-reduction `aᵀ b`). */
  readonly transposeA?: boolean;
  /**
   * Split k into this many ranges, one workgroup each, writing partial products
   * `[splits, ...batch, m, n]` that a second kernel adds up: parallel over tokens, no atomics.
   */
  readonly splits?: number;
  /** The output tile's side (default 64). */
  readonly tile?: MatmulTile;
  /** Threads per workgroup side (default 16). */
  readonly threads?: MatmulThreads;
  /** k-rows of a and b in workgroup memory per step (16 or 32; default 16). */
  readonly slab?: 16 | 32;
  /** Workgroup memory the kernel may take (default 16384, what every adapter has): room for padding. */
  readonly workgroupMemory?: number;
  /**
   * `pipelined` (default for 64 tiles, and 128x64 tiles with vec4 output rows): the next slab is
   * loaded into registers while this one is multiplied; `unrolled`: the same with the slab loop
   * unrolled (16x the loop's WGSL, no faster on the H100); `simple` (default for the other 128-row
   * tiles): load, barrier, multiply.
   */
  readonly schedule?: MatmulSchedule;
  /**
   * Tiles and slabs wholly inside the matrices load without bounds checks, the rest with them
   * (default true; on the H100 the KV reduction 0.070 -> 0.052 ms, projections 0-7% faster).
   */
  readonly interior?: boolean;
  /**
   * A sum over heads (epilogue view `sum_heads`) with a literal head count written head by head
   * instead of as a loop (default false): see CodegenOptions.unrollHeads.
   */
  readonly unrollHeads?: boolean;
  /**
   * A row reduction written alongside (fuse-row-reductions): `Σ_k a[row, k] · w(k)` per output
   * row, from the a tiles already in workgroup memory, into `write` laid out `[...batch, m]`
   * (`[splits, ...batch, m]` with splits). `weight` absent means w = 1.
   */
  readonly rows?: { readonly write: string; readonly weight?: { readonly shape: readonly Dim[]; readonly load: (coords: readonly string[]) => string }; readonly divideBy?: Dim };
  /**
   * More products `a @ b'` in the same kernel (group-matmuls): each a buffer of b's shape and a
   * result of its own. The workgroups of part p (0 is `b`, `write`) follow those of part p - 1
   * along y, so one grid covers them all; a and b are plain buffers, no rows. With splits each
   * part writes `[splits, ...batch, m, n]` partials to its own buffer.
   */
  readonly parts?: readonly { readonly b: string; readonly write: string }[];
  /**
   * Write the epilogue's value to `write` instead of the product (fuse-epilogue). A hosted row
   * reduction is then kept in workgroup memory (every column tile summing it) for the epilogue to
   * read (rowSum).
   */
  readonly epilogue?: Epilogue;
  /**
   * More weights (buffers of b's shape) multiplied by a in the same threads, for an epilogue that
   * combines the products element by element (ak = sigmoid(x @ w_a + b_a) ⊙ relu(x @ w_k)):
   * each thread keeps one set of accumulators per weight, and a's slab serves them all.
   */
  readonly joint?: readonly string[];
  /**
   * A second product computed from this one's tiles instead of writing it (chain-matmuls): see
   * Chain. The tile's columns must be one head and the second product as wide (codegen checks the
   * sizes); `write` then receives the second product's value.
   */
  readonly chain?: Chain;
}

/**
 * `a2 @ b2` where `a2` is an elementwise value of this product split into heads of the tile's
 * width: after its slab loop a workgroup holds one head of a2 for its rows, multiplies it by that
 * head's `b2` (16 k-rows at a time through the same workgroup memory) and writes the result or its
 * epilogue value. A row reduction of a2 (den = a2 · w) is added up across the tile's threads.
 */
export interface Chain {
  readonly heads: number;
  /** a2's element at coordinates `[...batch, head, row, k]`, from this product's element there (`acc`). */
  readonly value: (coords: readonly string[], acc: string) => string;
  /** The right operand's buffer, `[...batch, heads, d, d]` (its batch axes may broadcast). */
  readonly b: { readonly id: string; readonly shape: readonly Dim[] };
  /** The second product's shape `[...batch, heads, m, d]`. */
  readonly shape: readonly Dim[];
  /** A row reduction of a2 hosted by the second product, laid out `[...batch, heads, m]`; read by its epilogue through chainRowSum. */
  readonly rows?: MatmulSpec['rows'];
  /** The value written instead of the second product: at its coordinates, `none` or `merge_heads`. */
  readonly epilogue?: Epilogue;
}

/**
 * What a matmul kernel writes instead of its product(s). `value(coords, accs)` is the value at
 * `coords` where `accs` hold the products' elements (one per weight): coords of the product
 * `[...batch, row, col]`, or of the written value where the view makes it another shape
 * (split_heads: `[..., m, h·d]` written as `[..., h, m, d]`). With `merge_heads` the product
 * `[..., h, m, n]` is written as `[..., m, h·n]`, value at the product's coords.
 */
export interface Epilogue {
  readonly value: (coords: readonly string[], accs: readonly string[]) => string;
  /**
   * `sum_heads`: the values of the product `[..., h, m, n]` summed over h into `[..., m, n]`
   * (fold-output-projection's y): a workgroup runs its tile for every head in turn and adds the
   * values up in registers.
   */
  readonly view: 'none' | 'merge_heads' | 'sum_heads' | { readonly splitHeads: number };
}

/** In a matmul with rows and an epilogue: the hosted row reduction at output row `row` (kept in the a slab's memory). */
export const rowSum = (row: string, tile: MatmulTile) => `mm_ta[(${row} % ${tileSides(tile)[0]}u) / 4u][${row} % 4u]`;

/** In a chained matmul with rows: the hosted row reduction at output row `row` (kept in workgroup memory). */
export const chainRowSum = (row: string, tile: MatmulTile) => `mm_rows[${row} % ${tileSides(tile)[0]}u]`;

/** Strides of an operand's matrices over the output's batch index space. */
function batchStrides(shape: readonly Dim[], batch: readonly Dim[]): SizeExpr[] {
  const opBatch = shape.slice(0, -2);
  const matrix = shape.slice(-2);
  // Broadcast the batch part alone, then scale by the matrix size (it sits inside every batch).
  return broadcastStrides(opBatch, batch).map((s) => (sizeKey(s) === '0' ? s : [...s, ...matrix]));
}

export function matmulKernel(spec: MatmulSpec): KernelSpec {
  const u = spec.uniforms ?? new Uniforms();
  const batch = spec.shape.slice(0, -2);
  const [m, n] = spec.shape.slice(-2);
  const k = spec.a.shape[spec.a.shape.length - (spec.transposeA ? 2 : 1)];
  const splits = spec.splits ?? 1;
  const [BM, BN] = tileSides(spec.tile ?? 64);
  const [TX, TY] = threadSides(spec.threads ?? 16);
  const SLAB = spec.slab ?? DEFAULT_SLAB;
  if (BM / (4 * TY) > 2) throw new Error(`matmul ${spec.name}: a ${BM}-row tile needs 16 threads down its rows`);
  if (BM % (4 * TY) || BN % (4 * TX)) throw new Error(`matmul ${spec.name}: ${TX}x${TY} threads do not divide a ${BM}x${BN} tile`);
  const interior = spec.interior ?? true;
  const parts = spec.parts ?? [];
  if (parts.length && (spec.rows || spec.a.load || spec.b.load)) throw new Error(`matmul ${spec.name}: parts need plain operands and no rows`);
  const epilogue = spec.epilogue;
  if (epilogue && (splits > 1 || parts.length)) throw new Error(`matmul ${spec.name}: an epilogue needs whole k and one part`);
  const chain = spec.chain;
  if (chain && (epilogue || spec.rows || splits > 1 || parts.length || spec.joint?.length)) throw new Error(`matmul ${spec.name}: a chained product needs whole k, one part, no epilogue or rows of its own`);
  const joint = [spec.b.id, ...(spec.joint ?? [])];
  if (joint.length > 1 && (!epilogue || spec.b.load || spec.rows)) throw new Error(`matmul ${spec.name}: joint weights need an epilogue, a plain b and no rows`);
  /** Suffix of the registers, slabs and accumulators of joint weight p (none for b). */
  const jx = (p: number) => (p === 0 ? '' : `_${p}`);
  const P = parts.length + 1;
  const sumHeads = epilogue?.view === 'sum_heads';
  const splitHeads = epilogue && typeof epilogue.view === 'object' ? epilogue.view.splitHeads : undefined;
  // Rows of whole vec4s: a thread's 4 adjacent columns (from a multiple of 4) are one store.
  const vectored = spec.vec4Rows?.(spec.name, splitHeads ? [n, dim(n.sym, n.num, n.den * splitHeads)] : [n]) ?? false;
  if (sumHeads && batch.length === 0) throw new Error(`matmul ${spec.name}: summing over heads needs a head axis`);
  /** The batch of what the kernel writes: without the head axis when it sums over it. */
  const outBatch = sumHeads ? batch.slice(0, -1) : batch;
  // Measured (bench/matmul.ts): prefetching helps 64 tiles (3-4% on the H100), slows the taller
  // tiles with scalar stores (128: H100; 128x64: 8-15% on the H200, register pressure) and
  // speeds up 128x64 tiles with vec4 stores (3-11% at the block's projections on the H200).
  // Unrolled is no faster with fma and b's vec4 loads, and q @ s of the core with the feature map
  // loaded is 6-9% slower unrolled (H200, fifteenth session).
  const schedule = spec.schedule ?? (BM === 64 || (vectored && BN === 64) ? 'pipelined' : 'simple');
  const pipelined = schedule !== 'simple';
  /** vec4 groups per thread along rows and columns: thread (x, y) owns rows 4·TY·g + 4y.. and columns 4·TX·h + 4x... */
  const GM = BM / (4 * TY);
  const GN = BN / (4 * TX);
  /** vec4s across a slab of a (rows) and of b (columns). */
  const VM = BM / 4;
  const VN = BN / 4;
  const M = u.of([m]);
  const K = u.of([k]);
  const N = u.of([n]);
  const body = [
    `let mm_tiles = (${M} + ${BM - 1}u) / ${BM}u;`,
    // Workgroup-uniform, so returning here cannot strand a barrier below.
    'let mm_t = wid.z * nwg.y + wid.y;',
    // mm_sb runs over [split, part, batch]; split s sums k in [mm_kbegin, mm_kend).
    `if (mm_t >= mm_tiles * ${u.of(outBatch)}${P * splits > 1 ? ` * ${P * splits}u` : ''}) { return; }`,
    'let mm_sb = mm_t / mm_tiles;',
    // Summing over heads, mm_b (batch and head) is set per head in the loop around the tile.
    ...(sumHeads ? [] : [P * splits > 1 ? `let mm_b = mm_sb % ${u.of(batch)};` : 'let mm_b = mm_sb;']),
    ...(P > 1 ? [`let mm_part = ${splits > 1 ? `(mm_sb / ${u.of(batch)}) % ${P}u` : `mm_sb / ${u.of(batch)}`};`] : []),
    ...(P > 1 && splits > 1 ? [`let mm_split = mm_sb / (${u.of(batch)} * ${P}u);`] : []),
    ...(splits > 1
      ? [
          `let mm_kchunk = (${K} + ${splits - 1}u) / ${splits}u;`,
          `let mm_kbegin = ${P > 1 ? 'mm_split' : `(mm_sb / ${u.of(batch)})`} * mm_kchunk;`,
          `let mm_kend = min(${K}, mm_kbegin + mm_kchunk);`,
        ]
      : ['let mm_kbegin = 0u;', `let mm_kend = ${K};`]),
    `let mm_r0 = (mm_t % mm_tiles) * ${BM}u;`,
    `let mm_c0 = wid.x * ${BN}u;`,
    ...(interior ? [`let mm_inner = mm_r0 + ${BM}u <= ${M} && mm_c0 + ${BN}u <= ${N};`] : []),
  ];

  const sa = batchStrides(spec.a.shape, batch);
  const sb = batchStrides(spec.b.shape, batch);
  const own = contiguousStrides(batch);
  // An operand whose batch strides are the output's (scaled by its matrix size) starts at mm_b.
  const dense = (s: SizeExpr[], matrix: readonly Dim[]) => s.every((x, d) => sizeKey(x) === sizeKey([...own[d], ...matrix]));
  const aMatrix = spec.a.shape.slice(-2);
  const bMatrix = spec.b.shape.slice(-2);
  const loaded = Boolean(spec.a.load || spec.b.load || spec.rows?.weight);
  const decode: string[] = [];
  if (!dense(sa, aMatrix) || !dense(sb, bMatrix) || ((loaded || epilogue || chain) && batch.length > 0)) {
    decode.push('var r = mm_b;');
    for (let d = batch.length - 1; d >= 1; d--) {
      const size = u.of([batch[d]]);
      decode.push(`let i${d} = r % ${size};`, `r = r / ${size};`);
    }
    decode.push('let i0 = r;');
  }
  const base = (s: SizeExpr[], matrix: readonly Dim[]) => {
    if (batch.length === 0) return '0u';
    if (dense(s, matrix)) return `mm_b * ${u.of(matrix)}`;
    const terms = s.flatMap((x, d) => (sizeKey(x) === '0' ? [] : [`i${d} * ${u.of(x)}`]));
    return terms.length === 0 ? '0u' : terms.join(' + ');
  };
  /** Batch coordinates of an operand of a product of batch `of`, named `names` (right-aligned; broadcast axes read 0). */
  const batchCoords = (shape: readonly Dim[], of = batch, names = batch.map((_, d) => `i${d}`)) => {
    const own = shape.slice(0, -2);
    const pad = of.length - own.length;
    return own.map((d, k) => (isLiteral(d, 1) && !isLiteral(of[pad + k], 1) ? '0u' : names[pad + k]));
  };
  // Element (first, second) of an operand's matrix: A(row, k) (or A(k, row) stored transposed), B(k, col).
  const readA = (first: string, second: string) =>
    spec.a.load
      ? spec.a.load([...batchCoords(spec.a.shape), first, second])
      : `$(${spec.a.id})[mm_a + ${first} * ${spec.transposeA ? M : K} + ${second}]`;
  // b's buffers (and the joint weights and parts, of its shape) declared as vec4s where its rows
  // are (n a multiple of 4, so every batch offset is too): a slab's 4 columns are one load, 3-11%
  // faster at the block's projection shapes on the H200 (with fma; the same at 2048³); not where
  // the kernel reads them otherwise.
  const bBuffers = spec.b.load ? [] : [spec.b.id, ...joint.slice(1), ...parts.map((p) => p.b)];
  const vecB = vectored && bBuffers.length > 0 && !bBuffers.some((id) => id === spec.a.id || spec.loaders?.reads.includes(id));
  const readB = (first: string, second: string, id = spec.b.id) => {
    if (spec.b.load) return spec.b.load([...batchCoords(spec.b.shape), first, second]);
    const at = `mm_bo + ${first} * ${N} + ${second}`;
    return vecB ? `$(${id})[(${at}) / 4u][(${at}) % 4u]` : `$(${id})[${at}]`;
  };
  /** b's 4 columns from `col` (a multiple of 4) at k-row `first`, with vecB. */
  const readB4 = (first: string, col: string, id: string) => `$(${id})[(mm_bo + ${first} * ${N} + ${col}) / 4u]`;
  /** Lines doing `lines(b, write)` for this workgroup's part: a switch on mm_part when there are parts. */
  const perPart = (lines: (b: string, write: string) => string[]): string[] => {
    if (!parts.length) return lines(spec.b.id, spec.write);
    const arm = (label: string, b: string, write: string) => [`  ${label}: {`, ...lines(b, write).map((l) => `    ${l}`), '  }'];
    return ['switch mm_part {', ...parts.flatMap((p, i) => arm(`case ${i + 1}u`, p.b, p.write)), ...arm('default', spec.b.id, spec.write), '}'];
  };
  const threads = TX * TY;
  const rowGroups = Array.from({ length: GM }, (_, g) => g);
  const colGroups = Array.from({ length: GN }, (_, h) => h);
  /** vec4s of each slab a thread loads (a slab of a holds VM·SLAB vec4s, of b VN·SLAB). */
  const fillsA = Array.from({ length: (VM * SLAB) / threads }, (_, e) => e);
  // Rows of the a slab in workgroup memory are VM + 1 vec4s apart when a is read row-major: the
  // 16 threads storing one row group's 16 k values would otherwise hit the same banks (stride VM).
  // H200: 128x64 projections 12-19% faster. Not where the padding would pass the 16 KiB every
  // WebGPU adapter has (128x128 tiles).
  const SA = spec.transposeA || (VM + 1 + VN * joint.length) * SLAB * 16 > (spec.workgroupMemory ?? GUARANTEED_WORKGROUP_BYTES) ? VM : VM + 1;
  // With more threads than b's slab has vec4s (a 256x64 tile of 512 threads), the first ones load it.
  const fillsB = Array.from({ length: Math.ceil((VN * SLAB) / threads) }, (_, e) => e);
  const someB = (lines: string[]): string[] => (VN * SLAB >= threads ? lines : [`if (lidx < ${VN * SLAB}u) {`, ...lines.map((l) => `  ${l}`), '}']);
  if ((VM * SLAB) % threads || (VN * SLAB > threads && (VN * SLAB) % threads)) throw new Error(`matmul ${spec.name}: ${threads} threads do not divide a ${BM}x${BN} tile's slabs`);
  const lanes = [0, 1, 2, 3];
  const acc = (g: number, i: number, h: number, p = 0) => `mm_v${g}${i}${h}${jx(p)}`;
  // One thread per row of the tile (the first column tile's workgroups only) adds up its row of
  // each a slab; the weight is read at (batch, 0, k), broadcast over the rows.
  const rowsAccumulate = (): string[] => {
    if (!spec.rows) return [];
    const w = spec.rows.weight;
    let term = `mm_ta[rd_p * ${SA}u + lidx / 4u][lidx % 4u]`;
    if (w) {
      const coords = w.shape.length === 0 ? [] : [...batchCoords(w.shape), ...(w.shape.length >= 2 ? ['0u'] : []), 'rd_k'];
      term += ` * ${w.load(coords)}`;
    }
    return [
      // With an epilogue every column tile needs its rows' sums.
      `  if (${epilogue ? '' : 'wid.x == 0u && '}lidx < ${BM}u) {`,
      `    for (var rd_p = 0u; rd_p < ${SLAB}u; rd_p = rd_p + 1u) {`,
      '      let rd_k = mm_k0 + rd_p;',
      `      if (rd_k < mm_kend) { rd_acc = rd_acc + ${term}; }`,
      '    }',
      '  }',
    ];
  };
  const rowsWrite = (): string[] => {
    if (!spec.rows) return [];
    const value = spec.rows.divideBy ? `rd_acc / f32(${u.of([spec.rows.divideBy])})` : 'rd_acc';
    const write = `if (wid.x == 0u && lidx < ${BM}u && rd_row < ${M}) { $(${spec.rows.write})[${sumHeads ? 'mm_b' : 'mm_sb'} * ${M} + rd_row] = ${epilogue ? 'rd_value' : value}; }`;
    if (!epilogue) return ['let rd_row = mm_r0 + lidx;', write];
    // The a slabs are done with: the rows' sums go there for the epilogue (rowSum).
    return ['let rd_row = mm_r0 + lidx;', `let rd_value = ${value};`, `if (lidx < ${BM}u) { mm_ta[lidx / 4u][lidx % 4u] = rd_value; }`, write, 'workgroupBarrier();'];
  };
  // Out-of-range cells are 0; select keeps every load in bounds (its indices are clamped).
  const quad = (read: (r: number) => string, inRange: (r: number) => string) =>
    `vec4<f32>(${lanes.map((r) => `select(0.0, ${read(r)}, ${inRange(r)})`).join(', ')})`;
  // Slab positions of this thread's vec4 number e of a and of b: fixed for the whole loop.
  const positionA = (e: number): string[] => {
    const q = `mm_q${e}`;
    const aIndex = spec.transposeA ? [`(${q} % ${VM}u) * 4u`, `${q} / ${VM}u`] : [`(${q} / ${SLAB}u) * 4u`, `${q} % ${SLAB}u`];
    return [`let ${q} = lidx + ${e * threads}u;`, `let mm_am${e} = ${aIndex[0]};`, `let mm_ak${e} = ${aIndex[1]};`];
  };
  const positionB = (e: number): string[] => [
    ...(e < fillsA.length ? [] : [`let mm_q${e} = lidx + ${e * threads}u;`]),
    `let mm_bn${e} = (mm_q${e} % ${VN}u) * 4u;`,
    `let mm_bk${e} = mm_q${e} / ${VN}u;`,
  ];
  // The slab at k0 from memory into registers (mm_ra, mm_rb): issued before the previous slab's
  // multiply-adds when pipelined, so their latency hides behind them.
  const row = (e: number, r: number) => `mm_r0 + mm_am${e} + ${r}u`;
  const col = (e: number, r: number) => `mm_c0 + mm_bn${e} + ${r}u`;
  const checkedA = (e: number, k0: string) => [
    `let mm_akk${e} = ${k0} + mm_ak${e};`,
    `mm_ra${e} = ${quad(
      (r) => {
        const clamped = `min(${row(e, r)}, ${M} - 1u)`;
        return spec.transposeA ? readA(`min(mm_akk${e}, mm_kend - 1u)`, clamped) : readA(clamped, `min(mm_akk${e}, mm_kend - 1u)`);
      },
      (r) => `${row(e, r)} < ${M} && mm_akk${e} < mm_kend`,
    )};`,
  ];
  const checkedB = (e: number, k0: string) => [
    `let mm_bkk${e} = ${k0} + mm_bk${e};`,
    ...perPart((b) =>
      joint.map(
        (w, p) =>
          `mm_rb${e}${jx(p)} = ${quad(
            (r) => readB(`min(mm_bkk${e}, mm_kend - 1u)`, `min(${col(e, r)}, ${N} - 1u)`, p === 0 ? b : w),
            (r) => `mm_bkk${e} < mm_kend && ${col(e, r)} < ${N}`,
          )};`,
      ),
    ),
  ];
  const load = (k0: string): string[] => {
    const checked = [...fillsA.flatMap((e) => checkedA(e, k0)), ...someB(fillsB.flatMap((e) => checkedB(e, k0)))];
    if (!interior) return checked;
    // A tile and slab inside the matrices (workgroup-uniform) reads without clamps or selects.
    const vec = (read: (r: number) => string) => `vec4<f32>(${lanes.map(read).join(', ')})`;
    return [
      `if (mm_inner && ${k0} + ${SLAB}u <= mm_kend) {`,
      ...fillsA.flatMap((e) => [
        `  let mm_akk${e} = ${k0} + mm_ak${e};`,
        spec.transposeA && spec.a.load4
          ? `  mm_ra${e} = ${spec.a.load4([...batchCoords(spec.a.shape), `mm_akk${e}`, `(${row(e, 0)})`])};`
          : `  mm_ra${e} = ${vec((r) => (spec.transposeA ? readA(`mm_akk${e}`, `(${row(e, r)})`) : readA(`(${row(e, r)})`, `mm_akk${e}`)))};`,
      ]),
      ...someB(
        fillsB.flatMap((e) => [
          `let mm_bkk${e} = ${k0} + mm_bk${e};`,
          ...(spec.b.load4
            ? [`mm_rb${e} = ${spec.b.load4([...batchCoords(spec.b.shape), `mm_bkk${e}`, `(${col(e, 0)})`])};`]
            : perPart((b) =>
                joint.map((w, p) => `mm_rb${e}${jx(p)} = ${vecB ? readB4(`mm_bkk${e}`, col(e, 0), p === 0 ? b : w) : vec((r) => readB(`mm_bkk${e}`, `(${col(e, r)})`, p === 0 ? b : w))};`),
              )),
        ]),
      ).map((l) => `  ${l}`),
      '} else {',
      ...checked.map((l) => `  ${l}`),
      '}',
    ];
  };
  const store = (): string[] => [...fillsA.map((e) => `mm_ta[mm_ak${e} * ${SA}u + mm_am${e} / 4u] = mm_ra${e};`), ...someB(joint.flatMap((_, p) => fillsB.map((e) => `mm_tb${jx(p)}[mm_q${e}] = mm_rb${e}${jx(p)};`)))];
  const step = (p: string): string[] => [
    ...rowGroups.map((g) => `let mm_va${g} = mm_ta[${p} * ${SA}u + ${g * TY}u + lid.y];`),
    ...joint.flatMap((_, w) => colGroups.map((h) => `let mm_vb${h}${jx(w)} = mm_tb${jx(w)}[${p} * ${VN}u + ${h * TX}u + lid.x];`)),
    // fma, not a + b * c: the same time here (H200), and one rounding.
    ...joint.flatMap((_, w) => rowGroups.flatMap((g) => lanes.flatMap((i) => colGroups.map((h) => `${acc(g, i, h, w)} = fma(vec4<f32>(mm_va${g}.${'xyzw'[i]}), mm_vb${h}${jx(w)}, ${acc(g, i, h, w)});`)))),
  ];
  const indent = (n: number, lines: readonly string[]) => lines.map((l) => ' '.repeat(n) + l);
  const registers = [...fillsA.map((e) => `var mm_ra${e} = vec4<f32>(0.0);`), ...joint.flatMap((_, p) => fillsB.map((e) => `var mm_rb${e}${jx(p)} = vec4<f32>(0.0);`))];
  const multiply =
    schedule === 'unrolled'
      ? // The slab offsets become constants (Tint does not unroll loops).
        Array.from({ length: SLAB }, (_, p) => indent(2, ['{', ...indent(2, step(`${p}u`)), '}'])).flat()
      : [`  for (var mm_p = 0u; mm_p < ${SLAB}u; mm_p = mm_p + 1u) {`, ...indent(4, step('mm_p')), '  }'];
  const loop = (): string[] => [
    ...fillsA.flatMap(positionA),
    ...fillsB.flatMap(positionB),
    ...registers,
    ...(pipelined ? load('mm_kbegin') : []),
    `for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + ${SLAB}u) {`,
    ...indent(2, pipelined ? store() : [...load('mm_k0'), ...store()]),
    '  workgroupBarrier();',
    // Workgroup-uniform: every thread takes the same branch.
    ...(pipelined ? [`  if (mm_k0 + ${SLAB}u < mm_kend) {`, ...indent(4, load(`mm_k0 + ${SLAB}u`)), '  }'] : []),
    ...multiply,
    ...rowsAccumulate(),
    '  workgroupBarrier();',
    '}',
  ];
  const bc = batch.map((_, d) => `i${d}`);
  /** Output column of this thread's column group h, lane j. */
  const outCol = (h: number, j: number) => `mm_c0 + ${h * 4 * TX}u + lid.x * 4u + ${j}u`;
  /** For each of this thread's output rows (row group g, lane i): `let mm_row<g><i>` and `body`'s lines. */
  const eachRow = (body: (row: string, g: number, i: number) => string[]) =>
    rowGroups.flatMap((g) => lanes.flatMap((i) => [`let mm_row${g}${i} = mm_r0 + ${g * 4 * TY}u + lid.y * 4u + ${i}u;`, ...body(`mm_row${g}${i}`, g, i)]));
  /**
   * Where the accumulators `vs` (one per weight) of output (row, col) go: the flat index into the
   * written buffer (batch `index` for a product) and the value stored there, the product or the
   * epilogue's. `eh`, `ej`: the column's head and channel where the epilogue splits heads.
   */
  const placeOf = (index: string) => (row: string, col: string, eh: string, ej: string, vs: readonly string[]): { at: string; value: string } => {
    if (!epilogue) return { at: `(${index} * ${M} + ${row}) * ${N} + ${col}`, value: vs[0] };
    const view = epilogue.view;
    if (view === 'none') return { at: `(mm_b * ${M} + ${row}) * ${N} + ${col}`, value: epilogue.value([...bc, row, col], vs) };
    if (view === 'merge_heads') {
      // [..., h, m, n] -> [..., m, h·n]: mm_b is (lead · h + head), head the last batch coordinate.
      const h = u.of([batch[batch.length - 1]]);
      return { at: `((mm_b / ${h}) * ${M} + ${row}) * (${h} * ${N}) + i${batch.length - 1} * ${N} + ${col}`, value: epilogue.value([...bc, row, col], vs) };
    }
    if (view === 'sum_heads') throw new Error(`matmul ${spec.name}: a sum over heads is written by sumOverHeads`);
    // [..., m, h·d] -> [..., h, m, d]: column c is head eh (c / d), channel ej (c % d).
    const d = `(${N} / ${view.splitHeads}u)`;
    return { at: `((mm_b * ${view.splitHeads}u + ${eh}) * ${M} + ${row}) * ${d} + ${ej}`, value: epilogue.value([...bc, eh, row, ej], vs) };
  };
  const write = (out: string, index: string): string[] => {
    const place = placeOf(index);
    // Each thread's columns are fixed: their head and channel are worked out once (of the first
    // lane only when vectored: a head's width is a multiple of 4, so the 4 lanes share a head).
    const headLanes = vectored ? [0] : lanes;
    const heads = splitHeads
      ? colGroups.flatMap((h) =>
          headLanes.flatMap((j) => [`let mm_eh${h}${j} = (${outCol(h, j)}) / (${N} / ${splitHeads}u);`, `let mm_ej${h}${j} = (${outCol(h, j)}) % (${N} / ${splitHeads}u);`]),
        )
      : [];
    const at = (row: string, h: number, j: number, g: number, i: number) =>
      place(row, outCol(h, j), `mm_eh${h}${vectored ? 0 : j}`, vectored ? `(mm_ej${h}0 + ${j}u)` : `mm_ej${h}${j}`, joint.map((_, p) => `${acc(g, i, h, p)}.${'xyzw'[j]}`));
    // Vectored, the lanes' columns are all in range or all out (n and the first are multiples of 4).
    const stores = (row: string, g: number, i: number, h: number) =>
      vectored
        ? [`if (${row} < ${M} && ${outCol(h, 0)} < ${N}) { $(${out})[(${at(row, h, 0, g, i).at}) / 4u] = vec4<f32>(${lanes.map((j) => at(row, h, j, g, i).value).join(', ')}); }`]
        : lanes.map((j) => {
            const p = at(row, h, j, g, i);
            return `if (${row} < ${M} && ${outCol(h, j)} < ${N}) { $(${out})[${p.at}] = ${p.value}; }`;
          });
    return heads.concat(eachRow((row, g, i) => colGroups.flatMap((h) => stores(row, g, i, h))));
  };
  const tile = [
    ...decode,
    ...(spec.a.load ? [] : [`let mm_a = ${base(sa, aMatrix)};`]),
    ...(spec.b.load ? [] : [`let mm_bo = ${base(sb, bMatrix)};`]),
    ...joint.flatMap((_, p) => rowGroups.flatMap((g) => lanes.flatMap((i) => colGroups.map((h) => `var ${acc(g, i, h, p)} = vec4<f32>(0.0);`)))),
    ...(spec.rows ? ['var rd_acc = 0.0;'] : []),
    ...loop(),
    ...rowsWrite(),
  ];
  if (sumHeads) body.push(...sumOverHeads(tile));
  else if (chain) body.push(...tile, ...chained(chain));
  // Part results are [...batch, m, n] each; split partials [splits, ...batch, m, n] together.
  else body.push(...tile, ...(parts.length ? perPart((_, out) => write(out, splits === 1 ? 'mm_b' : `(mm_split * ${u.of(batch)} + mm_b)`)) : write(spec.write, 'mm_sb')));

  /** The tile of every head in turn, its epilogue values added up per output (mm_s…), then written at [...outBatch, m, n]. */
  function sumOverHeads(tile: readonly string[]): string[] {
    const heads = u.of([batch[batch.length - 1]]);
    const total = (g: number, i: number, h: number) => `mm_s${g}${i}${h}`;
    const each = (line: (row: string, col: string, g: number, i: number, h: number, j: number) => string) =>
      eachRow((row, g, i) => colGroups.flatMap((h) => lanes.map((j) => `if (${row} < ${M} && ${outCol(h, j)} < ${N}) { ${line(row, outCol(h, j), g, i, h, j)} }`)));
    const add = (row: string, col: string, g: number, i: number, h: number, j: number) => {
      const t = `${total(g, i, h)}.${'xyzw'[j]}`;
      return `${t} = ${t} + ${epilogue!.value([...bc, row, col], joint.map((_, p) => `${acc(g, i, h, p)}.${'xyzw'[j]}`))};`;
    };
    const perHead = [
      `let mm_b = mm_sb * ${heads} + mm_h;`,
      ...tile,
      ...each(add),
      // The next head's slabs go where this one's row sums are read.
      'workgroupBarrier();',
    ];
    const headDim = batch[batch.length - 1];
    const everyHead = spec.unrollHeads && headDim.sym === null && headDim.den === 1
      ? Array.from({ length: headDim.num }, (_, h) => ['{', ...indent(2, [`let mm_h = ${h}u;`, ...perHead]), '}']).flat()
      : [`for (var mm_h = 0u; mm_h < ${heads}; mm_h = mm_h + 1u) {`, ...indent(2, perHead), '}'];
    const writeTotals = vectored
      ? eachRow((row, g, i) => colGroups.map((h) => `if (${row} < ${M} && ${outCol(h, 0)} < ${N}) { $(${spec.write})[((mm_sb * ${M} + ${row}) * ${N} + ${outCol(h, 0)}) / 4u] = ${total(g, i, h)}; }`))
      : each((row, col, g, i, h, j) => `$(${spec.write})[(mm_sb * ${M} + ${row}) * ${N} + ${col}] = ${total(g, i, h)}.${'xyzw'[j]};`);
    return [
      ...rowGroups.flatMap((g) => lanes.flatMap((i) => colGroups.map((h) => `var ${total(g, i, h)} = vec4<f32>(0.0);`))),
      ...everyHead,
      ...writeTotals,
    ];
  }

  /**
   * The second product from the tile (Chain): a2 in place of the accumulators, its row reduction
   * added up across each row's threads, then one 16-deep slab of a2 (the threads holding those
   * columns store it transposed, as the slab loop's a) and of b2 at a time, then the write.
   */
  function chained(c: Chain): string[] {
    if (GN !== 1 || TX !== 16 || TY !== 16 || !vectored) throw new Error(`matmul ${spec.name}: a chained product needs 16x16 threads, 4 columns each, and vec4 rows`);
    const heads = c.heads;
    const batch2 = c.shape.slice(0, -2);
    const coords2 = [...bc, 'ch_head'];
    const row = (g: number, i: number) => `ch_row${g}${i}`;
    const col = (j: number) => `lid.x * 4u + ${j}u`;
    const a2 = (g: number, i: number) => acc(g, i, 0);
    const lines = [
      // Columns c0.. are head wid.x: the tile is as wide as a head.
      'let ch_head = wid.x;',
      `let ch_b = mm_b * ${heads}u + ch_head;`,
      ...eachRowOf((g, i) => [`let ${row(g, i)} = mm_r0 + ${g * 4 * TY}u + lid.y * 4u + ${i}u;`]),
      ...eachRowOf((g, i) => [`${a2(g, i)} = vec4<f32>(${lanes.map((j) => c.value([...coords2, row(g, i), col(j)], `${a2(g, i)}.${'xyzw'[j]}`)).join(', ')});`]),
    ];
    if (c.rows) {
      // Each thread's 4 columns of its rows, then the 16 partials of a row added by each of its threads.
      const w = c.rows.weight;
      const weight = w
        ? `vec4<f32>(${lanes.map((j) => w.load([...batchCoords(w.shape, batch2, coords2), ...(w.shape.length >= 2 ? ['0u'] : []), col(j)])).join(', ')})`
        : 'vec4<f32>(1.0)';
      lines.push(`let ch_w = ${weight};`);
      for (const g of rowGroups) lines.push(`mm_ta[(${g * TY}u + lid.y) * ${TX}u + lid.x] = vec4<f32>(${lanes.map((i) => `dot(${a2(g, i)}, ch_w)`).join(', ')});`);
      lines.push('workgroupBarrier();');
      for (const g of rowGroups) {
        lines.push(`var ch_d${g} = vec4<f32>(0.0);`, `for (var ch_j = 0u; ch_j < ${TX}u; ch_j = ch_j + 1u) {`, `  ch_d${g} = ch_d${g} + mm_ta[(${g * TY}u + lid.y) * ${TX}u + ch_j];`, '}');
        if (c.rows.divideBy) lines.push(`ch_d${g} = ch_d${g} / f32(${u.of([c.rows.divideBy])});`);
      }
      lines.push(
        'if (lid.x == 0u) {',
        ...eachRowOf((g, i) => [
          `  mm_rows[${g * 4 * TY}u + lid.y * 4u + ${i}u] = ch_d${g}.${'xyzw'[i]};`,
          `  if (${row(g, i)} < ${M}) { $(${c.rows!.write})[ch_b * ${M} + ${row(g, i)}] = ch_d${g}.${'xyzw'[i]}; }`,
        ]),
        '}',
        'workgroupBarrier();',
      );
    }
    // b2's matrix for this batch and head, [d, d] row-major (d = BN, a multiple of 4: read as vec4s).
    const sb2 = broadcastStrides(c.b.shape.slice(0, -2), batch2);
    const b2Terms = sb2.flatMap((x, d) => (sizeKey(x) === '0' ? [] : [`${coords2[d]} * ${u.of([...x, ...c.b.shape.slice(-2)])}`]));
    lines.push(`let ch_bo = ${b2Terms.join(' + ') || '0u'};`);
    lines.push(...eachRowOf((g, i) => [`var ch_v${g}${i} = vec4<f32>(0.0);`]));
    lines.push(
      `for (var ch_c = 0u; ch_c < ${BN / 16}u; ch_c = ch_c + 1u) {`,
      '  if (lid.x / 4u == ch_c) {',
      '    let ch_k = (lid.x % 4u) * 4u;',
      ...rowGroups.flatMap((g) => lanes.map((j) => `    mm_ta[(ch_k + ${j}u) * ${SA}u + ${g * TY}u + lid.y] = vec4<f32>(${lanes.map((i) => `${a2(g, i)}.${'xyzw'[j]}`).join(', ')});`)),
      '  }',
      `  mm_tb[lidx] = $(${c.b.id})[(ch_bo + (ch_c * 16u + lidx / ${VN}u) * ${BN}u + (lidx % ${VN}u) * 4u) / 4u];`,
      '  workgroupBarrier();',
      '  for (var ch_p = 0u; ch_p < 16u; ch_p = ch_p + 1u) {',
      ...rowGroups.map((g) => `    let ch_va${g} = mm_ta[ch_p * ${SA}u + ${g * TY}u + lid.y];`),
      `    let ch_vb = mm_tb[ch_p * ${VN}u + lid.x];`,
      ...eachRowOf((g, i) => [`    ch_v${g}${i} = fma(vec4<f32>(ch_va${g}.${'xyzw'[i]}), ch_vb, ch_v${g}${i});`]),
      '  }',
      '  workgroupBarrier();',
      '}',
    );
    const ep = c.epilogue;
    const merge = ep?.view === 'merge_heads';
    if (ep && ep.view !== 'none' && !merge) throw new Error(`matmul ${spec.name}: a chained product's epilogue keeps or merges its heads`);
    for (const g of rowGroups)
      for (const i of lanes) {
        const r = row(g, i);
        const values = lanes.map((j) => (ep ? ep.value([...coords2, r, col(j)], [`ch_v${g}${i}.${'xyzw'[j]}`]) : `ch_v${g}${i}.${'xyzw'[j]}`));
        const at = merge ? `((mm_b * ${M} + ${r}) * ${N} + ch_head * ${BN}u + lid.x * 4u)` : `((ch_b * ${M} + ${r}) * ${BN}u + lid.x * 4u)`;
        lines.push(`if (${r} < ${M}) { $(${spec.write})[${at} / 4u] = vec4<f32>(${values.join(', ')}); }`);
      }
    return lines;
  }
  /** `body(g, i)` for each of this thread's rows. */
  function eachRowOf(body: (g: number, i: number) => string[]): string[] {
    return rowGroups.flatMap((g) => lanes.flatMap((i) => body(g, i)));
  }

  const reads = [...new Set([...(spec.a.load ? [] : [spec.a.id]), ...(spec.b.load ? [] : [spec.b.id]), ...(spec.joint ?? []), ...parts.map((p) => p.b), ...(chain ? [chain.b.id] : []), ...(spec.loaders?.reads ?? [])])];
  const alsoWrites = spec.rows ? [spec.rows.write] : chain?.rows ? [chain.rows.write] : parts.map((p) => p.write);
  // Vectored outputs are stored four floats at a time; the loaders' vec4 buffers are read so.
  const vec4 = [...(vectored ? [spec.write, ...parts.map((p) => p.write)] : []), ...(vecB ? bBuffers : []), ...(chain ? [chain.b.id] : []), ...(spec.loaders?.vec4 ?? [])];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    ...(alsoWrites.length ? { alsoWrites } : {}),
    ...(vec4.length ? { vec4 } : {}),
    uniformSlots: u.values.length,
    workgroupSize: [TX, TY, 1],
    shared: [
      { name: 'mm_ta', length: SA * SLAB, type: 'vec4<f32>' },
      ...joint.map((_, p) => ({ name: `mm_tb${jx(p)}`, length: VN * SLAB, type: 'vec4<f32>' })),
      ...(chain?.rows ? [{ name: 'mm_rows', length: BM, type: 'f32' }] : []),
    ],
    helpers: [...(spec.loaders?.helpers ?? [])],
    body,
  });
  return {
    name: spec.name,
    wgsl,
    reads,
    writes: spec.write,
    ...(alsoWrites.length ? { alsoWrites } : {}),
    uniforms: u.values,
    workgroupSize: TX * TY,
    dispatch: { kind: 'tiles', cols: [n], rows: [m], batch: splits * P === 1 ? outBatch : [...batch, { sym: null, num: splits * P, den: 1 }], tile: [BN, BM] },
  };
}
