// Kernels for a causal scan, S_t = (a_t 1ᵀ) ⊙ S_{t-1} + k_t v_tᵀ, o_t = q_tᵀ S_t (a = 1 with no
// decay). Column c of S depends only on column c of v, so every kernel works per value column.
//
// recurrent (the unfused form): one invocation per state entry (i, c) walks the tokens and writes
// S_t for every t ([..., N, dk, dv], like an unfused gate); a second kernel reads out q_tᵀ S_t.
//
// chunked (the fused form): one workgroup per (batch, block of SCAN_COLUMNS value columns), one
// thread per token of a chunk. Within a chunk each thread scores its query against the chunk's
// earlier keys, decayed (the masked quadratic form), and sums the values by those scores; across
// chunks the state block is carried in workgroup memory, decayed by the chunk's cumulative decay. Decay magnitudes are multiplied as
// sums of logs (signs apart), walking back from the token that reads them, so for decays in
// (0, 1] every factor is exp(x <= 0): no overflow, no division by a vanishing cumulative product.
import type { Graph, Id, Node, NodeOf } from '../../compiler/ir.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { isLiteral, lit, type Dim } from '../../runtime/shape.js';
import { WORKGROUP } from './elementwise.js';
import { Loaders } from './loaders.js';
import { coordinates, F32_BITS, linearIndex, printKernel, Uniforms } from './print.js';

export interface ScanContext {
  readonly graph: Graph;
  /** The buffer of a value that is not inline. */
  readonly bufferOf: (id: Id) => string;
  readonly label: (id: Id) => string;
  readonly header: (n: Node) => string[];
  /** Allocates a scratch buffer of `shape` (the recurrent form's states). */
  readonly scratch: (n: Node, shape: readonly Dim[], what: string) => string;
}

/**
 * Rows of the state block one workgroup keeps in workgroup memory: 256 × SCAN_COLUMNS floats is
 * the 16 KiB WebGPU guarantees. A larger key head dim cannot run chunked: the kernel then writes
 * NaN, loudly.
 */
export const MAX_SCAN_KEY_DIM = 256;
/** Value columns per workgroup: each decayed score q_t · k_j is computed once for all of them. */
export const SCAN_COLUMNS = 16;

/** The coordinates an operand of `shape` is read at, for coordinates `c` of `space` (numpy broadcasting). */
function broadcastCoords(shape: readonly Dim[], space: readonly Dim[], c: readonly string[]): string[] {
  const pad = space.length - shape.length;
  return shape.map((d, k) => (isLiteral(d, 1) && !isLiteral(space[pad + k], 1) ? '0u' : c[pad + k]));
}

export function scanKernels(ctx: ScanContext, n: NodeOf<'scan'>, out: string): KernelSpec[] {
  return n.form === 'chunked' ? [chunked(ctx, n, out)] : recurrent(ctx, n, out);
}

/** Shapes and loaders shared by both forms. */
function setup(ctx: ScanContext, n: NodeOf<'scan'>) {
  const u = new Uniforms();
  const L = new Loaders(ctx.graph, u, ctx.bufferOf, ctx.label);
  const shapeOf = (id: Id) => ctx.graph.nodes[id].shape;
  const k = shapeOf(n.k);
  const batch = n.shape.slice(0, -2);
  const [tokens, dv] = n.shape.slice(-2);
  const dk = k[k.length - 1];
  const keySpace = [...batch, tokens, dk];
  /** Operand `id` at (batch coords, token, channel) of the key space, or the value space for v. */
  const load = (id: Id, b: readonly string[], t: string, ch: string) => {
    const space = id === n.v ? n.shape : keySpace;
    return L.load(id, broadcastCoords(shapeOf(id), space, [...b, t, ch]));
  };
  return { u, L, batch, tokens, dv, dk, load };
}

