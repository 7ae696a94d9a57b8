// The float64 reference: evaluates a Graph node by node on the CPU, plainly, so that every GPU
// result and every compiler pass can be checked against it. Clarity beats speed here; the loops
// only avoid needless allocation so that demo-sized blocks finish in well under a second.
import { operands, type BinaryFn, type ByOp, type Graph, type Node, type ReduceKind, type UnaryFn } from '../compiler/ir.js';
import { bindSymbols, tensorSpecsOf } from './bind.js';
import { evalShape, numel, type Bindings } from './shape.js';
import type { Tensor64, TensorMap } from './tensor.js';
import { SagaError } from './errors.js';

interface Value {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A mistake the compiler should have caught; not a SagaError, because the user can't fix it. */
function bug(message: string): never {
  throw new Error(`interpreter: ${message}`);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const GELU_K = Math.sqrt(2 / Math.PI);

const UNARY: { readonly [F in UnaryFn]: (x: number) => number } = {
  neg: (x) => -x,
  relu: (x) => (x > 0 ? x : 0),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  sigmoid,
  silu: (x) => x * sigmoid(x),
  gelu: (x) => 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))),
  // max(x, 0) + log(1 + e^-|x|): never overflows, exact for large |x|.
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

const BINARY: { readonly [F in BinaryFn]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
};

/** Row-major strides: `strides([2, 3, 4])` is `[12, 4, 1]`. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** The numpy broadcast of two shapes (right-aligned; a 1 stretches). */
function broadcastShapes(a: readonly number[], b: readonly number[], what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) bug(`${what}: cannot broadcast [${a}] with [${b}]`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides of `shape` seen through the broadcast shape `out`: 0 on axes that stretch or are absent,
 * so `sum(index[i] * result[i])` is the flat offset of the element an output index reads.
 */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = strides(shape);
  const pad = out.length - shape.length;
  return out.map((_, i) => (i < pad || shape[i - pad] === 1 ? 0 : own[i - pad]));
}

/**
 * Calls `visit(offsetA, offsetB)` for every index of `out` in row-major order, with the offsets
 * (from the two broadcast stride lists) of the elements that index reads.
 */
function forEachIndex(out: readonly number[], sa: readonly number[], sb: readonly number[], visit: (oa: number, ob: number) => void): void {
  const total = numel(out);
  const index = new Array<number>(out.length).fill(0);
  let oa = 0;
  let ob = 0;
  for (let flat = 0; flat < total; flat++) {
    visit(oa, ob);
    // Odometer increment of the multi-index, updating the offsets incrementally.
    for (let ax = out.length - 1; ax >= 0; ax--) {
      index[ax]++;
      oa += sa[ax];
      ob += sb[ax];
      if (index[ax] < out[ax]) break;
      oa -= sa[ax] * out[ax];
      ob -= sb[ax] * out[ax];
      index[ax] = 0;
    }
  }
}

function unary(fn: UnaryFn, x: Value): Value {
  const f = UNARY[fn];
  return { shape: x.shape, data: x.data.map((v) => f(v)) };
}

function binary(fn: BinaryFn, a: Value, b: Value): Value {
  const f = BINARY[fn];
  const shape = broadcastShapes(a.shape, b.shape, fn);
  const data = new Float64Array(numel(shape));
  if (sameShape(a.shape, shape) && sameShape(b.shape, shape)) {
    for (let i = 0; i < data.length; i++) data[i] = f(a.data[i], b.data[i]);
    return { shape, data };
  }
  let i = 0;
  forEachIndex(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape), (oa, ob) => {
    data[i++] = f(a.data[oa], b.data[ob]);
  });
  return { shape, data };
}

