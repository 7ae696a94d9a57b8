// The interpreter against formulas written here with explicit index loops, sharing no code with it.
import { describe, expect, it } from 'vitest';
import type { BinaryFn, Graph, Id, Node, Output, ReduceKind, UnaryFn } from '../../compiler/ir.js';
import { interpret } from '../../runtime/interpreter.js';
import { SagaError } from '../../runtime/errors.js';
import { rng } from '../../runtime/random.js';
import { dim, lit, type Dim } from '../../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../../runtime/tensor.js';

const span = { file: 't', start: 0, end: 0, line: 1, col: 1 };
type NodeInit = Node extends infer N ? (N extends Node ? Omit<N, 'id' | 'span' | 'shape'> : never) : never;
type ShapeIn = readonly (number | string | Dim)[];
const toShape = (s: ShapeIn): Dim[] => s.map((d) => (typeof d === 'number' ? lit(d) : typeof d === 'string' ? dim(d) : d));

/** Builds a Graph by hand: ids are indices, shapes are given as numbers, symbol names or Dims. */
class Builder {
  readonly nodes: Node[] = [];
  readonly outputs: Output[] = [];
  add(init: NodeInit, shape: ShapeIn): Id {
    const id = this.nodes.length;
    this.nodes.push({ ...init, id, span, shape: toShape(shape) } as Node);
    return id;
  }
  input(name: string, shape: ShapeIn, role: 'input' | 'param' = 'input'): Id {
    return this.add({ op: 'input', role, name }, shape);
  }
  output(name: string, value: Id): this {
    this.outputs.push({ name, value, span });
    return this;
  }
  graph(): Graph {
    const symbols = [...new Set(this.nodes.flatMap((n) => n.shape.flatMap((d) => (d.sym ? [d.sym] : []))))];
    return { block: 't', span, nodes: this.nodes, outputs: this.outputs, symbols, dimAliases: new Map() };
  }
}

const next = rng(1234);
/** Seeded values in [lo, hi). */
function rand(shape: number[], lo = -1, hi = 1): Tensor<Float64Array> {
  const data = new Float64Array(shape.reduce((p, n) => p * n, 1));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * next();
  return { shape, data };
}

function expectClose(actual: Tensor, shape: number[], expected: ArrayLike<number>, tol = 1e-12) {
  expect(actual.shape).toEqual(shape);
  expect(actual.data).toBeInstanceOf(Float64Array);
  expect(maxRelativeError(actual.data, expected)).toBeLessThanOrEqual(tol);
}

/** Runs a one-op graph on inputs `x` (and `y`). */
function runOp(shapes: number[][], op: (b: Builder, ids: Id[]) => Id, data: Tensor[]): Tensor {
  const b = new Builder();
  const ids = shapes.map((s, i) => b.input(['x', 'y'][i], s));
  b.output('out', op(b, ids));
  const tensors = Object.fromEntries(data.map((t, i) => [['x', 'y'][i], t]));
  return interpret(b.graph(), tensors).out;
}

describe('unary ops', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const cases: [UnaryFn, (x: number) => number, number, number][] = [
    ['neg', (x) => -x, -3, 3],
    ['relu', (x) => (x < 0 ? 0 : x), -3, 3],
    ['elu', (x) => (x > 0 ? x : Math.exp(x) - 1), -3, 3],
    ['sigmoid', sig, -6, 6],
    ['silu', (x) => x / (1 + Math.exp(-x)), -6, 6],
    ['gelu', (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), -4, 4],
    ['softplus', (x) => Math.log(1 + Math.exp(x)), -20, 20],
    ['exp', Math.exp, -3, 3],
    ['log', Math.log, 0.01, 5],
    ['sqrt', Math.sqrt, 0, 5],
    ['abs', (x) => (x < 0 ? -x : x), -3, 3],
  ];
  for (const [fn, f, lo, hi] of cases) {
    it(`${fn} matches its formula elementwise`, () => {
      const x = rand([2, 3, 5], lo, hi);
      const out = runOp([[2, 3, 5]], (b, [i]) => b.add({ op: 'unary', fn, x: i }, [2, 3, 5]), [x]);
      expectClose(out, [2, 3, 5], Array.from(x.data, f));
    });
  }

  it('gelu is the tanh approximation and softplus is stable at extremes', () => {
    const x = { shape: [4], data: new Float64Array([1, -1000, 1000, 0]) };
    const gelu = runOp([[4]], (b, [i]) => b.add({ op: 'unary', fn: 'gelu', x: i }, [4]), [x]);
    expect(gelu.data[0]).toBeCloseTo(0.8411919906082768, 15); // erf-based gelu(1) is 0.8413447...
    const sp = runOp([[4]], (b, [i]) => b.add({ op: 'unary', fn: 'softplus', x: i }, [4]), [x]);
    expect(Array.from(sp.data)).toEqual([Math.log1p(Math.E), 0, 1000, Math.LN2]);
  });
});

