// The WGSL spelling of each unary and binary function, matching the float64 interpreter in f32.
// WGSL leaves several builtins undefined or overflow-prone at the edges (pow for x < 0, tanh and
// sigmoid for large |x|), so those go through small helpers that stay finite where the maths is.
import type { BinaryFn, UnaryFn } from '../../compiler/ir.js';
import { F32_BITS, type HelperFn } from './print.js';

export interface Expr {
  readonly text: string;
  readonly helpers: readonly HelperFn[];
}

// 1 / (1 + e^-x) without inf/inf: e^-|x| never overflows.
const SIGMOID: HelperFn = {
  name: 'saga_sigmoid',
  params: 'x: f32',
  ret: 'f32',
  body: ['let e = exp(-abs(x));', 'return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);'],
};

// exp(x) - 1 loses digits near 0 in f32 (and WGSL's log is too coarse there for Kahan's trick);
// below |x| = 0.1 a degree-5 Taylor polynomial is exact to f32 precision.
const EXPM1: HelperFn = {
  name: 'saga_expm1',
  params: 'x: f32',
  ret: 'f32',
  body: [
    'if (abs(x) < 0.1) { return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0))))); }',
    'return exp(x) - 1.0;',
  ],
};

// The tanh approximation; tanh saturates to +-1 in f32 well before |y| = 10, and a clamp keeps
// drivers that build tanh from exp away from inf/inf.
const GELU: HelperFn = {
  name: 'saga_gelu',
  params: 'x: f32',
  ret: 'f32',
  body: ['let y = 0.7978845608028654 * (x + 0.044715 * x * x * x);', 'return 0.5 * x * (1.0 + tanh(clamp(y, -10.0, 10.0)));'],
};

// max(x, 0) + log1p(e^-|x|). WGSL's log is too coarse near 1 for log1p, so log1p(e) on [0, 1]
// is the series 2 atanh(s), s = e / (2 + e) <= 1/3, to s^15 (truncation below 1e-8 relative).
const SOFTPLUS: HelperFn = {
  name: 'saga_softplus',
  params: 'x: f32',
  ret: 'f32',
  body: [
    'let e = exp(-abs(x));',
    'let s = e / (2.0 + e);',
    'let s2 = s * s;',
    'let p = 1.0 / 13.0 + s2 * (1.0 / 15.0);',
    'let q = 1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 * p)));',
    'return max(x, 0.0) + 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * q));',
  ],
};

// JS Math.pow: WGSL's pow is undefined for x < 0, so take |x| and restore the sign for odd
// integer exponents; a negative base with a fractional exponent is NaN, as in JS.
const POW: HelperFn = {
  name: 'saga_pow',
  params: 'x: f32, y: f32',
  ret: 'f32',
  body: [
    'if (y == 0.0) { return 1.0; }',
    // log2(0) is not reliably -inf, so zero bases are settled here.
    'if (x == 0.0) { return select(0.0, saga_f32_bits(0x7f800000u), y < 0.0); }',
    'let m = exp2(y * log2(abs(x)));',
    'if (x > 0.0) { return m; }',
    'if (y != floor(y)) { return saga_f32_bits(0x7fc00000u); }',
    'return select(m, -m, abs(y % 2.0) == 1.0);',
  ],
};

export function unaryExpr(fn: UnaryFn, x: string): Expr {
  const call = (h: HelperFn, ...more: HelperFn[]): Expr => ({ text: `${h.name}(${x})`, helpers: [h, ...more] });
  switch (fn) {
    case 'neg':
      return { text: `-${x}`, helpers: [] };
    // select, not max: relu(NaN) is 0 in the interpreter.
    case 'relu':
      return { text: `select(0.0, ${x}, ${x} > 0.0)`, helpers: [] };
    case 'elu':
      return { text: `select(saga_expm1(min(${x}, 0.0)), ${x}, ${x} > 0.0)`, helpers: [EXPM1] };
    case 'sigmoid':
      return call(SIGMOID);
    case 'silu':
      return { text: `${x} * saga_sigmoid(${x})`, helpers: [SIGMOID] };
    case 'gelu':
      return call(GELU);
    case 'softplus':
      return call(SOFTPLUS);
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'abs':
      return { text: `${fn}(${x})`, helpers: [] };
  }
}

/** `bLiteral` is the exponent's value when it is a constant, for the exact `x * x` square. */
export function binaryExpr(fn: BinaryFn, a: string, b: string, bLiteral?: number): Expr {
  const op = { add: '+', sub: '-', mul: '*', div: '/' } as const;
  switch (fn) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return { text: `${a} ${op[fn]} ${b}`, helpers: [] };
    case 'pow':
      if (bLiteral === 1) return { text: a, helpers: [] };
      if (bLiteral === 2) return { text: `${a} * ${a}`, helpers: [] };
      return { text: `saga_pow(${a}, ${b})`, helpers: [POW, F32_BITS] };
    // WGSL min/max with a NaN operand may return either operand (JS returns NaN).
    case 'min':
    case 'max':
      return { text: `${fn}(${a}, ${b})`, helpers: [] };
  }
}