/** `Σ_t a[..., t, :] b[..., t, :]ᵀ` over tokens t (divided by their count for a mean). */
function outerReduce(kind: 'sum' | 'mean', a: Value, b: Value): Value {
  const [t, m] = a.shape.slice(-2);
  const [t2, n] = b.shape.slice(-2);
  if (t !== t2) bug(`outer_reduce token counts differ: [${a.shape}] and [${b.shape}]`);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, 'outer_reduce');
  const data = new Float64Array(numel(batch) * m * n);
  let base = 0;
  forEachIndex(batch, broadcastStrides(batchA, batch), broadcastStrides(batchB, batch), (ba, bb) => {
    for (let tok = 0; tok < t; tok++) {
      const rowA = ba * t * m + tok * m;
      const rowB = bb * t * n + tok * n;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[base + i * n + j] += a.data[rowA + i] * b.data[rowB + j];
    }
    base += m * n;
  });
  if (kind === 'mean') for (let i = 0; i < data.length; i++) data[i] /= t;
  return { shape: [...batch, m, n], data };
}

/** `[..., m, k] @ [..., k, n]`; batch dims broadcast. */
function matmul(a: Value, b: Value): Value {
  if (a.shape.length < 2 || b.shape.length < 2) bug(`matmul needs rank >= 2, got [${a.shape}] @ [${b.shape}]`);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) bug(`matmul inner dims differ: [${a.shape}] @ [${b.shape}]`);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, 'matmul');
  const data = new Float64Array(numel(batch) * m * n);
  let base = 0;
  // Batch strides count whole matrices, so scale the offsets by the matrix sizes.
  forEachIndex(batch, broadcastStrides(batchA, batch), broadcastStrides(batchB, batch), (ba, bb) => {
    const offA = ba * m * k;
    const offB = bb * k * n;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = a.data[offA + i * k + p];
        for (let j = 0; j < n; j++) data[base + i * n + j] += av * b.data[offB + p * n + j];
      }
    }
    base += m * n;
  });
  return { shape: [...batch, m, n], data };
}

function reduce(kind: ReduceKind, x: Value, axis: number, keep: boolean): Value {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.shape.length) bug(`reduce axis ${axis} out of range for [${x.shape}]`);
  // View x as [outer, len, inner] and reduce the middle axis.
  const outer = numel(x.shape.slice(0, axis));
  const len = x.shape[axis];
  const inner = numel(x.shape.slice(axis + 1));
  if (kind === 'lse') {
    // log Σ exp(x) = m + log Σ exp(x - m), m the max: the reference, in two exact passes.
    const m = reduce('max', x, axis, true).data;
    const data = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < len; r++) {
        for (let i = 0; i < inner; i++) data[o * inner + i] += Math.exp(x.data[(o * len + r) * inner + i] - m[o * inner + i]);
      }
    }
    for (let i = 0; i < data.length; i++) data[i] = m[i] === -Infinity ? -Infinity : m[i] + Math.log(data[i]);
    const shape = keep ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
    return { shape, data };
  }
  const data = new Float64Array(outer * inner).fill(kind === 'max' ? -Infinity : 0);
  // Accumulate row by row (r outside i) so the reads are sequential, then finish each sum.
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < len; r++) {
      for (let i = 0; i < inner; i++) {
        const v = x.data[(o * len + r) * inner + i];
        if (kind === 'max') data[o * inner + i] = Math.max(data[o * inner + i], v);
        else data[o * inner + i] += kind === 'norm' ? v * v : v;
      }
    }
  }
  if (kind === 'mean') for (let i = 0; i < data.length; i++) data[i] /= len;
  if (kind === 'norm') for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(data[i]);
  const shape = keep ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
  return { shape, data };
}

/** `[..., m] (x) [..., n] -> [..., m, n]`; leading dims broadcast. */
function outer(a: Value, b: Value): Value {
  if (a.shape.length < 1 || b.shape.length < 1) bug(`outer needs rank >= 1, got [${a.shape}] and [${b.shape}]`);
  const m = a.shape[a.shape.length - 1];
  const n = b.shape[b.shape.length - 1];
  const leadA = a.shape.slice(0, -1);
  const leadB = b.shape.slice(0, -1);
  const lead = broadcastShapes(leadA, leadB, 'outer');
  const data = new Float64Array(numel(lead) * m * n);
  let base = 0;
  forEachIndex(lead, broadcastStrides(leadA, lead), broadcastStrides(leadB, lead), (la, lb) => {
    for (let i = 0; i < m; i++) {
      const av = a.data[la * m + i];
      for (let j = 0; j < n; j++) data[base + i * n + j] = av * b.data[lb * n + j];
    }
    base += m * n;
  });
  return { shape: [...lead, m, n], data };
}