describe('binary ops with broadcasting', () => {
  const fns: [BinaryFn, (a: number, b: number) => number][] = [
    ['add', (a, b) => a + b],
    ['sub', (a, b) => a - b],
    ['mul', (a, b) => a * b],
    ['div', (a, b) => a / b],
    ['pow', (a, b) => a ** b],
    ['min', (a, b) => (a < b ? a : b)],
    ['max', (a, b) => (a > b ? a : b)],
  ];
  for (const [fn, f] of fns) {
    it(`${fn}: [2,3,4] with [4]`, () => {
      const x = rand([2, 3, 4], 0.5, 2);
      const y = rand([4], 0.5, 2);
      const out = runOp([[2, 3, 4], [4]], (b, [i, j]) => b.add({ op: 'binary', fn, a: i, b: j }, [2, 3, 4]), [x, y]);
      const want: number[] = [];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) want.push(f(x.data[i * 12 + j * 4 + k], y.data[k]));
      expectClose(out, [2, 3, 4], want);
    });
  }

  it('mul: [2,1,4] with [3,1] stretches both sides to [2,3,4]', () => {
    const x = rand([2, 1, 4]);
    const y = rand([3, 1]);
    const out = runOp([[2, 1, 4], [3, 1]], (b, [i, j]) => b.add({ op: 'binary', fn: 'mul', a: i, b: j }, [2, 3, 4]), [x, y]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) want.push(x.data[i * 4 + k] * y.data[j]);
    expectClose(out, [2, 3, 4], want);
  });

  it('sub: a scalar const on the left broadcasts over [3,2]', () => {
    const x = rand([3, 2]);
    const out = runOp([[3, 2]], (b, [i]) => {
      const c = b.add({ op: 'const', value: 2.5 }, []);
      return b.add({ op: 'binary', fn: 'sub', a: c, b: i }, [3, 2]);
    }, [x]);
    expectClose(out, [3, 2], Array.from(x.data, (v) => 2.5 - v));
  });

  it('takes Float32Array data as the same values', () => {
    const x = { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) };
    const out = runOp([[3]], (b, [i]) => b.add({ op: 'unary', fn: 'neg', x: i }, [3]), [x]);
    expect(Array.from(out.data)).toEqual(Array.from(x.data, (v) => -v));
  });
});

/** Reference matmul on explicit offsets: C[i][j] = sum_p A[offA + i*k + p] * B[offB + p*n + j]. */
function mm(a: ArrayLike<number>, offA: number, b: ArrayLike<number>, offB: number, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[offA + i * k + p] * b[offB + p * n + j];
      out.push(acc);
    }
  return out;
}

