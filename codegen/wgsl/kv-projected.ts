// The KV reduction with its projections inside (fuse-kv-projections): a workgroup takes a range of
// tokens and one 64x64 tile of the state S = Σ_t A_t B_tᵀ of one batch element and head, and for
// every 64 tokens of its range
//   1. multiplies x's tile [64 tokens, C] by the weights of both sides (the head's columns of this
//      tile: 4 tokens x 4 columns a thread and weight, 16-deep slabs of x and the weights in
//      workgroup memory, each slab's steps written out), as the joint matmul kernels do;
//   2. applies each side's epilogue to its accumulators (a = sigmoid(x @ w_a + b_a) ⊙ relu(x @ w_k))
//      and stores the two [64, 64] value tiles in workgroup memory, over the spent slabs;
//   3. adds their product Aᵀ B to the state tile it keeps in registers (4x4 a thread), and A's
//      column sums to z, the token sum the reduction hosts.
// It writes one partial state per token range (and z's), which partialSumsKernel adds up. 32 KiB
// of workgroup memory; up to 9 storage buffers (x, four weights, two biases, two partials).
import type { KernelSpec } from '../../runtime/plan.js';
import { lit, type Dim } from '../../runtime/shape.js';
import type { MatmulSchedule } from './matmul.js';
import { printKernel, type HelperFn, type Uniforms } from './print.js';

/** Tokens a workgroup projects and reduces per step. */
const TOKENS = 64;
/** Rows and columns of the state tile a workgroup keeps. */
const TILE = 64;
const SLAB = 16;
/** vec4 slots of the x slab's rows (padded by one against bank conflicts on store). */
const XROW = TOKENS / 4 + 1;

export interface KvSide {
  /** The weights ([C, columns]), the group's lead first. */
  readonly weights: readonly string[];
  /** Columns of the weights (heads · d). */
  readonly columns: Dim;
  /** The side's value at coords `[...lead, token, channel]` from one accumulator per weight. */
  readonly value: (coords: readonly string[], accs: readonly string[]) => string;
}

export interface KvProjectedSpec {
  readonly name: string;
  readonly header: readonly string[];
  /** x: `[...xlead, N, C]`. */
  readonly x: { readonly id: string; readonly shape: readonly Dim[] };
  readonly a: KvSide;
  readonly b: KvSide;
  /** The state's shape `[...lead, dA, dB]`; `heads` when lead ends in a head axis the epilogues split. */
  readonly shape: readonly Dim[];
  readonly heads?: number;
  readonly splits: number;
  /**
   * How the token ranges share the 64-token steps: `whole` (default) ⌈steps / splits⌉ each, the
   * last ranges left empty where that runs out; `even` ⌊steps / splits⌋ or one more, every range
   * working (any split count then uses the whole grid: tuning tries counts that are no power of 2).
   */
  readonly ranges?: 'whole' | 'even';
  /** Default `pipelined`; `unrolled` is `pipelined` here (a slab's steps are always written out). */
  readonly schedule?: MatmulSchedule;
  /** S's partials `[splits, ...lead, dA, dB]`. */
  readonly write: string;
  /** z's partials `[splits, ...lead, 1, dA]`, where the reduction hosts z. */
  readonly z?: string;
  /** With one token range the kernel writes S and z themselves: divided by these token counts for a mean. */
  readonly divideBy?: { readonly s?: Dim; readonly z?: Dim };
  readonly loaders: { readonly helpers: readonly HelperFn[]; readonly reads: readonly string[] };
  readonly uniforms: Uniforms;
  /**
   * The weights' rows and the state's sides are multiples of 4 (CodegenOptions.dims): weights are
   * declared as vec4s and a thread's 4 columns of a slab are one load.
   */
  readonly vec4Weights?: boolean;
}