function recurrent(ctx: ScanContext, n: NodeOf<'scan'>, out: string): KernelSpec[] {
  const k = ctx.graph.nodes[n.k].shape;
  const states = ctx.scratch(n, [...n.shape.slice(0, -1), k[k.length - 1], n.shape[n.shape.length - 1]], ', the state after every token (recurrent form)');
  // 1. One invocation per (batch, i, c): S[i, c] token by token.
  const a = setup(ctx, n);
  const count = [...a.batch, a.dk, a.dv];
  const N = a.u.of([a.tokens]);
  const DK = a.u.of([a.dk]);
  const DV = a.u.of([a.dv]);
  const body1 = [linearIndex(WORKGROUP), `if (i >= ${a.u.slot(count)}) { return; }`, `let sc_c = i % ${DV};`, `let sc_i = (i / ${DV}) % ${DK};`, `let sc_b = i / (${DK} * ${DV});`];
  const b1 = coordinates(a.batch, 'sc_b', a.u, body1, 'o');
  const decay = (t: string) => (n.decay === undefined ? '' : `${a.load(n.decay, b1, t, 'sc_i')} * `);
  body1.push(
    'var sc_s = 0.0;',
    `for (var sc_t = 0u; sc_t < ${N}; sc_t = sc_t + 1u) {`,
    `  sc_s = ${decay('sc_t')}sc_s + ${a.load(n.k, b1, 'sc_t', 'sc_i')} * ${a.load(n.v, b1, 'sc_t', 'sc_c')};`,
    `  $(${states})[((sc_b * ${N} + sc_t) * ${DK} + sc_i) * ${DV} + sc_c] = sc_s;`,
    '}',
  );
  const k1: KernelSpec = {
    name: `scan_${out}_states`,
    wgsl: printKernel({ header: ctx.header(n), reads: a.L.reads, write: states, uniformSlots: a.u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: a.L.helpers, body: body1 }),
    reads: [...a.L.reads],
    writes: states,
    uniforms: a.u.values,
    workgroupSize: WORKGROUP,
    dispatch: { kind: 'linear', count },
  };
  // 2. One invocation per output (batch, t, c): q_tᵀ S_t[:, c].
  const r = setup(ctx, n);
  const N2 = r.u.of([r.tokens]);
  const DK2 = r.u.of([r.dk]);
  const DV2 = r.u.of([r.dv]);
  const body2 = [linearIndex(WORKGROUP), `if (i >= ${r.u.slot(n.shape)}) { return; }`, `let sc_c = i % ${DV2};`, `let sc_t = (i / ${DV2}) % ${N2};`, `let sc_b = i / (${N2} * ${DV2});`];
  const b2 = coordinates(r.batch, 'sc_b', r.u, body2, 'o');
  body2.push(
    'var sc_o = 0.0;',
    `for (var sc_i = 0u; sc_i < ${DK2}; sc_i = sc_i + 1u) {`,
    `  sc_o = sc_o + ${r.load(n.q, b2, 'sc_t', 'sc_i')} * $(${states})[((sc_b * ${N2} + sc_t) * ${DK2} + sc_i) * ${DV2} + sc_c];`,
    '}',
    `$(${out})[i] = sc_o;`,
  );
  const reads = [...r.L.reads, states];
  const k2: KernelSpec = {
    name: `scan_${out}`,
    wgsl: printKernel({ header: ctx.header(n), reads, write: out, uniformSlots: r.u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: r.L.helpers, body: body2 }),
    reads,
    writes: out,
    uniforms: r.u.values,
    workgroupSize: WORKGROUP,
    dispatch: { kind: 'linear', count: n.shape },
  };
  return [k1, k2];
}