describe('matmul', () => {
  it('[2,5,3] @ [3,4] reuses the matrix for each batch', () => {
    const x = rand([2, 5, 3]);
    const y = rand([3, 4]);
    const out = runOp([[2, 5, 3], [3, 4]], (b, [i, j]) => b.add({ op: 'matmul', a: i, b: j }, [2, 5, 4]), [x, y]);
    expectClose(out, [2, 5, 4], [0, 1].flatMap((bt) => mm(x.data, bt * 15, y.data, 0, 5, 3, 4)));
  });

  it('[2,1,5,3] @ [3,3,4] broadcasts batch dims to [2,3]', () => {
    const x = rand([2, 1, 5, 3]);
    const y = rand([3, 3, 4]);
    const out = runOp([[2, 1, 5, 3], [3, 3, 4]], (b, [i, j]) => b.add({ op: 'matmul', a: i, b: j }, [2, 3, 5, 4]), [x, y]);
    const want: number[] = [];
    for (let p = 0; p < 2; p++) for (let q = 0; q < 3; q++) want.push(...mm(x.data, p * 15, y.data, q * 12, 5, 3, 4));
    expectClose(out, [2, 3, 5, 4], want);
  });

  it('[5,3] @ [2,3,4] broadcasts the left operand', () => {
    const x = rand([5, 3]);
    const y = rand([2, 3, 4]);
    const out = runOp([[5, 3], [2, 3, 4]], (b, [i, j]) => b.add({ op: 'matmul', a: i, b: j }, [2, 5, 4]), [x, y]);
    expectClose(out, [2, 5, 4], [0, 1].flatMap((bt) => mm(x.data, 0, y.data, bt * 12, 5, 3, 4)));
  });

  it('[1,1000,64] @ [64,64] takes well under a second', () => {
    const x = rand([1, 1000, 64]);
    const y = rand([64, 64]);
    const t = performance.now();
    const out = runOp([[1, 1000, 64], [64, 64]], (b, [i, j]) => b.add({ op: 'matmul', a: i, b: j }, [1, 1000, 64]), [x, y]);
    expect(performance.now() - t).toBeLessThan(1000);
    expectClose(out, [1, 1000, 64], mm(x.data, 0, y.data, 0, 1000, 64, 64));
  });
});

describe('reductions', () => {
  const x = rand([3, 4, 5]);
  const dims = [3, 4, 5];
  const at = (i: number, j: number, k: number) => x.data[i * 20 + j * 5 + k];
  const finish: Record<ReduceKind, (vals: number[]) => number> = {
    sum: (v) => v.reduce((s, e) => s + e, 0),
    mean: (v) => v.reduce((s, e) => s + e, 0) / v.length,
    norm: (v) => Math.sqrt(v.reduce((s, e) => s + e * e, 0)),
    max: (v) => v.reduce((s, e) => (e > s ? e : s), -Infinity),
    // Naive log Σ exp: fine at these magnitudes, an independent formula for the stable one.
    lse: (v) => Math.log(v.reduce((s, e) => s + Math.exp(e), 0)),
  };
  for (const kind of ['sum', 'mean', 'norm', 'max', 'lse'] as const) {
    for (const axis of [0, 1, 2]) {
      for (const keep of [false, true]) {
        it(`${kind} over axis ${axis}${keep ? ', keep' : ''}`, () => {
          const shape = keep ? dims.map((d, i) => (i === axis ? 1 : d)) : dims.filter((_, i) => i !== axis);
          const out = runOp([dims], (b, [i]) => b.add({ op: 'reduce', kind, x: i, axis, keep }, shape), [x]);
          const want: number[] = [];
          const [r0, r1] = dims.filter((_, i) => i !== axis);
          for (let u = 0; u < r0; u++)
            for (let w = 0; w < r1; w++) {
              const vals: number[] = [];
              for (let r = 0; r < dims[axis]; r++) vals.push(axis === 0 ? at(r, u, w) : axis === 1 ? at(u, r, w) : at(u, w, r));
              want.push(finish[kind](vals));
            }
          expectClose(out, shape, want);
        });
      }
    }
  }
});

