// Depthwise k×k convolution over the token grid (FLatten/SAGA's local term on V): tokens are the
// rows of a grid `width` wide, one after another; each output reads its k×k neighbourhood in its
// own channel, zero outside the grid. One invocation per output element; operands through loaders,
// so an inline V (a head split, say) is read in place.
import type { NodeOf } from '../../compiler/ir.js';
import type { KernelSpec } from '../../runtime/plan.js';
import { WORKGROUP } from './elementwise.js';
import { Loaders } from './loaders.js';
import { coordinates, linearIndex, printKernel, Uniforms } from './print.js';
import type { ScanContext as KernelContext } from './scan.js';

export function dwconvKernel(ctx: KernelContext, n: NodeOf<'dwconv'>, out: string): KernelSpec {
  const u = new Uniforms();
  const L = new Loaders(ctx.graph, u, ctx.bufferOf, ctx.label);
  const r = n.shape.length;
  const k = ctx.graph.nodes[n.w].shape[0].num;
  const half = (k - 1) / 2;
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.slot(n.shape)}) { return; }`];
  const c = coordinates(n.shape, 'i', u, body, 'e');
  const N = u.of([n.shape[r - 2]]);
  const at = (token: string) => L.load(n.x, [...c.slice(0, -2), token, c[r - 1]]);
  body.push(
    `let cv_row = i32(${c[r - 2]} / ${n.width}u);`,
    `let cv_col = i32(${c[r - 2]} % ${n.width}u);`,
    'var cv_acc = 0.0;',
    `for (var cv_dy = 0; cv_dy < ${k}; cv_dy = cv_dy + 1) {`,
    `  let cv_r = cv_row + cv_dy - ${half};`,
    `  for (var cv_dx = 0; cv_dx < ${k}; cv_dx = cv_dx + 1) {`,
    `    let cv_q = cv_col + cv_dx - ${half};`,
    `    let cv_m = cv_r * ${n.width} + cv_q;`,
    `    if (cv_r >= 0 && cv_q >= 0 && cv_q < ${n.width} && cv_m < i32(${N})) {`,
    `      cv_acc = cv_acc + ${at('u32(cv_m)')} * ${L.load(n.w, ['u32(cv_dy)', 'u32(cv_dx)', c[r - 1]])};`,
    '    }',
    '  }',
    '}',
    `$(${out})[i] = cv_acc;`,
  );
  const wgsl = printKernel({ header: ctx.header(n), reads: L.reads, write: out, uniformSlots: u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: L.helpers, body });
  return { name: `dwconv_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: WORKGROUP, dispatch: { kind: 'linear', count: n.shape } };
}

/** `patches` on its own (the unfused plan; fused, its readers gather in place): one invocation per output element. */
export function patchesKernel(ctx: KernelContext, n: NodeOf<'patches'>, out: string): KernelSpec {
  const u = new Uniforms();
  const L = new Loaders(ctx.graph, u, ctx.bufferOf, ctx.label);
  const body = [linearIndex(WORKGROUP), `if (i >= ${u.slot(n.shape)}) { return; }`];
  const c = coordinates(n.shape, 'i', u, body, 'e');
  body.push(`$(${out})[i] = ${L.compute(n.id, c)};`);
  const wgsl = printKernel({ header: ctx.header(n), reads: L.reads, write: out, uniformSlots: u.values.length, workgroupSize: [WORKGROUP, 1, 1], helpers: L.helpers, body });
  return { name: `patches_${out}`, wgsl, reads: [...L.reads], writes: out, uniforms: u.values, workgroupSize: WORKGROUP, dispatch: { kind: 'linear', count: n.shape } };
}