function transpose(x: Value): Value {
  if (x.shape.length < 2) bug(`transpose needs rank >= 2, got [${x.shape}]`);
  const [r, c] = x.shape.slice(-2);
  const batch = numel(x.shape.slice(0, -2));
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[b * r * c + j * r + i] = x.data[b * r * c + i * c + j];
  }
  return { shape: [...x.shape.slice(0, -2), c, r], data };
}

/** `[..., N, C] -> [..., h, N, C/h]`: out[.., hh, n, j] = in[.., n, hh*d + j]. */
function splitHeads(x: Value, heads: number): Value {
  if (x.shape.length < 2) bug(`split_heads needs rank >= 2, got [${x.shape}]`);
  const [n, c] = x.shape.slice(-2);
  if (!Number.isInteger(heads) || heads < 1 || c % heads !== 0) bug(`split_heads: ${c} channels into ${heads} heads`);
  const d = c / heads;
  const batch = numel(x.shape.slice(0, -2));
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < batch; b++) {
    const base = b * n * c;
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) data[base + (h * n + t) * d + j] = x.data[base + t * c + h * d + j];
    }
  }
  return { shape: [...x.shape.slice(0, -2), heads, n, d], data };
}

/** `[..., h, N, d] -> [..., N, h*d]`, the inverse of splitHeads. */
function mergeHeads(x: Value): Value {
  if (x.shape.length < 3) bug(`merge_heads needs rank >= 3, got [${x.shape}]`);
  const [heads, n, d] = x.shape.slice(-3);
  const c = heads * d;
  const batch = numel(x.shape.slice(0, -3));
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < batch; b++) {
    const base = b * n * c;
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) data[base + t * c + h * d + j] = x.data[base + (h * n + t) * d + j];
    }
  }
  return { shape: [...x.shape.slice(0, -3), n, c], data };
}

/** `x` broadcast to `shape` (numpy rules), as a fresh contiguous value. */
function expand(x: Value, shape: readonly number[]): Value {
  return binary('add', x, { shape, data: new Float64Array(numel(shape)) });
}

/**
 * The definition of a causal scan, token by token: `S_t = (a_t 1ᵀ) ⊙ S_{t-1} + k_t v_tᵀ`,
 * `o_t = q_tᵀ S_t`, with a = 1 when there is no decay. The GPU's chunkwise form must match it.
 */
function scan(q: Value, k: Value, v: Value, decay: Value | undefined): Value {
  const lead = (x: Value) => x.shape.slice(0, -2);
  const [n, dk] = k.shape.slice(-2);
  const dv = v.shape.length === 0 ? 1 : v.shape[v.shape.length - 1];
  const batch = broadcastShapes(broadcastShapes(lead(q), lead(k), 'scan'), v.shape.length === 0 ? [] : lead(v), 'scan');
  const [Q, K, D] = [q, k, decay].map((x) => x && expand(x, [...batch, n, dk]));
  const V = expand(v, [...batch, n, dv]);
  const out = new Float64Array(numel(batch) * n * dv);
  const S = new Float64Array(dk * dv);
  for (let b = 0; b < numel(batch); b++) {
    S.fill(0);
    for (let t = 0; t < n; t++) {
      const rowK = (b * n + t) * dk;
      const rowV = (b * n + t) * dv;
      for (let i = 0; i < dk; i++) {
        const a = D ? D.data[rowK + i] : 1;
        for (let c = 0; c < dv; c++) S[i * dv + c] = a * S[i * dv + c] + K!.data[rowK + i] * V.data[rowV + c];
      }
      for (let c = 0; c < dv; c++) {
        let acc = 0;
        for (let i = 0; i < dk; i++) acc += Q!.data[rowK + i] * S[i * dv + c];
        out[rowV + c] = acc;
      }
    }
  }
  return { shape: [...batch, n, dv], data: out };
}

