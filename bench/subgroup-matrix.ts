// WGSL for the subgroup-matrix probe (bench/scripts/subgroup-matrix-probe.mjs): Dawn's experimental
// `chromium-experimental-subgroup-matrix` (tensor cores through VK_KHR_cooperative_matrix), f16
// operands with float32 results, and float32 products out of f16 by splitting each operand into
// hi + lo. Nothing in src uses these yet: see docs/benchmarks.md, "Matrix units".

/** What every kernel here enables. */
export const HEADER = 'enable f16;\nenable subgroups;\nenable chromium_experimental_subgroup_matrix;\n';

/**
 * x = hi + lo / scale, both f16. `bits` rounds x to 11 significant bits by its bit pattern;
 * `convert` writes it as f16(x) and x - f32(f16(x)), which a compiler may fold to x - x = 0
 * (on the H200 it did: the correction terms then add nothing). Needs shader-f16 only.
 */
export interface Split {
  readonly mode: 'bits' | 'convert';
  readonly scale: number;
}

export function splitKernel({ mode, scale }: Split): string {
  const hi = mode === 'bits' ? 'bitcast<f32>((bitcast<u32>(x) + 0x1000u) & 0xffffe000u)' : 'f32(f16(x))';
  return `enable f16;
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Xh: array<f16>;
@group(0) @binding(2) var<storage, read_write> Xl: array<f16>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let i = id.x + id.y * nw.x * 256u;
  if (i >= arrayLength(&X)) { return; }
  let x = X[i];
  let hi = ${hi};
  Xh[i] = f16(hi);
  Xl[i] = f16((x - hi) * ${scale.toFixed(1)});
}`;
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/**
 * Multiply-adds into four results from fragments loaded once: the matrix units' rate with no
 * memory traffic. One subgroup (32 invocations) a workgroup, `iters` rounds.
 */
export function peakKernel({ m, n, k, iters }: { m: number; n: number; k: number; iters: number }): string {
  const left = `subgroup_matrix_left<f16, ${k}, ${m}>`, right = `subgroup_matrix_right<f16, ${n}, ${k}>`;
  return `${HEADER}
@group(0) @binding(0) var<storage, read_write> o: array<f32>;
var<workgroup> w: array<f16, 2048>;
@compute @workgroup_size(32) fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) g: vec3u) {
  w[li] = f16(f32(li) * 0.001);
  workgroupBarrier();
  let l0 = subgroupMatrixLoad<${left}, row_major>(&w, 0u, ${k}u);
  let l1 = subgroupMatrixLoad<${left}, row_major>(&w, 16u, ${k}u);
  let r0 = subgroupMatrixLoad<${right}, row_major>(&w, 32u, ${n}u);
  let r1 = subgroupMatrixLoad<${right}, row_major>(&w, 48u, ${n}u);
  var c0 = subgroup_matrix_result<f32, ${n}, ${m}>(); var c1 = c0; var c2 = c0; var c3 = c0;
  for (var i = 0u; i < ${iters}u; i++) {
    c0 = subgroupMatrixMultiplyAccumulate(l0, r0, c0); c1 = subgroupMatrixMultiplyAccumulate(l0, r1, c1);
    c2 = subgroupMatrixMultiplyAccumulate(l1, r0, c2); c3 = subgroupMatrixMultiplyAccumulate(l1, r1, c3);
  }
${lines(4, (i) => `  subgroupMatrixStore<row_major>(&o, g.x * ${4 * m * n}u + ${i * m * n}u, c${i}, ${n}u);`)}
}`;
}

/**
 * C (M×N, float32) = A (M×K) · B (K×N), row-major, from operands already split into f16 hi and
 * lo in storage. One subgroup a workgroup, each with TM×TN result tiles: Dawn requires a
 * subgroup-matrix builtin's pointer and offset to be uniform over the workgroup, so subgroups of
 * one workgroup cannot each take their own tile.
 * terms: 1 (hi·hi: f16 precision), 3 (hi·hi, then hi·lo + lo·hi in a second result, lo scaled by
 * `scale`), 'folded' (all three into one result; lo unscaled, split with scale 1).
 * load: 'direct' (fragments straight from storage), 'pipelined' (the same, the next step's
 * fragments loaded before this step's products), 'staged' (32-deep slabs copied to workgroup
 * memory 16 bytes a lane, fragments loaded from there).
 */
export interface GemmOptions {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly TM: number;
  readonly TN: number;
  readonly terms: 1 | 3 | 'folded';
  readonly scale: number;
  readonly load?: 'direct' | 'pipelined' | 'staged';
  /** B's layout in storage: K×N row-major, or 'col' (N×K row-major: B transposed); not with 'staged'. */
  readonly bLayout?: 'row' | 'col';
}

const BK = 32;

/** The kernel, the f16 operands it binds in order (then C, then the sizes), and its tile. */
export function gemmKernel({ m, n, k, TM, TN, terms, scale, load = 'direct', bLayout = 'row' }: GemmOptions): { bindings: string[]; rows: number; cols: number; code: string } {
  if (load === 'staged' && bLayout === 'col') throw new Error("gemmKernel: staged slabs read B row-major; bLayout 'col' is for direct or pipelined loads");
  const S = m * n, two = terms === 3, withLo = terms !== 1;
  const left = `subgroup_matrix_left<f16, ${k}, ${m}>`, right = `subgroup_matrix_right<f16, ${n}, ${k}>`;
  const result = `subgroup_matrix_result<f32, ${n}, ${m}>`;
  const tiles: [number, number][] = [];
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN; j++) tiles.push([i, j]);
  const mma = (a: string, b: string, c: string) => `${c} = subgroupMatrixMultiplyAccumulate(${a}, ${b}, ${c});`;
  const bindings = ['Ah', ...(withLo ? ['Al'] : []), 'Bh', ...(withLo ? ['Bl'] : [])];
  const parts = (x: string) => [`${x}h`, ...(withLo ? [`${x}l`] : [])];
  const R = TM * m, Cc = TN * n;
  // Fragment loads for step `at`: from storage (row0/col0 and k offset `kx`), or from the slab.
  const fragments = (prefix: string, kx: string, decl: string) => [
    ...parts('a').map((x) => lines(TM, (i) => `    ${decl}${prefix}${x}${i} = ${load === 'staged'
      ? `subgroupMatrixLoad<${left}, row_major>(&s${x}, ${i * m * BK}u + ${kx}, ${BK}u)`
      : `subgroupMatrixLoad<${left}, row_major>(&A${x.slice(1)}, (row0 + ${i * m}u) * p.K + ${kx}, p.K)`};`)),
    ...parts('b').map((x) => lines(TN, (j) => `    ${decl}${prefix}${x}${j} = ${load === 'staged'
      ? `subgroupMatrixLoad<${right}, row_major>(&s${x}, ${kx} * ${Cc}u + ${j * n}u, ${Cc}u)`
      : bLayout === 'col'
        ? `subgroupMatrixLoad<${right}, col_major>(&B${x.slice(1)}, (col0 + ${j * n}u) * p.K + ${kx}, p.K)`
        : `subgroupMatrixLoad<${right}, row_major>(&B${x.slice(1)}, ${kx} * p.N + col0 + ${j * n}u, p.N)`};`)),
  ].join('\n');
  const products = tiles.map(([i, j]) => {
    const acc = two ? `c${i}_${j}` : `m${i}_${j}`;
    return `    ${mma(`ah${i}`, `bh${j}`, `m${i}_${j}`)}${withLo ? ` ${mma(`ah${i}`, `bl${j}`, acc)} ${mma(`al${i}`, `bh${j}`, acc)}` : ''}`;
  }).join('\n');
  const names = [...parts('a').flatMap((x) => Array.from({ length: TM }, (_, i) => `${x}${i}`)), ...parts('b').flatMap((x) => Array.from({ length: TN }, (_, j) => `${x}${j}`))];
  // A 16-byte storage word into 8 halves of a slab.
  const put = (dst: string, at: string, v: string) => [0, 1, 2, 3].map((w) => `let w${w} = bitcast<vec2<f16>>(${v}.${'xyzw'[w]}); ${dst}[${at} + ${2 * w}u] = w${w}.x; ${dst}[${at} + ${2 * w + 1}u] = w${w}.y;`).join(' ');
  let body: string;
  if (load === 'direct') body = `  for (var k0 = 0u; k0 < p.K; k0 += ${k}u) {\n${fragments('', 'k0', 'let ')}\n${products}\n  }`;
  else if (load === 'pipelined') body = `${fragments('', '0u', 'var ')}
  for (var k0 = 0u; k0 < p.K; k0 += ${k}u) {
    let kn = min(k0 + ${k}u, p.K - ${k}u);
${fragments('n', 'kn', 'let ')}
${products}
${names.map((x) => `    ${x} = n${x};`).join('\n')}
  }`;
  else body = `  for (var k0 = 0u; k0 < p.K; k0 += ${BK}u) {
    for (var t = 0u; t < ${(R * BK) / 8 / 32}u; t++) {
      let e = lane + 32u * t; let r = e / ${BK / 8}u; let c = e % ${BK / 8}u;
      let src = ((row0 + r) * p.K + k0) / 8u + c; let at = r * ${BK}u + c * 8u;
${parts('a').map((x) => `      { let v = A${x.slice(1)}v[src]; ${put(`s${x}`, 'at', 'v')} }`).join('\n')}
    }
    for (var t = 0u; t < ${(BK * Cc) / 8 / 32}u; t++) {
      let e = lane + 32u * t; let r = e / ${Cc / 8}u; let c = e % ${Cc / 8}u;
      let src = ((k0 + r) * p.N + col0) / 8u + c; let at = r * ${Cc}u + c * 8u;
${parts('b').map((x) => `      { let v = B${x.slice(1)}v[src]; ${put(`s${x}`, 'at', 'v')} }`).join('\n')}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk += ${k}u) {
${fragments('', 'kk', 'let ')}
${products}
    }
    workgroupBarrier();
  }`;
  const declare = load === 'staged'
    ? `${bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, read> ${b}v: array<vec4u>;`).join('\n')}
