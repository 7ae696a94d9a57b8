// Fused softmax attention (FlashAttention-2's recurrence, one query row per invocation, 64 rows a
// workgroup): for each tile of KEY_TILE keys, the scores s = q·k · scale, the tile's new running
// max m, then the running sum l and the accumulator rescaled by exp(m_old - m) before the tile's
// exp(s - m)·v are added. The [Nq, Nk] scores exist only KEY_TILE at a time, in registers.
// Output channels go in chunks of CHANNELS (the accumulator's size): any dv works, a dv over
// CHANNELS re-runs the key loop per chunk. q, k, v go through loaders, so a head split is read in place.
import type { NodeOf } from '../../compiler/ir.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { WORKGROUP } from './elementwise.js';
import { Loaders } from './loaders.js';
import { coordinates, f32Literal, linearIndex, printKernel, Uniforms } from './print.js';
import type { ScanContext as KernelContext } from './scan.js';

const KEY_TILE = 16;
const CHANNELS = 128;

export function attentionKernel(ctx: KernelContext, n: NodeOf<'attention'>, out: string): KernelSpec {
  const u = new Uniforms();
  const L = new Loaders(ctx.graph, u, ctx.bufferOf, ctx.label);
  const shapeOf = (id: number) => ctx.graph.nodes[id].shape;
  const q = shapeOf(n.q);
  const r = q.length;
  const rows = q.slice(0, -1); // [..., Nq]: one invocation each
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.slot(rows)}) { return; }`];
  const c = coordinates(rows, 'i', u, body, 'e');
  const lead = c.slice(0, -1);
  const D = u.of([q[r - 1]]);
  const NK = u.of([shapeOf(n.k)[r - 2]]);
  const DV = u.of([n.shape[r - 1]]);
  body.push(
    `for (var at_c0 = 0u; at_c0 < ${DV}; at_c0 = at_c0 + ${CHANNELS}u) {`,
    `  let at_cw = min(${CHANNELS}u, ${DV} - at_c0);`,
    `  var at_m = ${f32Literal(-3.4e38)}; // running max (finite, so exp(at_m - new max) is 0 at the start)`,
    '  var at_l = 0.0; // running sum of exp(s - at_m)',
    `  var at_acc: array<f32, ${CHANNELS}>;`,
    `  for (var j0 = 0u; j0 < ${NK}; j0 = j0 + ${KEY_TILE}u) {`,
    `    let at_jn = min(${KEY_TILE}u, ${NK} - j0);`,
    `    var at_s: array<f32, ${KEY_TILE}>;`,
    '    var at_tm = at_m;',
    '    for (var t = 0u; t < at_jn; t = t + 1u) {',
    '      var dot = 0.0;',
    `      for (var ch = 0u; ch < ${D}; ch = ch + 1u) { dot = dot + ${L.load(n.q, [...lead, c[r - 2], 'ch'])} * ${L.load(n.k, [...lead, 'j0 + t', 'ch'])}; }`,
    `      at_s[t] = dot * ${f32Literal(n.scale)};`,
    '      at_tm = max(at_tm, at_s[t]);',
    '    }',
    '    // Rescale what was summed under the old max, once per key tile.',
    '    let at_corr = exp(at_m - at_tm);',
    '    at_l = at_l * at_corr;',
    '    for (var ch = 0u; ch < at_cw; ch = ch + 1u) { at_acc[ch] = at_acc[ch] * at_corr; }',
    '    for (var t = 0u; t < at_jn; t = t + 1u) {',
    '      let p = exp(at_s[t] - at_tm);',
    '      at_l = at_l + p;',
    `      for (var ch = 0u; ch < at_cw; ch = ch + 1u) { at_acc[ch] = at_acc[ch] + p * ${L.load(n.v, [...lead, 'j0 + t', 'at_c0 + ch'])}; }`,
    '    }',
    '    at_m = at_tm;',
    '  }',
    `  for (var ch = 0u; ch < at_cw; ch = ch + 1u) { $(${out})[i * ${DV} + at_c0 + ch] = at_acc[ch] / at_l; }`,
    '}',
  );
  const wgsl = printKernel({ header: ctx.header(n), reads: L.reads, write: out, uniformSlots: u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: L.helpers, body });
  return { name: `attention_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: WORKGROUP, dispatch: { kind: 'linear', count: rows } };
}
