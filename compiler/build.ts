// AST -> IR: resolves names, folds constants, infers symbolic shapes and reports every mistake
// as a diagnostic. A failed expression yields `undefined`, which later uses accept silently, so
// one mistake gives one diagnostic, not a cascade.
import type { Arg, Block, Expr, Ident, Item, Program } from '../dsl/ast.js';
import { diag, messages } from '../dsl/messages.js';
import type { Diagnostic, Span } from '../dsl/span.js';
import { dim, dimEquals, divDim, formatDim, formatShape, lit, mulDim, type Dim } from '../runtime/shape.js';
import type { BinaryFn, Graph, Id, Node, Output, ReduceKind, Shape, UnaryFn } from './ir.js';
import { prune } from './prune.js';
import { scanForm } from './scan-form.js';
import * as rules from './shapes.js';
import type { ShapeResult } from './shapes.js';

type Binding =
  | { readonly kind: 'const'; readonly value: number; readonly span: Span }
  | { readonly kind: 'dim'; readonly dim: Dim; readonly span: Span }
  | { readonly kind: 'tensor'; readonly id: Id | undefined; readonly role: 'input' | 'param' | 'let'; readonly span: Span };

/** What an expression evaluates to: a compile-time number or a tensor node. */
type Value = { readonly kind: 'scalar'; readonly value: number } | { readonly kind: 'tensor'; readonly id: Id };

const UNARY: ReadonlySet<string> = new Set<UnaryFn>(['relu', 'elu', 'sigmoid', 'silu', 'gelu', 'softplus', 'exp', 'log', 'sqrt', 'abs']);
const BINARY_FNS: ReadonlySet<string> = new Set<BinaryFn>(['pow', 'min', 'max']);
const REDUCTIONS: ReadonlySet<string> = new Set(['sum', 'mean', 'norm', 'amax']);
const OPERATORS = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' } as const;
/** Tokens per chunk of a scan's chunkwise-parallel kernel when the source names none. */
export const SCAN_CHUNK = 64;
/** One GPU thread per token of a chunk: WebGPU guarantees 256 invocations per workgroup. */
export const MAX_SCAN_CHUNK = 256;
export const FUNCTIONS: readonly string[] = [...UNARY, ...BINARY_FNS, ...REDUCTIONS, 'softmax', 'outer', 'transpose', 'split_heads', 'merge_heads', 'dwconv', 'patches'];

export interface BuildResult {
  readonly graphs: readonly Graph[];
  readonly diagnostics: readonly Diagnostic[];
}

export function buildProgram(program: Program): BuildResult {
  const graphs: Graph[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const block of program.blocks) {
    if (seen.has(block.name.name)) diagnostics.push(diag(messages.duplicateBlock, block.name.span, [block.name.name]));
    seen.add(block.name.name);
    const b = new BlockBuilder(block);
    const graph = b.build();
    diagnostics.push(...b.diagnostics);
    if (graph) graphs.push(graph);
  }
  return { graphs, diagnostics };
}

class BlockBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly nodes: Node[] = [];
  private readonly scope = new Map<string, Binding>();
  private readonly used = new Set<string>();
  private readonly symbols: string[] = [];
  private readonly aliases = new Map<string, string>();
  private readonly outputs: Output[] = [];

  constructor(private readonly block: Block) {}

  build(): Graph | undefined {
    for (const item of this.block.items) this.item(item);
    if (!this.block.items.some((i) => i.kind === 'output')) this.error(messages.noOutput, this.block.name.span, [this.block.name.name]);
    // Unused-name warnings would mostly echo the errors (a name unused because its use failed).
    if (!this.diagnostics.some((d) => d.severity === 'error')) this.warnUnused();
    if (this.diagnostics.some((d) => d.severity === 'error')) return undefined;
    const graph: Graph = {
      block: this.block.name.name,
      span: this.block.span,
      nodes: this.nodes,
      outputs: this.outputs,
      symbols: this.symbols,
      dimAliases: this.aliases,
    };
    return prune(graph);
  }

  private error<A extends unknown[]>(msg: Parameters<typeof diag<A>>[0], span: Span, args: A, hint?: string): undefined {
    this.diagnostics.push(diag(msg, span, args, hint));
    return undefined;
  }

  private item(item: Item): void {
    const name = item.name.name;
    if (this.scope.has(name)) {
      this.error(messages.duplicateName, item.name.span, [name], `the first definition is on line ${this.scope.get(name)!.span.line}`);
      return;
    }
    switch (item.kind) {
      case 'const': {
        const v = this.expr(item.value);
        if (v && v.kind !== 'scalar') this.error(messages.wrongKind, item.value.span, [name, 'a tensor', 'a number']);
        this.scope.set(name, { kind: 'const', value: v?.kind === 'scalar' ? v.value : NaN, span: item.name.span });
        return;
      }
      case 'dim': {
        const d = this.dimExpr(item.value, 'axis');
        this.scope.set(name, { kind: 'dim', dim: d ?? lit(1), span: item.name.span });
        if (d && d.sym !== null) this.aliases.set(formatDim(d), name);
        return;
      }
      case 'input':
      case 'param': {
        const shape = item.shape.map((e) => this.dimExpr(e, 'declare'));
        let id: Id | undefined;
        if (shape.every((d): d is Dim => d !== undefined)) {
          id = this.add({ op: 'input', role: item.kind, name, shape, span: item.span });
        }
        this.scope.set(name, { kind: 'tensor', id, role: item.kind, span: item.name.span });
        return;
      }
      case 'let':
      case 'output': {
        const v = this.expr(item.value);
        const id = v ? this.tensor(v, item.value.span) : undefined;
        if (id !== undefined) this.nameNode(id, name);
        if (item.kind === 'let') this.scope.set(name, { kind: 'tensor', id, role: 'let', span: item.name.span });
        else {
          this.scope.set(name, { kind: 'tensor', id, role: 'let', span: item.name.span });
          this.used.add(name);
          if (id !== undefined) this.outputs.push({ name, value: id, span: item.span });
        }
        return;
      }
    }
  }

  /** Gives a fresh node the let/output name that binds it (aliases like `let y = x` keep x's). */
  private nameNode(id: Id, name: string): void {
    const n = this.nodes[id];
    if (n.name === undefined) this.nodes[id] = { ...n, name };
  }

  private add(node: DistributiveOmit<Node, 'id'>): Id {
    const id = this.nodes.length;
    this.nodes.push({ ...node, id } as Node);
    return id;
  }

  private shapeOf(id: Id): Shape {
    return this.nodes[id].shape;
  }

  private fmt(shape: Shape): string {
    return formatShape(shape, this.aliases);
  }

  /** A scalar used where a tensor is needed becomes a rank-0 const node. */
  private tensor(v: Value, span: Span): Id {
    return v.kind === 'tensor' ? v.id : this.add({ op: 'const', value: v.value, shape: [], span });
  }

  private checked(r: ShapeResult, span: Span): Shape | undefined {
    if (r.ok) return r.shape;
    this.diagnostics.push(diag(r.error.msg as Parameters<typeof diag>[0], span, r.error.args as unknown[]));
    return undefined;
  }

  private lookup(id: Ident | { name: string; span: Span }): Binding | undefined {
    const b = this.scope.get(id.name);
    if (!b) {
      const hint = suggest(id.name, [...this.scope.keys()]);
      return this.error(messages.unknownName, id.span, [id.name], hint && `did you mean '${hint}'?`);
    }
    this.used.add(id.name);
    return b;
  }

  private expr(e: Expr): Value | undefined {
    switch (e.kind) {
      case 'number':
        return { kind: 'scalar', value: e.value };
      case 'bool':
        return this.error(messages.wrongKind, e.span, [String(e.value), 'a boolean', 'a number or tensor']);
      case 'name': {
        const b = this.lookup(e);
        if (!b) return undefined;
        if (b.kind === 'const') return Number.isNaN(b.value) ? undefined : { kind: 'scalar', value: b.value };
        if (b.kind === 'dim') return this.error(messages.wrongKind, e.span, [e.name, 'a dimension', 'a number or tensor']);
        return b.id === undefined ? undefined : { kind: 'tensor', id: b.id };
      }
      case 'neg': {
        const x = this.expr(e.operand);
        if (!x) return undefined;
        if (x.kind === 'scalar') return { kind: 'scalar', value: -x.value };
        return { kind: 'tensor', id: this.add({ op: 'unary', fn: 'neg', x: x.id, shape: this.shapeOf(x.id), span: e.span }) };
      }
      case 'binary': {
        // `a + b + c ...` nests to the left as deep as it is long: walk the chain with a loop, so
        // 20,000 operands need no deeper stack than one.
        const chain: Extract<Expr, { kind: 'binary' }>[] = [];
        let leftmost: Expr = e;
        while (leftmost.kind === 'binary') {
          chain.push(leftmost);
          leftmost = leftmost.left;
        }
        let acc = this.expr(leftmost);
        for (let i = chain.length - 1; i >= 0; i--) {
          const node = chain[i];
          const b = this.expr(node.right);
          acc = acc && b ? this.binary(node, acc, b) : undefined;
        }
        return acc;
      }
      case 'call':
        return this.call(e.callee, e.args, e.span);
      case 'scan':
        return this.scan(e);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, a: Value, b: Value): Value | undefined {
    if (e.op === '@') return this.matmul(a, b, e.span);
    if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: fold(e.op, a.value, b.value) };
    return this.elementwise(OPERATORS[e.op], a, b, e.span, e.op);
  }

  /** `scan over N chunk 64 { state S = a * S + outer(k, v)  q @ S }` -> one scan node. */
  private scan(e: Extract<Expr, { kind: 'scan' }>): Value | undefined {
    const s = e.state.name;
    if (this.scope.has(s)) return this.error(messages.duplicateName, e.state.span, [s], `the first definition is on line ${this.scope.get(s)!.span.line}; a scan's state needs a name of its own`);
    const form = scanForm(e);
    if (!form.ok) {
      const msg = { update: messages.scanUpdate, result: messages.scanResult, misuse: messages.stateMisuse }[form.error];
      return this.error(msg, form.span, [s]);
    }
    const axis = this.dimExpr({ kind: 'name', name: e.axis.name, span: e.axis.span }, 'axis');
    const chunk = e.chunk ? this.integer(e.chunk, 'the chunk size') : SCAN_CHUNK;
    if (chunk !== undefined && chunk > MAX_SCAN_CHUNK) return this.error(messages.chunkRange, e.chunk!.span, [MAX_SCAN_CHUNK, chunk]);
    const parts = [form.q, form.k, form.v, ...(form.decay ? [form.decay] : [])].map((x) => {
      const v = this.expr(x);
      return v && this.tensor(v, x.span);
    });
    if (!axis || chunk === undefined || parts.some((p) => p === undefined)) return undefined;
    const [q, k, v, decay] = parts as Id[];
    const r = rules.scan(this.shapeOf(q), this.shapeOf(k), this.shapeOf(v), decay === undefined ? undefined : this.shapeOf(decay), axis, this.aliases);
    // Point at the operand the rule rejected, not the whole scan.
    const spans: Record<string, Span | undefined> = { q: form.q.span, k: form.k.span, v: form.v.span, decay: form.decay?.span };
    const shape = this.checked(r, (!r.ok && r.error.operand && spans[r.error.operand]) || e.span);
    return shape && { kind: 'tensor', id: this.add({ op: 'scan', q, k, v, ...(decay === undefined ? {} : { decay }), chunk, form: 'recurrent', shape, span: e.span }) };
  }

  private elementwise(fn: BinaryFn, av: Value, bv: Value, span: Span, what: string): Value | undefined {
    const a = this.tensor(av, span);
    const b = this.tensor(bv, span);
    const verb = { add: 'add', sub: 'subtract', mul: 'multiply', div: 'divide', pow: 'apply pow to', min: 'apply min to', max: 'apply max to' }[fn];
    const shape = this.checked(rules.broadcast(this.shapeOf(a), this.shapeOf(b), `${verb} (${what})`, this.aliases), span);
    return shape && { kind: 'tensor', id: this.add({ op: 'binary', fn, a, b, shape, span }) };
  }

  private matmul(av: Value, bv: Value, span: Span): Value | undefined {
    const a = this.tensor(av, span);
    const b = this.tensor(bv, span);
    const shape = this.checked(rules.matmul(this.shapeOf(a), this.shapeOf(b), this.aliases), span);
    return shape && { kind: 'tensor', id: this.add({ op: 'matmul', a, b, shape, span }) };
  }

  private call(callee: Ident, args: readonly Arg[], span: Span): Value | undefined {
    const fn = callee.name;
    if (!FUNCTIONS.includes(fn)) {
      const hint = suggest(fn, FUNCTIONS);
      return this.error(messages.unknownFunction, callee.span, [fn], hint ? `did you mean '${hint}'?` : `functions: ${FUNCTIONS.join(', ')}`);
    }
    const named = args.filter((a) => a.name);
    const positional = args.filter((a) => !a.name);
    const allowed = REDUCTIONS.has(fn) ? ['keep'] : fn === 'dwconv' || fn === 'patches' ? ['width'] : [];
    for (const a of named) {
      if (!allowed.includes(a.name!.name)) return this.error(messages.unknownArgument, a.name!.span, [fn, a.name!.name]);
    }
    const arity: Record<string, [number, string]> = { softmax: [2, 'a tensor and an axis'], outer: [2, '2 tensors'], transpose: [1, '1 tensor'], split_heads: [2, 'a tensor and a head count'], merge_heads: [1, '1 tensor'], dwconv: [2, 'a tensor and a kernel'], patches: [2, 'a tensor and a patch size'] };
    const [want, wantText] = UNARY.has(fn) ? [1, '1 argument'] : BINARY_FNS.has(fn) ? [2, '2 arguments'] : REDUCTIONS.has(fn) ? [2, 'a tensor and an axis'] : arity[fn];
    if (positional.length !== want) return this.error(messages.arity, span, [fn, wantText, positional.length]);

    if (fn === 'split_heads') {
      const x = this.expr(positional[0].value);
      const heads = this.integer(positional[1].value, 'the head count');
      if (!x || heads === undefined) return undefined;
      const id = this.tensor(x, positional[0].span);
      const shape = this.checked(rules.splitHeads(this.shapeOf(id), heads, this.aliases), span);
      return shape && { kind: 'tensor', id: this.add({ op: 'split_heads', x: id, heads, shape, span }) };
    }
    if (REDUCTIONS.has(fn)) return this.reduce(fn === 'amax' ? 'max' : (fn as ReduceKind), positional, named, span);
    if (fn === 'softmax') return this.softmax(positional, span);
    if (fn === 'dwconv') return this.dwconv(positional, named, span);
    if (fn === 'patches') return this.patches(positional, named, span);

    const vals = positional.map((a) => this.expr(a.value));
    if (vals.some((v) => v === undefined)) return undefined;
    const [a, b] = vals as Value[];
    if (BINARY_FNS.has(fn)) return this.elementwise(fn as BinaryFn, a, b, span, fn);
    const x = this.tensor(a, positional[0].span);
    if (UNARY.has(fn)) return { kind: 'tensor', id: this.add({ op: 'unary', fn: fn as UnaryFn, x, shape: this.shapeOf(x), span }) };
    if (fn === 'outer') {
      const y = this.tensor(b, positional[1].span);
      const shape = this.checked(rules.outer(this.shapeOf(x), this.shapeOf(y), this.aliases), span);
      return shape && { kind: 'tensor', id: this.add({ op: 'outer', a: x, b: y, shape, span }) };
    }
    const r = fn === 'transpose' ? rules.transpose(this.shapeOf(x), this.aliases) : rules.mergeHeads(this.shapeOf(x), this.aliases);
    const shape = this.checked(r, span);
    if (!shape) return undefined;
    return { kind: 'tensor', id: this.add(fn === 'transpose' ? { op: 'transpose', x, shape, span } : { op: 'merge_heads', x, shape, span }) };
  }

  private reduce(kind: ReduceKind, positional: readonly Arg[], named: readonly Arg[], span: Span): Value | undefined {
    const v = this.expr(positional[0].value);
    let keep = false;
    for (const a of named) {
      if (a.value.kind !== 'bool') return this.error(messages.wrongKind, a.value.span, ['keep', 'not true or false', 'a boolean']);
      keep = a.value.value;
    }
    if (!v) return undefined;
    const x = this.tensor(v, positional[0].span);
    const shape = this.shapeOf(x);
    const axis = this.axis(positional[1].value, shape);
    if (axis === undefined) return undefined;
    return { kind: 'tensor', id: this.add({ op: 'reduce', kind, x, axis, keep, shape: rules.reduce(shape, axis, keep), span }) };
  }

  /**
   * softmax(x, axis): over the last axis exp(x - lse(x)) with lse = log Σ exp in one online pass;
   * over another axis e / sum(e, axis), e = exp(x - amax(x, axis)). Both stable.
   */
  private softmax(positional: readonly Arg[], span: Span): Value | undefined {
    const v = this.expr(positional[0].value);
    if (!v) return undefined;
    const x = this.tensor(v, positional[0].span);
    const shape = this.shapeOf(x);
    const axis = this.axis(positional[1].value, shape);
    if (axis === undefined) return undefined;
    const kept = rules.reduce(shape, axis, true);
    if (axis === shape.length - 1) {
      // Over the last axis: exp(x - lse(x)), lse one online pass (running max and rescaled sum);
      // the exp then runs inside whatever kernel reads the softmax.
      const lse = this.add({ op: 'reduce', kind: 'lse', x, axis, keep: true, shape: kept, span });
      const shifted = this.add({ op: 'binary', fn: 'sub', a: x, b: lse, shape, span });
      return { kind: 'tensor', id: this.add({ op: 'unary', fn: 'exp', x: shifted, shape, span }) };
    }
    const m = this.add({ op: 'reduce', kind: 'max', x, axis, keep: true, shape: kept, span });
    const shifted = this.add({ op: 'binary', fn: 'sub', a: x, b: m, shape, span });
    const e = this.add({ op: 'unary', fn: 'exp', x: shifted, shape, span });
    const total = this.add({ op: 'reduce', kind: 'sum', x: e, axis, keep: true, shape: kept, span });
    return { kind: 'tensor', id: this.add({ op: 'binary', fn: 'div', a: e, b: total, shape, span }) };
  }

  /** `patches(x, R, width = W)`: R×R patches of the token grid (W to a row) as tokens. */
  private patches(positional: readonly Arg[], named: readonly Arg[], span: Span): Value | undefined {
    const widthArg = named.find((a) => a.name!.name === 'width');
    if (!widthArg) return this.error(messages.missingArgument, span, ['patches', 'width'], "width = the token grid's width: tokens are its rows, one after another");
    const width = this.integer(widthArg.value, 'the grid width');
    const size = this.integer(positional[1].value, 'the patch size');
    const xv = this.expr(positional[0].value);
    if (!xv || width === undefined || size === undefined) return undefined;
    const x = this.tensor(xv, positional[0].span);
    const shape = this.checked(rules.patches(this.shapeOf(x), size, width, this.aliases), positional[1].span);
    return shape && { kind: 'tensor', id: this.add({ op: 'patches', x, size, width, shape, span }) };
  }

  /** `dwconv(x, w, width = W)`: depthwise k×k convolution over tokens laid out W to a row. */
  private dwconv(positional: readonly Arg[], named: readonly Arg[], span: Span): Value | undefined {
    const widthArg = named.find((a) => a.name!.name === 'width');
    if (!widthArg) return this.error(messages.missingArgument, span, ['dwconv', 'width'], 'width = the token grid\'s width: tokens are its rows, one after another');
    const width = this.integer(widthArg.value, 'the grid width');
    const [xv, wv] = positional.map((a) => this.expr(a.value));
    if (!xv || !wv || width === undefined) return undefined;
    const x = this.tensor(xv, positional[0].span);
    const w = this.tensor(wv, positional[1].span);
    const shape = this.checked(rules.dwconv(this.shapeOf(x), this.shapeOf(w), this.aliases), positional[1].span);
    return shape && { kind: 'tensor', id: this.add({ op: 'dwconv', x, w, width, shape, span }) };
  }

  /** An axis is an integer index (negative from the end) or a dim name that occurs once in the shape. */
  private axis(e: Expr, shape: Shape): number | undefined {
    const index = e.kind === 'number' ? e.value : e.kind === 'neg' && e.operand.kind === 'number' ? -e.operand.value : undefined;
    if (index !== undefined) {
      const i = index < 0 ? shape.length + index : index;
      if (!Number.isInteger(index) || i < 0 || i >= shape.length) return this.error(messages.unknownAxis, e.span, [String(index), this.fmt(shape)]);
      return i;
    }
    if (e.kind !== 'name') return this.error(messages.wrongKind, e.span, ['this expression', 'not an axis', 'an axis name or index']);
    const d = this.dimExpr(e, 'axis');
    if (!d) return undefined;
    const hits = shape.flatMap((s, i) => (dimEquals(s, d) ? [i] : []));
    if (hits.length === 0) return this.error(messages.unknownAxis, e.span, [e.name, this.fmt(shape)]);
    if (hits.length > 1) return this.error(messages.ambiguousAxis, e.span, [e.name, this.fmt(shape)], 'give the axis by index instead, e.g. sum(x, -1)');
    return hits[0];
  }

  private integer(e: Expr, what: string): number | undefined {
    const v = this.expr(e);
    if (!v) return undefined;
    if (v.kind !== 'scalar' || !Number.isInteger(v.value) || v.value < 1) return this.error(messages.notInteger, e.span, [what]);
    return v.value;
  }

  /**
   * A dimension: a const, a `dim` name, a symbol, a positive integer, or one of those times /
   * divided by an integer. New symbols are declared only in input/param shapes; a `dim` item
   * or an axis may name a symbol before or without declaring it.
   */
  private dimExpr(e: Expr, mode?: 'declare' | 'axis'): Dim | undefined {
    switch (e.kind) {
      case 'number':
        return Number.isInteger(e.value) && e.value > 0 ? lit(e.value) : this.error(messages.badDim, e.span, [`'${e.text}'`]);
      case 'name': {
        const b = this.scope.get(e.name);
        if (!b) {
          if (!mode) return this.lookup(e) && undefined;
          if (mode === 'declare' && !this.symbols.includes(e.name)) this.symbols.push(e.name);
          return dim(e.name);
        }
        this.used.add(e.name);
        if (b.kind === 'dim') return b.dim;
        if (b.kind === 'const') return Number.isInteger(b.value) && b.value > 0 ? lit(b.value) : this.error(messages.notInteger, e.span, [`'${e.name}' used as a dimension`]);
        return this.error(messages.wrongKind, e.span, [e.name, 'a tensor', 'a dimension']);
      }
      case 'binary': {
        if (e.op !== '*' && e.op !== '/') break;
        const left = this.dimExpr(e.left, mode);
        const right = this.dimExpr(e.right, mode);
        if (!left || !right) return undefined;
        const k = right.sym === null && right.den === 1 ? right.num : undefined;
        if (e.op === '/' && k !== undefined) return left.sym === null && left.num % k !== 0 ? this.error(messages.badDim, e.span, ['a fraction']) : divDim(left, k);
        if (e.op === '*' && k !== undefined) return mulDim(left, k);
        if (e.op === '*' && left.sym === null && left.den === 1) return mulDim(right, left.num);
        break;
      }
      default:
        break;
    }
    return this.error(messages.badDim, e.span, ['this expression']);
  }

  private warnUnused(): void {
    for (const [name, b] of this.scope) {
      if (this.used.has(name) || b.kind !== 'tensor') continue;
      if (b.role === 'param') this.diagnostics.push(diag(messages.unusedParam, b.span, [name], 'remove it, or use it in an expression'));
      else this.diagnostics.push(diag(messages.unusedValue, b.span, [b.role === 'input' ? 'input' : 'let', name]));
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function fold(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/** The closest known name within edit distance 2, for "did you mean" hints. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    // A distance over 2 is never suggested, and the lengths alone bound it from below: skip
    // those, so an unknown 10,000-character name costs nothing against names of other lengths.
    if (Math.abs(c.length - name.length) > 2) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), 3);
    if (d < bestD || (d === bestD && best !== undefined && c < best)) [best, bestD] = [c, d];
  }
  return bestD <= Math.min(2, Math.max(1, Math.floor(name.length / 2))) ? best : undefined;
}

/** Levenshtein distance, or `cap` as soon as every path exceeds cap - 1 (only small ones matter). */
function editDistance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...cur) >= cap) return cap;
    prev = cur;
  }
  return prev[b.length];
}