/**
 * Depthwise k×k convolution over tokens laid out `width` to a row: out[.., n, c] =
 * Σ_{dy,dx} x[.., n', c] w[dy, dx, c] over the neighbours n' inside the grid (zero padding).
 */
function dwconv(x: Value, w: Value, width: number): Value {
  const [n, ch] = x.shape.slice(-2);
  const k = w.shape[0];
  const half = (k - 1) / 2;
  const data = new Float64Array(x.data.length);
  for (let b = 0; b < numel(x.shape.slice(0, -2)); b++) {
    for (let t = 0; t < n; t++) {
      const row = Math.floor(t / width);
      const col = t % width;
      for (let dy = 0; dy < k; dy++) {
        for (let dx = 0; dx < k; dx++) {
          const [r, q] = [row + dy - half, col + dx - half];
          const m = r * width + q;
          if (r < 0 || q < 0 || q >= width || m >= n) continue;
          for (let c = 0; c < ch; c++) data[(b * n + t) * ch + c] += x.data[(b * n + m) * ch + c] * w.data[(dy * k + dx) * ch + c];
        }
      }
    }
  }
  return { shape: x.shape, data };
}

/** size×size patches of the token grid (`width` to a row) as tokens, channels (ky·size + kx)·C + c. */
function patches(x: Value, size: number, width: number): Value {
  const [n, ch] = x.shape.slice(-2);
  if (n % (size * width) !== 0) throw new SagaError(`patches(…, ${size}, width = ${width}) needs whole rows of ${size}x${size} patches: N = ${n} tokens is not a multiple of ${size * width}`, `use an N that is a multiple of ${size} x ${width}`);
  const per = width / size;
  const np = n / (size * size);
  const batch = numel(x.shape.slice(0, -2));
  const data = new Float64Array(batch * np * size * size * ch);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < np; p++) {
      for (let ky = 0; ky < size; ky++) {
        for (let kx = 0; kx < size; kx++) {
          const t = (Math.floor(p / per) * size + ky) * width + (p % per) * size + kx;
          for (let c = 0; c < ch; c++) data[((b * np + p) * size * size + ky * size + kx) * ch + c] = x.data[(b * n + t) * ch + c];
        }
      }
    }
  }
  return { shape: [...x.shape.slice(0, -2), np, size * size * ch], data };
}

/** softmax(q kᵀ · scale, -1) v per leading index, in the stable form exp(s - max s). */
function attention(q: Value, k: Value, v: Value, scale: number): Value {
  const [nq, d] = q.shape.slice(-2);
  const nk = k.shape[k.shape.length - 2];
  const dv = v.shape[v.shape.length - 1];
  const lead = q.shape.slice(0, -2);
  const data = new Float64Array(numel(lead) * nq * dv);
  const s = new Float64Array(nk);
  for (let b = 0; b < numel(lead); b++) {
    for (let i = 0; i < nq; i++) {
      let top = -Infinity;
      for (let j = 0; j < nk; j++) {
        let acc = 0;
        for (let c = 0; c < d; c++) acc += q.data[(b * nq + i) * d + c] * k.data[(b * nk + j) * d + c];
        s[j] = acc * scale;
        top = Math.max(top, s[j]);
      }
      let total = 0;
      for (let j = 0; j < nk; j++) total += s[j] = Math.exp(s[j] - top);
      for (let j = 0; j < nk; j++) for (let c = 0; c < dv; c++) data[(b * nq + i) * dv + c] += (s[j] / total) * v.data[(b * nk + j) * dv + c];
    }
  }
  return { shape: [...lead, nq, dv], data };
}

