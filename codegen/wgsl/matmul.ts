// Batched matmul `[..., m, k] @ [..., k, n]`, tiled in workgroup memory and registers: each
// 16x16 workgroup computes a 64x64 output tile (4x4 outputs per thread), stepping through k one
// 16-deep slab of a and b at a time (8 KiB of workgroup memory).
// Batch dims broadcast through stride vectors; the row tiles of all batches are one linear range
// that the executor spreads over grid y and z (so more than 65535 of them still launch).
import type { Dim, SizeExpr } from '../../runtime/shape.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { broadcastStrides, contiguousStrides } from './elementwise.js';
import { printKernel, sizeKey, Uniforms, type HelperFn } from './print.js';
import { isLiteral } from '../../runtime/shape.js';

/** Threads per workgroup side; each computes REG×REG outputs, so a workgroup owns a BLOCK×BLOCK tile. */
export const TILE = 16;
const REG = 4;
const BLOCK = TILE * REG;
/** The k-slab loaded into workgroup memory per step. */
const SLAB = 16;

export interface Operand {
  readonly id: string;
  readonly shape: readonly Dim[];
  readonly load?: (coords: readonly string[]) => string;
}

export interface MatmulSpec {
  readonly name: string;
  readonly header: readonly string[];
  /** An operand: its buffer, or (fused) `load` giving its element at coordinates of its shape. */
  readonly a: Operand;
  readonly b: Operand;
  /** Helpers and buffers the loads need (from Loaders). */
  readonly loaders?: { readonly helpers: readonly HelperFn[]; readonly reads: readonly string[] };
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
  /**
   * A row reduction written alongside (fuse-row-reductions): `Σ_k a[row, k] · w(k)` per output
   * row, from the a tiles already in workgroup memory, into `write` laid out `[...batch, m]`
   * (`[splits, ...batch, m]` with splits). `weight` absent means w = 1.
   */
  /**
   * How threads share the tile: 'vec4' (default) keeps slabs as vec4s of 4 rows / 4 columns, so
   * each thread reads one vec4 of a and one of b per 16 multiply-adds; 'scalar' reads 8 floats.
   */
  readonly layout?: 'vec4' | 'scalar';
  readonly rows?: { readonly write: string; readonly weight?: { readonly shape: readonly Dim[]; readonly load: (coords: readonly string[]) => string }; readonly divideBy?: Dim };
}

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
  const M = u.of([m]);
  const K = u.of([k]);
  const N = u.of([n]);
  const body = [
    `let mm_tiles = (${M} + ${BLOCK - 1}u) / ${BLOCK}u;`,
    // Workgroup-uniform, so returning here cannot strand a barrier below.
    'let mm_t = wid.z * nwg.y + wid.y;',
    ...(splits === 1
      ? [`if (mm_t >= mm_tiles * ${u.of(batch)}) { return; }`, 'let mm_sb = mm_t / mm_tiles;', 'let mm_b = mm_sb;', 'let mm_kbegin = 0u;', `let mm_kend = ${K};`]
      : [
          `if (mm_t >= mm_tiles * ${u.of(batch)} * ${splits}u) { return; }`,
          // mm_sb runs over [split, batch]; split s sums k in [mm_kbegin, mm_kend).
          'let mm_sb = mm_t / mm_tiles;',
          `let mm_b = mm_sb % ${u.of(batch)};`,
          `let mm_kchunk = (${K} + ${splits - 1}u) / ${splits}u;`,
          `let mm_kbegin = (mm_sb / ${u.of(batch)}) * mm_kchunk;`,
          `let mm_kend = min(${K}, mm_kbegin + mm_kchunk);`,
        ]),
    `let mm_r0 = (mm_t % mm_tiles) * ${BLOCK}u;`,
    `let mm_c0 = wid.x * ${BLOCK}u;`,
  ];

  const sa = batchStrides(spec.a.shape, batch);
  const sb = batchStrides(spec.b.shape, batch);
  const own = contiguousStrides(batch);
  // An operand whose batch strides are the output's (scaled by its matrix size) starts at mm_b.
  const dense = (s: SizeExpr[], matrix: readonly Dim[]) => s.every((x, d) => sizeKey(x) === sizeKey([...own[d], ...matrix]));
  const aMatrix = spec.a.shape.slice(-2);
  const bMatrix = spec.b.shape.slice(-2);
  const loaded = Boolean(spec.a.load || spec.b.load || spec.rows?.weight);
  if (!dense(sa, aMatrix) || !dense(sb, bMatrix) || (loaded && batch.length > 0)) {
    body.push('var r = mm_b;');
    for (let d = batch.length - 1; d >= 1; d--) {
      const size = u.of([batch[d]]);
      body.push(`let i${d} = r % ${size};`, `r = r / ${size};`);
    }
    body.push('let i0 = r;');
  }
  const base = (s: SizeExpr[], matrix: readonly Dim[]) => {
    if (batch.length === 0) return '0u';
    if (dense(s, matrix)) return `mm_b * ${u.of(matrix)}`;
    const terms = s.flatMap((x, d) => (sizeKey(x) === '0' ? [] : [`i${d} * ${u.of(x)}`]));
    return terms.length === 0 ? '0u' : terms.join(' + ');
  };
  /** Batch coordinates of an operand (right-aligned; broadcast axes read 0). */
  const batchCoords = (shape: readonly Dim[]) => {
    const own = shape.slice(0, -2);
    const pad = batch.length - own.length;
    return own.map((d, k) => (isLiteral(d, 1) && !isLiteral(batch[pad + k], 1) ? '0u' : `i${pad + k}`));
  };
  // Element (first, second) of an operand's matrix: A(row, k) (or A(k, row) stored transposed), B(k, col).
  const readA = (first: string, second: string) =>
    spec.a.load
      ? spec.a.load([...batchCoords(spec.a.shape), first, second])
      : `$(${spec.a.id})[mm_a + ${first} * ${spec.transposeA ? M : K} + ${second}]`;
  const readB = (first: string, second: string) =>
    spec.b.load ? spec.b.load([...batchCoords(spec.b.shape), first, second]) : `$(${spec.b.id})[mm_bo + ${first} * ${N} + ${second}]`;
  const threads = TILE * TILE;
  const cells = (BLOCK * SLAB) / threads;
  const vec4 = (spec.layout ?? 'vec4') === 'vec4';
  const acc = (i: number, j: number) => `mm_c${i}${j}`;
  const pairs = Array.from({ length: REG * REG }, (_, x) => [Math.floor(x / REG), x % REG] as const);
  // One thread per row of the tile (the first column tile's workgroups only) adds up its row of
  // each a slab; the weight is read at (batch, 0, k), broadcast over the rows.
  const rowsAccumulate = (): string[] => {
    if (!spec.rows) return [];
    const w = spec.rows.weight;
    let term = vec4 ? `mm_ta[rd_p * ${BLOCK / 4}u + lidx / 4u][lidx % 4u]` : `mm_ta[rd_p * ${BLOCK}u + lidx]`;
    if (w) {
      const coords = w.shape.length === 0 ? [] : [...batchCoords(w.shape), ...(w.shape.length >= 2 ? ['0u'] : []), 'rd_k'];
      term += ` * ${w.load(coords)}`;
    }
    return [
      `  if (wid.x == 0u && lidx < ${BLOCK}u) {`,
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
    return ['let rd_row = mm_r0 + lidx;', `if (wid.x == 0u && lidx < ${BLOCK}u && rd_row < ${M}) { $(${spec.rows.write})[mm_sb * ${M} + rd_row] = ${value}; }`];
  };
  // vec4 tiles: mm_ta[k][m / 4] holds a's rows m..m+3 at k, mm_tb[k][n / 4] b's columns n..n+3;
  // thread (x, y) owns rows 4y..4y+3 and columns 4x..4x+3 of the output tile.
  const quad = (read: (r: number) => string, inRange: (r: number) => string) =>
    `vec4<f32>(${[0, 1, 2, 3].map((r) => `select(0.0, ${read(r)}, ${inRange(r)})`).join(', ')})`;
  const vec4Loop = (): string[] => [
    `for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + ${SLAB}u) {`,
    // Each thread fills one vec4 of each slab; neighbouring threads read neighbouring addresses.
    ...(spec.transposeA
      ? [`  let mm_am = (lidx % ${BLOCK / 4}u) * 4u;`, `  let mm_ak = lidx / ${BLOCK / 4}u;`]
      : [`  let mm_am = (lidx / ${SLAB}u) * 4u;`, `  let mm_ak = lidx % ${SLAB}u;`]),
    '  let mm_akk = mm_k0 + mm_ak;',
    // Out-of-range cells are 0 (select keeps the load in bounds: its index is clamped below).
    `  mm_ta[mm_ak * ${BLOCK / 4}u + mm_am / 4u] = ${quad(
      (r) => (spec.transposeA ? readA(`min(mm_akk, mm_kend - 1u)`, `min(mm_r0 + mm_am + ${r}u, ${M} - 1u)`) : readA(`min(mm_r0 + mm_am + ${r}u, ${M} - 1u)`, `min(mm_akk, mm_kend - 1u)`)),
      (r) => `mm_r0 + mm_am + ${r}u < ${M} && mm_akk < mm_kend`,
    )};`,
    `  let mm_bn = (lidx % ${BLOCK / 4}u) * 4u;`,
    `  let mm_bkk = mm_k0 + lidx / ${BLOCK / 4}u;`,
    `  mm_tb[lidx] = ${quad(
      (r) => readB(`min(mm_bkk, mm_kend - 1u)`, `min(mm_c0 + mm_bn + ${r}u, ${N} - 1u)`),
      (r) => `mm_bkk < mm_kend && mm_c0 + mm_bn + ${r}u < ${N}`,
    )};`,
    '  workgroupBarrier();',
    `  for (var mm_p = 0u; mm_p < ${SLAB}u; mm_p = mm_p + 1u) {`,
    `    let mm_va = mm_ta[mm_p * ${BLOCK / 4}u + lid.y];`,
    `    let mm_vb = mm_tb[mm_p * ${BLOCK / 4}u + lid.x];`,
    ...Array.from({ length: REG }, (_, i) => `    mm_v${i} = mm_v${i} + mm_va.${'xyzw'[i]} * mm_vb;`),
    '  }',
    ...rowsAccumulate(),
    '  workgroupBarrier();',
    '}',
  ];
  const vec4Write = (): string[] =>
    Array.from({ length: REG }, (_, i) => [
      `let mm_row${i} = mm_r0 + lid.y * 4u + ${i}u;`,
      ...Array.from({ length: REG }, (_, j) => {
        const col = `mm_c0 + lid.x * 4u + ${j}u`;
        return `if (mm_row${i} < ${M} && ${col} < ${N}) { $(${spec.write})[(mm_sb * ${M} + mm_row${i}) * ${N} + ${col}] = mm_v${i}.${'xyzw'[j]}; }`;
      }),
    ]).flat();
  body.push(
    ...(spec.a.load ? [] : [`let mm_a = ${base(sa, aMatrix)};`]),
    ...(spec.b.load ? [] : [`let mm_bo = ${base(sb, bMatrix)};`]),
    ...(vec4 ? Array.from({ length: REG }, (_, i) => `var mm_v${i} = vec4<f32>(0.0);`) : pairs.map(([i, j]) => `var ${acc(i, j)} = 0.0;`)),
    ...(spec.rows ? ['var rd_acc = 0.0;'] : []),
    ...(vec4 ? vec4Loop() : [
    `for (var mm_k0 = mm_kbegin; mm_k0 < mm_kend; mm_k0 = mm_k0 + ${SLAB}u) {`,
      // Each thread loads `cells` elements of each slab, stored k-major: mm_ta[k][m], mm_tb[k][n].
      // Neighbouring threads read neighbouring addresses of the operand as it is laid out;
      // out-of-range cells load 0, so partial tiles need no special case in the inner loop.
      `  for (var mm_e = 0u; mm_e < ${cells}u; mm_e = mm_e + 1u) {`,
      `    let mm_i = lidx + mm_e * ${threads}u;`,
      ...(spec.transposeA
        ? [`    let mm_am = mm_i % ${BLOCK}u;`, `    let mm_ak = mm_i / ${BLOCK}u;`]
        : [`    let mm_am = mm_i / ${SLAB}u;`, `    let mm_ak = mm_i % ${SLAB}u;`]),
      '    let mm_arow = mm_r0 + mm_am;',
      '    let mm_akk = mm_k0 + mm_ak;',
      '    var mm_av = 0.0;',
      `    if (mm_arow < ${M} && mm_akk < mm_kend) { mm_av = ${spec.transposeA ? readA('mm_akk', 'mm_arow') : readA('mm_arow', 'mm_akk')}; }`,
      `    mm_ta[mm_ak * ${BLOCK}u + mm_am] = mm_av;`,
      `    let mm_bk = mm_i / ${BLOCK}u;`,
      `    let mm_bn = mm_i % ${BLOCK}u;`,
      '    let mm_bkk = mm_k0 + mm_bk;',
      '    let mm_bcol = mm_c0 + mm_bn;',
      '    var mm_bv = 0.0;',
      `    if (mm_bkk < mm_kend && mm_bcol < ${N}) { mm_bv = ${readB('mm_bkk', 'mm_bcol')}; }`,
      `    mm_tb[mm_bk * ${BLOCK}u + mm_bn] = mm_bv;`,
      '  }',
      '  workgroupBarrier();',
      // Thread (x, y) owns rows y + 16i and columns x + 16j of the tile: conflict-free reads.
      `  for (var mm_p = 0u; mm_p < ${SLAB}u; mm_p = mm_p + 1u) {`,
      ...Array.from({ length: REG }, (_, i) => `    let mm_ra${i} = mm_ta[mm_p * ${BLOCK}u + lid.y + ${TILE * i}u];`),
      ...Array.from({ length: REG }, (_, j) => `    let mm_rb${j} = mm_tb[mm_p * ${BLOCK}u + lid.x + ${TILE * j}u];`),
      ...pairs.map(([i, j]) => `    ${acc(i, j)} = ${acc(i, j)} + mm_ra${i} * mm_rb${j};`),
      '  }',
      ...rowsAccumulate(),
      '  workgroupBarrier();',
      '}',
    ]),
    ...rowsWrite(),
    ...(vec4 ? vec4Write() : [
    ...Array.from({ length: REG }, (_, i) => [
        `let mm_row${i} = mm_r0 + lid.y + ${TILE * i}u;`,
        ...Array.from({ length: REG }, (_, j) => {
          const col = `mm_c0 + lid.x + ${TILE * j}u`;
          return `if (mm_row${i} < ${M} && ${col} < ${N}) { $(${spec.write})[(mm_sb * ${M} + mm_row${i}) * ${N} + ${col}] = ${acc(i, j)}; }`;
        }),
      ]).flat(),
    ]),
  );

  const reads = [...new Set([...(spec.a.load ? [] : [spec.a.id]), ...(spec.b.load ? [] : [spec.b.id]), ...(spec.loaders?.reads ?? [])])];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    ...(spec.rows ? { alsoWrites: [spec.rows.write] } : {}),
    uniformSlots: u.values.length,
    workgroupSize: [TILE, TILE, 1],
    shared: vec4
      ? [
          { name: 'mm_ta', length: (BLOCK * SLAB) / 4, type: 'vec4<f32>' },
          { name: 'mm_tb', length: (BLOCK * SLAB) / 4, type: 'vec4<f32>' },
        ]
      : [
          { name: 'mm_ta', length: BLOCK * SLAB },
          { name: 'mm_tb', length: BLOCK * SLAB },
        ],
    helpers: [...(spec.loaders?.helpers ?? [])],
    body,
  });
  return {
    name: spec.name,
    wgsl,
    reads,
    writes: spec.write,
    ...(spec.rows ? { alsoWrites: [spec.rows.write] } : {}),
    uniforms: u.values,
    workgroupSize: TILE * TILE,
    dispatch: { kind: 'tiles', cols: [n], rows: [m], batch: splits === 1 ? batch : [...batch, { sym: null, num: splits, den: 1 }], tile: [BLOCK, BLOCK] },
  };
}