function chunked(ctx: ScanContext, n: NodeOf<'scan'>, out: string): KernelSpec {
  const { u, L, batch, tokens, dv, dk, load } = setup(ctx, n);
  const C = n.chunk;
  const W = SCAN_COLUMNS;
  const N = u.of([tokens]);
  const DK = u.of([dk]);
  const DV = u.of([dv]);
  const groups = [...batch, dv];
  const body = [
    // Workgroup-uniform, so the early returns cannot strand the barriers below.
    'let sc_w = (wid.z * nwg.y + wid.y) * nwg.x + wid.x;',
    `if (sc_w >= ${u.of(groups)}) { return; }`,
    // One workgroup per block of columns; the launch has one per column, the rest leave at once.
    `let sc_c0 = sc_w % ${DV};`,
    `if (sc_c0 % ${W}u != 0u) { return; }`,
    `let sc_b = sc_w / ${DV};`,
  ];
  const b = coordinates(batch, 'sc_b', u, body, 'o');
  const hasDecay = n.decay !== undefined;
  const rows = `min(${DK}, ${MAX_SCAN_KEY_DIM}u)`;
  const k = (t: string) => load(n.k, b, t, 'sc_i');
  const v = (t: string) => load(n.v, b, t, 'sc_c0 + sc_e');
  // Walking back over tokens sc_j: the decay from sc_j to the reading token, as sign and log.
  const decayVars = hasDecay ? ['var sc_lg = 0.0;', 'var sc_sg = 1.0;'] : [];
  const readDecay = hasDecay ? [`let sc_a = ${load(n.decay!, b, 'sc_j', 'sc_i')};`] : [];
  const stepDecay = hasDecay ? ['sc_lg = sc_lg + log(max(abs(sc_a), 1e-30f));', 'sc_sg = sc_sg * sign(sc_a);'] : [];
  const decayed = (x: string) => (hasDecay ? `sc_sg * exp(sc_lg) * ${x}` : x);
  const indent = (pad: string, lines: readonly string[]) => lines.map((l) => pad + l);
  body.push(
    'let sc_cols = min(' + `${W}u, ${DV} - sc_c0);`,
    `for (var sc_e = lidx; sc_e < ${rows} * ${W}u; sc_e = sc_e + ${C}u) { sc_state[sc_e] = 0.0; }`,
    'workgroupBarrier();',
    `for (var sc_t0 = 0u; sc_t0 < ${N}; sc_t0 = sc_t0 + ${C}u) {`,
    `  let sc_end = min(sc_t0 + ${C}u, ${N});`,
    '  let sc_t = sc_t0 + lidx;',
    '  if (sc_t < sc_end) {',
    '    // Scores q_t . k_j decayed from j to t, for the chunk\'s tokens j <= t (the causal mask),',
    '    // and the carried state decayed from the chunk\'s start to t.',
    // Zeroed by hand: a function-scope var in a loop may keep the last iteration's values.
    `    var sc_p: array<f32, ${C}>;`,
    `    var sc_o: array<f32, ${W}>;`,
    `    for (var sc_j = 0u; sc_j < ${C}u; sc_j = sc_j + 1u) { sc_p[sc_j] = 0.0; }`,
    `    for (var sc_e = 0u; sc_e < ${W}u; sc_e = sc_e + 1u) { sc_o[sc_e] = 0.0; }`,
    `    for (var sc_i = 0u; sc_i < ${rows}; sc_i = sc_i + 1u) {`,
    `      let sc_q = ${load(n.q, b, 'sc_t', 'sc_i')};`,
    ...indent('      ', decayVars),
    '      for (var sc_s = sc_t + 1u; sc_s > sc_t0; sc_s = sc_s - 1u) {',
    '        let sc_j = sc_s - 1u;',
    ...indent('        ', readDecay),
    `        sc_p[sc_j - sc_t0] = sc_p[sc_j - sc_t0] + ${decayed(`sc_q * ${k('sc_j')}`)};`,
    ...indent('        ', stepDecay),
    '      }',
    `      let sc_f = ${decayed('sc_q')};`,
    `      for (var sc_e = 0u; sc_e < sc_cols; sc_e = sc_e + 1u) { sc_o[sc_e] = sc_o[sc_e] + sc_f * sc_state[sc_i * ${W}u + sc_e]; }`,
    '    }',
    '    for (var sc_e = 0u; sc_e < sc_cols; sc_e = sc_e + 1u) {',
    '      var sc_x = sc_o[sc_e];',
    `      for (var sc_j = sc_t0; sc_j <= sc_t; sc_j = sc_j + 1u) { sc_x = sc_x + sc_p[sc_j - sc_t0] * ${v('sc_j')}; }`,
    `      $(${out})[(sc_b * ${N} + sc_t) * ${DV} + sc_c0 + sc_e] = select(sc_x, saga_f32_bits(0x7fc00000u), ${DK} > ${MAX_SCAN_KEY_DIM}u);`,
    '    }',
    '  }',
    '  workgroupBarrier();',
    '  // Carry the state block to the end of the chunk, one key channel per thread.',
    `  for (var sc_i = lidx; sc_i < ${rows}; sc_i = sc_i + ${C}u) {`,
    `    var sc_acc: array<f32, ${W}>;`,
    `    for (var sc_e = 0u; sc_e < ${W}u; sc_e = sc_e + 1u) { sc_acc[sc_e] = 0.0; }`,
    ...indent('    ', decayVars),
    '    for (var sc_s = sc_end; sc_s > sc_t0; sc_s = sc_s - 1u) {',
    '      let sc_j = sc_s - 1u;',
    ...indent('      ', readDecay),
    `      let sc_f = ${decayed(k('sc_j'))};`,
    `      for (var sc_e = 0u; sc_e < sc_cols; sc_e = sc_e + 1u) { sc_acc[sc_e] = sc_acc[sc_e] + sc_f * ${v('sc_j')}; }`,
    ...indent('      ', stepDecay),
    '    }',
    '    for (var sc_e = 0u; sc_e < sc_cols; sc_e = sc_e + 1u) {',
    `      sc_state[sc_i * ${W}u + sc_e] = sc_acc[sc_e] + ${decayed(`sc_state[sc_i * ${W}u + sc_e]`)};`,
    '    }',
    '  }',
    '  workgroupBarrier();',
    '}',
  );
  const wgsl = printKernel({
    header: ctx.header(n),
    reads: L.reads,
    write: out,
    uniformSlots: u.values.length,
    workgroupSize: [C, 1, 1],
    shared: [{ name: 'sc_state', length: MAX_SCAN_KEY_DIM * SCAN_COLUMNS }],
    helpers: [...L.helpers, F32_BITS],
    body,
  });
  return { name: `scan_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: C, dispatch: { kind: 'linear', count: [...groups, lit(C)] } };
}