describe('outer and transpose', () => {
  it('outer: [2,3,4] x [2,3,5] -> [2,3,4,5]', () => {
    const x = rand([2, 3, 4]);
    const y = rand([2, 3, 5]);
    const out = runOp([[2, 3, 4], [2, 3, 5]], (b, [i, j]) => b.add({ op: 'outer', a: i, b: j }, [2, 3, 4, 5]), [x, y]);
    const want: number[] = [];
    for (let p = 0; p < 6; p++) for (let m = 0; m < 4; m++) for (let n = 0; n < 5; n++) want.push(x.data[p * 4 + m] * y.data[p * 5 + n]);
    expectClose(out, [2, 3, 4, 5], want);
  });

  it('outer: [2,1,4] x [3,5] broadcasts leading dims to [2,3]', () => {
    const x = rand([2, 1, 4]);
    const y = rand([3, 5]);
    const out = runOp([[2, 1, 4], [3, 5]], (b, [i, j]) => b.add({ op: 'outer', a: i, b: j }, [2, 3, 4, 5]), [x, y]);
    const want: number[] = [];
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 3; q++) for (let m = 0; m < 4; m++) for (let n = 0; n < 5; n++) want.push(x.data[p * 4 + m] * y.data[q * 5 + n]);
    expectClose(out, [2, 3, 4, 5], want);
  });

  it('outer: [1,2,1000,32] x [1,2,1000,32] takes well under a second', () => {
    const s = [1, 2, 1000, 32];
    const x = rand(s);
    const y = rand(s);
    const t = performance.now();
    const out = runOp([s, s], (b, [i, j]) => b.add({ op: 'outer', a: i, b: j }, [1, 2, 1000, 32, 32]), [x, y]);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(out.data[((1 * 1000 + 999) * 32 + 7) * 32 + 31]).toBe(x.data[(1 * 1000 + 999) * 32 + 7] * y.data[(1 * 1000 + 999) * 32 + 31]);
  });

  it('transpose swaps the last two axes', () => {
    const x = rand([2, 3, 4]);
    const out = runOp([[2, 3, 4]], (b, [i]) => b.add({ op: 'transpose', x: i }, [2, 4, 3]), [x]);
    const want: number[] = [];
    for (let p = 0; p < 2; p++) for (let j = 0; j < 4; j++) for (let i = 0; i < 3; i++) want.push(x.data[p * 12 + i * 4 + j]);
    expectClose(out, [2, 4, 3], want);
  });
});

describe('split_heads and merge_heads', () => {
  it('split_heads: out[b, h, n, j] = in[b, n, h*d + j]', () => {
    const x = rand([2, 5, 6]);
    const out = runOp([[2, 5, 6]], (b, [i]) => b.add({ op: 'split_heads', x: i, heads: 3 }, [2, 3, 5, 2]), [x]);
    const want: number[] = [];
    for (let bt = 0; bt < 2; bt++)
      for (let h = 0; h < 3; h++) for (let n = 0; n < 5; n++) for (let j = 0; j < 2; j++) want.push(x.data[bt * 30 + n * 6 + h * 2 + j]);
    expectClose(out, [2, 3, 5, 2], want, 0);
  });

  it('merge_heads undoes split_heads, and the other way round', () => {
    const x = rand([2, 5, 6]);
    const there = runOp([[2, 5, 6]], (b, [i]) => {
      const s = b.add({ op: 'split_heads', x: i, heads: 2 }, [2, 2, 5, 3]);
      return b.add({ op: 'merge_heads', x: s }, [2, 5, 6]);
    }, [x]);
    expectClose(there, [2, 5, 6], x.data, 0);
    const y = rand([2, 3, 4, 5]);
    const back = runOp([[2, 3, 4, 5]], (b, [i]) => {
      const m = b.add({ op: 'merge_heads', x: i }, [2, 4, 15]);
      return b.add({ op: 'split_heads', x: m, heads: 3 }, [2, 3, 4, 5]);
    }, [y]);
    expectClose(back, [2, 3, 4, 5], y.data, 0);
  });
});

