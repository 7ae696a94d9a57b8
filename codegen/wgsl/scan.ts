// Kernels for a causal scan, S_t = (a_t 1ᵀ) ⊙ S_{t-1} + k_t v_tᵀ, o_t = q_tᵀ S_t (a = 1 with no
// decay). Column c of S depends only on column c of v, so every kernel works per value column.
//
// recurrent (the unfused form): one invocation per state entry (i, c) walks the tokens and writes
// S_t for every t ([..., N, dk, dv], like an unfused gate); a second kernel reads out q_tᵀ S_t.
//
// chunked (the fused form): one workgroup per (batch, value column), one thread per token of a
// chunk. Within a chunk each thread sums the causal, decayed products of its query with the
// chunk's keys (the masked quadratic form); across chunks the state column is carried in
// workgroup memory, decayed by the chunk's cumulative decay. Decay magnitudes are multiplied as
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
 * Rows of the state column one workgroup keeps in workgroup memory (4 KiB of the 16 KiB WebGPU
 * guarantees). A larger key head dim cannot run chunked: the kernel then writes NaN, loudly.
 */
export const MAX_SCAN_KEY_DIM = 1024;

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
  const N = u.of([tokens]);
  const DK = u.of([dk]);
  const DV = u.of([dv]);
  const groups = [...batch, dv];
  const body = [
    // Workgroup-uniform, so the early return cannot strand the barriers below.
    'let sc_w = wid.y * nwg.x + wid.x;',
    `if (sc_w >= ${u.of(groups)}) { return; }`,
    `let sc_c = sc_w % ${DV};`,
    `let sc_b = sc_w / ${DV};`,
  ];
  const b = coordinates(batch, 'sc_b', u, body, 'o');
  const hasDecay = n.decay !== undefined;
  // Adds token sc_j's contribution to sc_acc, then steps the log decay back past it.
  const step = (indent: string) =>
    [
      'let sc_j = sc_s - 1u;',
      ...(hasDecay ? [`let sc_a = ${load(n.decay!, b, 'sc_j', 'sc_i')};`] : []),
      `sc_acc = sc_acc + ${hasDecay ? 'sc_sg * exp(sc_lg) * ' : ''}${load(n.k, b, 'sc_j', 'sc_i')} * ${load(n.v, b, 'sc_j', 'sc_c')};`,
      ...(hasDecay ? ['sc_lg = sc_lg + log(max(abs(sc_a), 1e-30f));', 'sc_sg = sc_sg * sign(sc_a);'] : []),
    ].map((l) => indent + l);
  const carried = hasDecay ? 'sc_sg * exp(sc_lg) * sc_state' : 'sc_state';
  const rows = `min(${DK}, ${MAX_SCAN_KEY_DIM}u)`;
  body.push(
    `for (var sc_i = lidx; sc_i < ${rows}; sc_i = sc_i + ${C}u) { sc_state[sc_i] = 0.0; }`,
    'workgroupBarrier();',
    `for (var sc_t0 = 0u; sc_t0 < ${N}; sc_t0 = sc_t0 + ${C}u) {`,
    `  let sc_end = min(sc_t0 + ${C}u, ${N});`,
    '  let sc_t = sc_t0 + lidx;',
    '  // Token sc_t: its causal products within the chunk, plus the carried state decayed to it.',
    '  if (sc_t < sc_end) {',
    '    var sc_o = 0.0;',
    `    for (var sc_i = 0u; sc_i < ${rows}; sc_i = sc_i + 1u) {`,
    '      var sc_acc = 0.0;',
    ...(hasDecay ? ['      var sc_lg = 0.0;', '      var sc_sg = 1.0;'] : []),
    '      for (var sc_s = sc_t + 1u; sc_s > sc_t0; sc_s = sc_s - 1u) {',
    ...step('        '),
    '      }',
    `      sc_o = sc_o + ${load(n.q, b, 'sc_t', 'sc_i')} * (sc_acc + ${carried.replace('sc_state', 'sc_state[sc_i]')});`,
    '    }',
    `    $(${out})[(sc_b * ${N} + sc_t) * ${DV} + sc_c] = select(sc_o, saga_f32_bits(0x7fc00000u), ${DK} > ${MAX_SCAN_KEY_DIM}u);`,
    '  }',
    '  workgroupBarrier();',
    '  // Carry the state column to the end of the chunk.',
    `  for (var sc_i = lidx; sc_i < ${rows}; sc_i = sc_i + ${C}u) {`,
    '    var sc_acc = 0.0;',
    ...(hasDecay ? ['    var sc_lg = 0.0;', '    var sc_sg = 1.0;'] : []),
    '    for (var sc_s = sc_end; sc_s > sc_t0; sc_s = sc_s - 1u) {',
    ...step('      '),
    '    }',
    `    sc_state[sc_i] = sc_acc + ${carried.replace('sc_state', 'sc_state[sc_i]')};`,
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
    shared: [{ name: 'sc_state', length: MAX_SCAN_KEY_DIM }],
    helpers: [...L.helpers, F32_BITS],
    body,
  });
  return { name: `scan_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: C, dispatch: { kind: 'linear', count: [...groups, lit(C)] } };
}