export function kvProjectedKernel(spec: KvProjectedSpec): KernelSpec {
  const u = spec.uniforms;
  const lead = spec.shape.slice(0, -2);
  const [dA, dB] = spec.shape.slice(-2);
  const [N, C] = spec.x.shape.slice(-2).map((d) => u.of([d]));
  const DA = u.of([dA]);
  const DB = u.of([dB]);
  const LEAD = u.of(lead);
  const S = spec.splits;
  const pipelined = spec.schedule !== 'simple';
  const lanes = [0, 1, 2, 3];
  const xyzw = 'xyzw';
  const weights = [...spec.a.weights, ...spec.b.weights];
  const vecW = (spec.vec4Weights ?? false) && !weights.some((w) => w === spec.x.id || spec.loaders.reads.includes(w));
  const W0 = SLAB * XROW;
  // Lead coordinates of this workgroup's state (i0, i1, ...), the head its columns belong to,
  // and x's batch element.
  const leadCoords = lead.map((_, d) => `i${d}`);
  const decode = ['var r = kv_b;'];
  for (let d = lead.length - 1; d >= 1; d--) decode.push(`let i${d} = r % ${u.of([lead[d]])};`, `r = r / ${u.of([lead[d]])};`);
  decode.push('let i0 = r;');
  const head = spec.heads ? `i${lead.length - 1}` : '0u';
  const xBatch = spec.heads ? `(kv_b / ${spec.heads}u)` : 'kv_b';
  const side = (s: KvSide, p0: number, c0: string, d: string, first: string) => ({ s, p0, c0, d, first });
  const sides = [side(spec.a, 0, 'kv_ca', DA, 'kv_i0'), side(spec.b, spec.a.weights.length, 'kv_cb', DB, 'kv_j0')];
  const acc = (p: number, r: number) => `kv_acc${p}_${r}`;
  // As partialSumsKernel divides a mean, so that one range gives the same floats as the two kernels.
  const scaled = (v: string, by: Dim | undefined) => (by ? `${v} / f32(${u.of([by])})` : v);

  // The slab at k0 into registers (kv_rx: 4 tokens at one k; kv_rw<p>: 4 columns at one k of
  // weight p), issued before the previous slab's multiply-adds so their latency hides behind them.
  // A step and slab wholly inside x and the weights' tile (workgroup-uniform) reads without
  // clamps or selects.
  const xAt = (r: number, k: string) => `$(${spec.x.id})[kv_x + (kv_xt + ${r}u) * ${C} + ${k}]`;
  const wAt = (w: string, cols: string, k: string, c0: string, c: number) => `$(${w})[(${k}) * ${cols} + ${c0} + kv_wc + ${c}u]`;
  // With vecW a thread's 4 columns (from a multiple of 4) are in range together or not at all.
  const wAt4 = (w: string, cols: string, k: string, c0: string) => `$(${w})[((${k}) * ${cols} + ${c0} + kv_wc) / 4u]`;
  const load = (k0: string): string[] => {
    const vec = (parts: string[]) => `vec4<f32>(${parts.join(', ')})`;
    const plain = [
      `kv_rx = ${vec(lanes.map((r) => xAt(r, `${k0} + kv_xk`)))};`,
      ...sides.flatMap(({ s, p0, c0 }) =>
        s.weights.map((w, i) => `kv_rw${p0 + i} = ${vecW ? wAt4(w, u.of([s.columns]), `${k0} + kv_wk`, c0) : vec(lanes.map((c) => wAt(w, u.of([s.columns]), `${k0} + kv_wk`, c0, c)))};`),
      ),
    ];
    const checked = [
      `let kv_kx = ${k0} + kv_xk;`,
      `kv_rx = ${vec(lanes.map((r) => `select(0.0, $(${spec.x.id})[kv_x + min(kv_xt + ${r}u, ${N} - 1u) * ${C} + min(kv_kx, ${C} - 1u)], kv_xt + ${r}u < kv_tend && kv_kx < ${C})`))};`,
      `let kv_kw = ${k0} + kv_wk;`,
      ...sides.flatMap(({ s, p0, c0, d, first }) => {
        const cols = u.of([s.columns]);
        if (vecW) {
          const at = `(min(kv_kw, ${C} - 1u) * ${cols} + min(${c0} + kv_wc, ${cols} - 4u)) / 4u`;
          return s.weights.map((w, i) => `kv_rw${p0 + i} = select(vec4<f32>(0.0), $(${w})[${at}], kv_kw < ${C} && ${first} + kv_wc < ${d});`);
        }
        return s.weights.map(
          (w, i) =>
            `kv_rw${p0 + i} = ${vec(lanes.map((c) => `select(0.0, $(${w})[min(kv_kw, ${C} - 1u) * ${cols} + min(${c0} + kv_wc + ${c}u, ${cols} - 1u)], kv_kw < ${C} && ${first} + kv_wc + ${c}u < ${d})`))};`,
        );
      }),
    ];
    return [`if (kv_inner && ${k0} + ${SLAB}u <= ${C}) {`, ...plain.map((l) => `  ${l}`), '} else {', ...checked.map((l) => `  ${l}`), '}'];
  };
  const store = [`sh[kv_xk * ${XROW}u + lidx / 16u] = kv_rx;`, ...weights.map((_, p) => `sh[${W0 + p * 256}u + lidx] = kv_rw${p};`)];
  // The slab's 16 steps written out, not a loop: the block 3.4-5.9% faster at every 1280² row on
  // the H200 than with the loop (bench/results/kv-unrolled-*).
  const multiply = Array.from({ length: SLAB }, (_, k) => [
    '{',
    `  let kv_va = sh[${k * XROW}u + lid.y];`,
    ...weights.map((_, p) => `  let kv_w${p} = sh[${W0 + p * 256 + k * 16}u + lid.x];`),
    ...weights.flatMap((_, p) => lanes.map((r) => `  ${acc(p, r)} = fma(vec4<f32>(kv_va.${xyzw[r]}), kv_w${p}, ${acc(p, r)});`)),
    '}',
  ]).flat();
  // The side's value tile into workgroup memory at `base`: token rows, vec4s of 4 channels.
  const values = ({ s, p0, d, first }: (typeof sides)[number], base: number) =>
    lanes.map((r) => {
      const token = `kv_t0 + lid.y * 4u + ${r}u`;
      const cell = (c: number) => {
        const ch = `${first} + lid.x * 4u + ${c}u`;
        const accs = s.weights.map((_, i) => `${acc(p0 + i, r)}.${xyzw[c]}`);
        return `select(0.0, ${s.value([...leadCoords, `min(${token}, ${N} - 1u)`, `min(${ch}, ${d} - 1u)`], accs)}, ${token} < kv_tend && ${ch} < ${d})`;
      };
      return `sh[${base}u + (lid.y * 4u + ${r}u) * 16u + lid.x] = vec4<f32>(${lanes.map(cell).join(', ')});`;
    });
  const body = [
    `let kv_itiles = (${DA} + ${TILE - 1}u) / ${TILE}u;`,
    // Workgroup-uniform, so returning here cannot strand a barrier below.
    'let kv_t = wid.z * nwg.y + wid.y;',
    `if (kv_t >= kv_itiles * ${LEAD} * ${S}u) { return; }`,
    `let kv_i0 = (kv_t % kv_itiles) * ${TILE}u;`,
    'let kv_sb = kv_t / kv_itiles;',
    `let kv_b = kv_sb % ${LEAD};`,
    `let kv_split = kv_sb / ${LEAD};`,
    `let kv_j0 = wid.x * ${TILE}u;`,
    ...decode,
    `let kv_x = ${xBatch} * ${N} * ${C};`,
    `let kv_ca = ${head} * ${DA} + kv_i0;`,
    `let kv_cb = ${head} * ${DB} + kv_j0;`,
    // Ranges of whole 64-token steps: no range ends in a step it shares with the next.
    ...(spec.ranges === 'even'
      ? [
          `let kv_steps = (${N} + ${TOKENS - 1}u) / ${TOKENS}u;`,
          `let kv_tbegin = ((kv_split * kv_steps) / ${S}u) * ${TOKENS}u;`,
          `let kv_tend = min(${N}, (((kv_split + 1u) * kv_steps) / ${S}u) * ${TOKENS}u);`,
        ]
      : [
          `let kv_span = ((${N} + ${S * TOKENS - 1}u) / ${S * TOKENS}u) * ${TOKENS}u;`,
          'let kv_tbegin = kv_split * kv_span;',
          `let kv_tend = min(${N}, kv_tbegin + kv_span);`,
        ]),
    ...lanes.map((r) => `var kv_s${r} = vec4<f32>(0.0);`),
    'var kv_z = vec4<f32>(0.0);',
    // This thread's slots in the slabs: x at (k = kv_xk, tokens kv_xt..+3), weights at (k = kv_wk, columns kv_wc..+3).
    'let kv_xk = lidx % 16u;',
    'let kv_wk = lidx / 16u;',
    'let kv_wc = (lidx % 16u) * 4u;',
    'var kv_rx = vec4<f32>(0.0);',
    ...weights.map((_, p) => `var kv_rw${p} = vec4<f32>(0.0);`),
    `for (var kv_t0 = kv_tbegin; kv_t0 < kv_tend; kv_t0 = kv_t0 + ${TOKENS}u) {`,
    ...weights.flatMap((_, p) => lanes.map((r) => `  var ${acc(p, r)} = vec4<f32>(0.0);`)),
    '  let kv_xt = kv_t0 + (lidx / 16u) * 4u;',
    `  let kv_inner = kv_t0 + ${TOKENS}u <= kv_tend && kv_i0 + ${TILE}u <= ${DA} && kv_j0 + ${TILE}u <= ${DB};`,
    ...(pipelined ? load('0u').map((l) => `  ${l}`) : []),
    `  for (var kv_k0 = 0u; kv_k0 < ${C}; kv_k0 = kv_k0 + ${SLAB}u) {`,
    ...(pipelined ? [] : load('kv_k0').map((l) => `    ${l}`)),
    ...store.map((l) => `    ${l}`),
    '    workgroupBarrier();',
    ...(pipelined ? [`    if (kv_k0 + ${SLAB}u < ${C}) {`, ...load(`kv_k0 + ${SLAB}u`).map((l) => `      ${l}`), '    }'] : []),
    ...multiply.map((l) => `    ${l}`),
    '    workgroupBarrier();',
    '  }',
    // The slabs are spent: the value tiles take their memory.
    ...values(sides[0], 0).map((l) => `  ${l}`),
    ...values(sides[1], (TOKENS * TILE) / 4).map((l) => `  ${l}`),
    '  workgroupBarrier();',
    `  for (var kv_u = 0u; kv_u < ${TOKENS}u; kv_u = kv_u + 1u) {`,
    '    let kv_a = sh[kv_u * 16u + lid.y];',
    `    let kv_v = sh[${(TOKENS * TILE) / 4}u + kv_u * 16u + lid.x];`,
    ...lanes.map((r) => `    kv_s${r} = kv_s${r} + kv_a.${xyzw[r]} * kv_v;`),
    '    kv_z = kv_z + kv_a;',
    '  }',
    '  workgroupBarrier();',
    '}',
    ...lanes.flatMap((r) => [
      `let kv_row${r} = kv_i0 + lid.y * 4u + ${r}u;`,
      ...lanes.map((c) => `if (kv_row${r} < ${DA} && kv_j0 + lid.x * 4u + ${c}u < ${DB}) { $(${spec.write})[((kv_split * ${LEAD} + kv_b) * ${DA} + kv_row${r}) * ${DB} + kv_j0 + lid.x * 4u + ${c}u] = ${scaled(`kv_s${r}.${xyzw[c]}`, spec.divideBy?.s)}; }`),
    ]),
    ...(spec.z
      ? [
          `if (wid.x == 0u && lid.x == 0u) {`,
          ...lanes.map((r) => `  if (kv_row${r} < ${DA}) { $(${spec.z})[(kv_split * ${LEAD} + kv_b) * ${DA} + kv_row${r}] = ${scaled(`kv_z.${xyzw[r]}`, spec.divideBy?.z)}; }`),
          '}',
        ]
      : []),
  ];
  const reads = [...new Set([spec.x.id, ...weights, ...spec.loaders.reads])];
  const shared = (2 * TOKENS * TILE) / 4;
  if (W0 + weights.length * 256 > shared) throw new Error(`${spec.name}: ${weights.length} weights' slabs do not fit the value tiles' memory`);
  const alsoWrites = spec.z ? [spec.z] : [];
  const wgsl = printKernel({
    header: spec.header,
    reads,
    write: spec.write,
    ...(alsoWrites.length ? { alsoWrites } : {}),
    ...(vecW ? { vec4: weights } : {}),
    uniformSlots: u.values.length,
    workgroupSize: [16, 16, 1],
    shared: [{ name: 'sh', length: shared, type: 'vec4<f32>' }],
    helpers: [...spec.loaders.helpers],
    body,
  });
  return {
    name: spec.name,
    wgsl,
    reads,
    writes: spec.write,
    ...(alsoWrites.length ? { alsoWrites } : {}),
    uniforms: u.values,
    workgroupSize: 256,
    dispatch: { kind: 'tiles', cols: [dB], rows: [dA], batch: [...lead, lit(S)], tile: [TILE, TILE] },
  };
}