${parts('a').map((x) => `var<workgroup> s${x}: array<f16, ${R * BK}>;`).join('\n')}
${parts('b').map((x) => `var<workgroup> s${x}: array<f16, ${BK * Cc}>;`).join('\n')}`
    : bindings.map((b, i) => `@group(0) @binding(${i}) var<storage, read> ${b}: array<f16>;`).join('\n');
  return {
    bindings,
    rows: R,
    cols: Cc,
    code: `${HEADER}
struct P { M: u32, N: u32, K: u32 }
${declare}
@group(0) @binding(${bindings.length}) var<storage, read_write> C: array<f32>;
@group(0) @binding(${bindings.length + 1}) var<uniform> p: P;
var<workgroup> scratch: array<f32, ${2 * S}>;
@compute @workgroup_size(32) fn main(@builtin(workgroup_id) g: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let row0 = g.y * ${R}u;
  let col0 = g.x * ${Cc}u;
${tiles.map(([i, j]) => `  var m${i}_${j} = ${result}();${two ? ` var c${i}_${j} = ${result}();` : ''}`).join('\n')}
${body}
${tiles.map(([i, j]) => `  subgroupMatrixStore<row_major>(&scratch, 0u, m${i}_${j}, ${n}u);${two ? ` subgroupMatrixStore<row_major>(&scratch, ${S}u, c${i}_${j}, ${n}u);` : ''}
  workgroupBarrier();
  for (var t = 0u; t < ${S / 32}u; t++) {
    let e = lane + 32u * t;
    C[(row0 + ${i * m}u + e / ${n}u) * p.N + col0 + ${j * n}u + e % ${n}u] = scratch[e]${two ? ` + scratch[${S}u + e] * ${(1 / scale).toExponential()}` : ''};
  }
  workgroupBarrier();`).join('\n')}
}`,
  };
}
