// Every diagnostic sagac can report, with its stable code. Messages say what is wrong; hints say
// what would fix it. docs/errors.md lists these codes.
import type { Diagnostic, Severity, Span } from './span.js';

interface Message<A extends unknown[]> {
  readonly code: string;
  readonly severity: Severity;
  readonly text: (...args: A) => string;
}

const m = <A extends unknown[]>(code: string, severity: Severity, text: (...args: A) => string): Message<A> => ({
  code,
  severity,
  text,
});

export const messages = {
  // Lexer and parser
  unexpectedCharacter: m('SG1001', 'error', (ch: string) => `unexpected character '${ch}'`),
  syntax: m('SG1002', 'error', (detail: string) => detail),
  badNumber: m('SG1003', 'error', (text: string) => `'${text}' is not a finite number`),
  // Names
  unknownName: m('SG2001', 'error', (name: string) => `unknown name '${name}'`),
  duplicateName: m('SG2002', 'error', (name: string) => `'${name}' is already defined in this block`),
  unknownFunction: m('SG2003', 'error', (name: string) => `unknown function '${name}'`),
  arity: m('SG2004', 'error', (fn: string, expected: string, got: number) => `'${fn}' takes ${expected}, got ${got}`),
  unknownArgument: m('SG2005', 'error', (fn: string, arg: string) => `'${fn}' has no argument named '${arg}'`),
  wrongKind: m('SG2006', 'error', (name: string, is: string, expected: string) => `'${name}' is ${is}, but ${expected} is needed here`),
  noOutput: m('SG2007', 'error', (block: string) => `block '${block}' has no output`),
  duplicateBlock: m('SG2008', 'error', (block: string) => `block '${block}' is already defined in this file`),
  scanUpdate: m('SG2009', 'error', (s: string) => `a scan's update must read '${s} = decay * ${s} + outer(k, v)' (or '${s} + outer(k, v)' with no decay)`),
  scanResult: m('SG2010', 'error', (s: string) => `a scan's result must read 'q @ ${s}'`),
  missingArgument: m('SG2012', 'error', (fn: string, arg: string) => `'${fn}' needs the named argument '${arg}'`),
  stateMisuse: m('SG2011', 'error', (s: string) => `the state '${s}' can only appear as 'decay * ${s}' in its update and in 'q @ ${s}'`),
  // Shapes
  broadcast: m('SG3001', 'error', (op: string, a: string, b: string) => `cannot ${op} shapes ${a} and ${b}`),
  matmulInner: m('SG3002', 'error', (a: string, b: string) => `matrix product of ${a} and ${b}: inner dimensions differ`),
  rank: m('SG3003', 'error', (what: string, need: string, shape: string) => `${what} needs ${need}, got ${shape}`),
  unknownAxis: m('SG3004', 'error', (axis: string, shape: string) => `no axis '${axis}' in ${shape}`),
  ambiguousAxis: m('SG3005', 'error', (axis: string, shape: string) => `axis '${axis}' appears more than once in ${shape}`),
  heads: m('SG3006', 'error', (dim: string, heads: number) => `cannot split ${dim} channels into ${heads} heads`),
  badDim: m('SG3007', 'error', (what: string) => `${what} is not a valid dimension (use a name, a positive integer, or name * int / int)`),
  notInteger: m('SG3008', 'error', (what: string) => `${what} must be a positive integer`),
  scanAxis: m('SG3009', 'error', (axis: string, what: string, shape: string) => `the scan runs over '${axis}', but ${what} ${shape} does not have it as its second-to-last axis`),
  scanChannels: m('SG3010', 'error', (q: string, k: string) => `q ${q} and k ${k} of a scan need the same last (channel) axis`),
  patchGrid: m('SG3013', 'error', (size: number, width: number) => `patches of ${size}x${size} tokens need a grid width that is a multiple of ${size}, got width = ${width}`),
  convKernel: m('SG3012', 'error', (x: string, w: string) => `a depthwise kernel for ${x} must be [k, k, C] with k odd and C its channels, got ${w}`),
  chunkRange: m('SG3011', 'error', (max: number, got: number) => `the chunk size must be at most ${max} (one GPU thread per token of a chunk), got ${got}`),
  // Warnings
  unusedParam: m('SG4001', 'warning', (name: string) => `parameter '${name}' is never used`),
  unusedValue: m('SG4002', 'warning', (kind: string, name: string) => `${kind} '${name}' is never used`),
  gateNotFactored: m(
    'SG4003',
    'warning',
    (name: string, shape: string, bytes: string) =>
      `'${name}' ${shape} is not an outer product of two vectors, so the gated product is materialised: ${bytes}`,
  ),
  // The GPU
  shaderRejected: m('SG5001', 'error', (kernel: string, detail: string) => `the GPU's shader compiler rejected the code generated for this (kernel ${kernel}): ${detail}`),
} as const;

export type MessageKey = keyof typeof messages;

/** Builds a diagnostic from the catalog: `diag(messages.unknownName, span, ['q'], 'did you mean ...')`. */
export function diag<A extends unknown[]>(msg: Message<A>, span: Span, args: A, hint?: string): Diagnostic {
  return { severity: msg.severity, code: msg.code, message: msg.text(...args), span, ...(hint ? { hint } : {}) };
}