describe('a whole SAGA-N1 core', () => {
  it('sum(outer(a,b) * outer(k,v), N) equals (A*K)^T (B*V), and o follows', () => {
    const [B, H, N, D] = [1, 2, 7, 4];
    const b = new Builder();
    const x4: ShapeIn = ['B', 'H', 'N', 'D'];
    const [q, k, v, a, g] = ['q', 'k', 'v', 'a', 'b'].map((n) => b.input(n, x4));
    const gate = b.add({ op: 'outer', a, b: g }, ['B', 'H', 'N', 'D', 'D']);
    const kv = b.add({ op: 'outer', a: k, b: v }, ['B', 'H', 'N', 'D', 'D']);
    const prod = b.add({ op: 'binary', fn: 'mul', a: gate, b: kv }, ['B', 'H', 'N', 'D', 'D']);
    const s = b.add({ op: 'reduce', kind: 'sum', x: prod, axis: 2, keep: false }, ['B', 'H', 'D', 'D']);
    const ak = b.add({ op: 'binary', fn: 'mul', a, b: k }, x4);
    const z = b.add({ op: 'reduce', kind: 'sum', x: ak, axis: 2, keep: true }, ['B', 'H', 1, 'D']);
    const qz = b.add({ op: 'binary', fn: 'mul', a: q, b: z }, x4);
    const den = b.add({ op: 'reduce', kind: 'sum', x: qz, axis: 3, keep: true }, ['B', 'H', 'N', 1]);
    const qs = b.add({ op: 'matmul', a: q, b: s }, x4);
    const eps = b.add({ op: 'const', value: 1e-6 }, []);
    const dd = b.add({ op: 'binary', fn: 'add', a: den, b: eps }, ['B', 'H', 'N', 1]);
    const o = b.add({ op: 'binary', fn: 'div', a: qs, b: dd }, x4);
    b.output('o', o).output('s', s);

    const shape = [B, H, N, D];
    const t = { q: rand(shape, 0, 1), k: rand(shape, 0, 1), v: rand(shape), a: rand(shape, 0, 1), b: rand(shape, 0, 1) };
    const res = interpret(b.graph(), t);

    const at = (x: Tensor, h: number, j: number, m: number) => x.data[(h * N + j) * D + m];
    const wantS: number[] = [];
    const wantO: number[] = [];
    for (let h = 0; h < H; h++) {
      // S = (A ⊙ K)ᵀ (B ⊙ V): the Hadamard decomposition, never forming a d×d gate.
      const S: number[][] = [];
      for (let m = 0; m < D; m++) {
        S.push([]);
        for (let c = 0; c < D; c++) {
          let acc = 0;
          for (let j = 0; j < N; j++) acc += at(t.a, h, j, m) * at(t.k, h, j, m) * (at(t.b, h, j, c) * at(t.v, h, j, c));
          S[m].push(acc);
        }
      }
      wantS.push(...S.flat());
      const zv: number[] = [];
      for (let m = 0; m < D; m++) {
        let acc = 0;
        for (let j = 0; j < N; j++) acc += at(t.a, h, j, m) * at(t.k, h, j, m);
        zv.push(acc);
      }
      for (let i = 0; i < N; i++) {
        let dn = 0;
        for (let m = 0; m < D; m++) dn += at(t.q, h, i, m) * zv[m];
        for (let c = 0; c < D; c++) {
          let num = 0;
          for (let m = 0; m < D; m++) num += at(t.q, h, i, m) * S[m][c];
          wantO.push(num / (dn + 1e-6));
        }
      }
    }
    expectClose(res.s, [B, H, D, D], wantS);
    expectClose(res.o, shape, wantO);
  });
});

describe('tensor checks', () => {
  const graph = () => {
    const b = new Builder();
    const x = b.input('x', ['N', 'C']);
    const w = b.input('w', ['C', 'D'], 'param');
    return b.output('y', b.add({ op: 'matmul', a: x, b: w }, ['N', 'D'])).graph();
  };
  const x = rand([3, 6]);
  const w = rand([6, 2]);

  it('binds symbols from the given shapes', () => {
    expectClose(interpret(graph(), { x, w }).y, [3, 2], mm(x.data, 0, w.data, 0, 3, 6, 2));
  });
  it.each([
    ['a missing param', { x }, /missing param 'w'/],
    ['an extra tensor', { x, w, z: x }, /unexpected tensor 'z'/],
    ['a misshapen param', { x, w: rand([7, 2]) }, /param 'w' has size 7 on axis 0, expected C \(C = 6\)/],
    ['a wrong rank', { x: rand([3, 6, 1]), w }, /input 'x' has rank 3/],
  ])('%s is a SagaError naming the tensor', (_, tensors, message) => {
    expect(() => interpret(graph(), tensors)).toThrow(SagaError);
    expect(() => interpret(graph(), tensors)).toThrow(message);
  });

  it('a declared shape that disagrees with the computed one is an internal error, not a SagaError', () => {
    const b = new Builder();
    const i = b.input('x', [2, 3]);
    b.output('y', b.add({ op: 'transpose', x: i }, [2, 3]));
    const run = () => interpret(b.graph(), { x: rand([2, 3]) });
    expect(run).toThrow(/computed shape \[3,2\], declared \[2,3\]/);
    expect(run).not.toThrow(SagaError);
  });
});