function evaluators(tensors: TensorMap, get: (id: number) => Value): ByOp<Value> {
  return {
    input: (n) => ({ shape: [...tensors[n.name].shape], data: Float64Array.from(tensors[n.name].data) }),
    const: (n) => ({ shape: [], data: Float64Array.of(n.value) }),
    unary: (n) => unary(n.fn, get(n.x)),
    binary: (n) => binary(n.fn, get(n.a), get(n.b)),
    matmul: (n) => matmul(get(n.a), get(n.b)),
    reduce: (n) => reduce(n.kind, get(n.x), n.axis, n.keep),
    outer_reduce: (n) => outerReduce(n.kind, get(n.a), get(n.b)),
    outer: (n) => outer(get(n.a), get(n.b)),
    transpose: (n) => transpose(get(n.x)),
    split_heads: (n) => splitHeads(get(n.x), n.heads),
    merge_heads: (n) => mergeHeads(get(n.x)),
    dwconv: (n) => dwconv(get(n.x), get(n.w), n.width),
    patches: (n) => patches(get(n.x), n.size, n.width),
    attention: (n) => attention(get(n.q), get(n.k), get(n.v), n.scale),
    scan: (n) => scan(get(n.q), get(n.k), get(n.v), n.decay === undefined ? undefined : get(n.decay)),
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Runs `graph` in float64 on the CPU and returns each output by name.
 * `tensors` holds every input and param by name; a missing, extra or misshapen one is a SagaError
 * naming it (the same check as the GPU path).
 *
 * @example
 *   const { y } = interpret(graph, { x: { shape: [4, 8], data: xs }, w: { shape: [8, 8], data: ws } });
 */
export function interpret(graph: Graph, tensors: TensorMap): Record<string, Tensor64> {
  const values = evaluate(graph, tensors, new Set(graph.outputs.map((o) => o.value)));
  const result: Record<string, Tensor64> = {};
  for (const o of graph.outputs) {
    const v = values.get(o.value)!;
    result[o.name] = { shape: [...v.shape], data: v.data.slice() };
  }
  return result;
}

/** The values of nodes `ids` (e.g. every kernel's result, for `sagac selftest`), in float64. */
export function interpretValues(graph: Pick<Graph, 'nodes' | 'outputs'>, tensors: TensorMap, ids: Iterable<number>): Map<number, Tensor64> {
  const values = evaluate(graph, tensors, new Set(ids));
  return new Map([...values].map(([id, v]) => [id, { shape: [...v.shape], data: v.data }]));
}

/** Runs the graph; returns the values of `keep` (everything else is dropped after its last use). */
function evaluate(graph: Pick<Graph, 'nodes' | 'outputs'>, tensors: TensorMap, keep: ReadonlySet<number>): Map<number, Value> {
  const env: Bindings = bindSymbols(tensorSpecsOf(graph), tensors);

  // Drop each value after its last reader, so big intermediates (outer products) don't pile up.
  const lastUse = new Map<number, number>();
  graph.nodes.forEach((n) => {
    for (const id of operands(n)) lastUse.set(id, n.id);
  });
  for (const id of keep) lastUse.set(id, Infinity);

  const values = new Map<number, Value>();
  const get = (id: number): Value => values.get(id) ?? bug(`node %${id} read before it was computed`);
  const evalNode = evaluators(tensors, get);
  graph.nodes.forEach((n, index) => {
    if (n.id !== index) bug(`node at index ${index} has id ${n.id}`);
    // TypeScript can't correlate evalNode[n.op] with n's variant; ByOp guarantees they match.
    const v = (evalNode[n.op] as (node: Node) => Value)(n);
    const declared = evalShape(n.shape, env);
    if (!sameShape(v.shape, declared)) bug(`%${n.id} (${n.op}) computed shape [${v.shape}], declared [${declared}]`);
    values.set(n.id, v);
    for (const id of operands(n)) if (lastUse.get(id) === n.id) values.delete(id);
  });

  for (const id of keep) get(id);
  return new Map([...keep].map((id) => [id, get(id)]));
}
