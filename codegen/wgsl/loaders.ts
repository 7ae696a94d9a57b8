// Load functions for fused kernels: `ld_<value>(c0, c1, ...)` returns a value's element at the
// given coordinates, reading its buffer or, for an inline value, computing it from its own
// operands' loaders. A kernel that reads an inline value calls its loader where an unfused
// kernel would index a buffer; the chain of loaders is the fused elementwise code.
import { inlineReaches, type Graph, type Id, type Node, type NodeOf } from '../../compiler/ir.js';
import { isLiteral, type Dim } from '../../runtime/shape.js';
import { contiguousStrides } from './elementwise.js';
import { binaryExpr, unaryExpr } from './functions.js';
import { F32_BITS, f32Literal, type HelperFn, type Uniforms } from './print.js';

export class Loaders {
  readonly helpers: HelperFn[] = [];
  /** Buffers the loaders read, in first-use order. */
  readonly reads: string[] = [];
  /** Read buffers declared `array<vec4<f32>>` (useVec4): their scalar reads take one component. */
  readonly vec4: string[] = [];
  private readonly names = new Map<string, string>();
  /** Values read other than from their buffer: a hosted row reduction kept in workgroup memory. */
  private readonly overrides = new Map<Id, (coords: readonly string[]) => string>();
  /** The matmuls whose accumulators the epilogue's helpers take (epilogue()). */
  private sources: readonly Id[] = [];
  private readonly taken = new Set<string>();

  constructor(
    private readonly graph: Graph,
    private readonly u: Uniforms,
    /** The buffer holding a value that is not inline. */
    private readonly bufferOf: (id: Id) => string,
    private readonly label: (id: Id) => string,
  ) {}

  /** A WGSL expression for value `id` at `coords` (one u32 expression per axis of its shape). */
  load(id: Id, coords: readonly string[]): string {
    const n = this.graph.nodes[id];
    const read = this.overrides.get(id);
    if (read) return read(coords);
    if (n.op === 'const') return this.literal(n.value);
    if (this.fromAccumulator(id)) {
      const i = this.sources.indexOf(id);
      return i >= 0 ? this.accs[i] : `${this.define(id, true, true)}(${[...coords, ...this.accs].join(', ')})`;
    }
    return `${this.fn(id)}(${coords.join(', ')})`;
  }

  /**
   * What reading four adjacent elements of `id` along its last axis at once would take: the
   * buffers read as vec4s and the widths that must be multiples of 4 (each such buffer's last
   * axis, a head's width a split or merge of heads maps that axis through), or null where the
   * chain has a value whose last axis is not contiguous in what it reads (transpose, outer,
   * patches) or is not computed from buffers here (an accumulator, a hosted reduction).
   */
  vectorPlan(id: Id): { buffers: string[]; widths: Dim[] } | null {
    const n = this.graph.nodes[id];
    if (this.overrides.has(id) || this.fromAccumulator(id) || n.shape.length === 0) return null;
    if (n.op === 'const') return { buffers: [], widths: [] };
    if (!n.inline) {
      const last = n.shape[n.shape.length - 1];
      return { buffers: [this.bufferOf(id)], widths: [last] };
    }
    const join = (...ps: ({ buffers: string[]; widths: Dim[] } | null)[]) =>
      ps.some((p) => p === null) ? null : { buffers: ps.flatMap((p) => p!.buffers), widths: ps.flatMap((p) => p!.widths) };
    switch (n.op) {
      case 'unary':
        return this.vectorPlan(n.x);
      case 'binary':
        return join(...[n.a, n.b].map((o) => (this.lastBroadcast(o, n.shape) ? { buffers: [], widths: [] } : this.vectorPlan(o))));
      case 'split_heads':
        return join(this.vectorPlan(n.x), { buffers: [], widths: [n.shape[n.shape.length - 1]] });
      case 'merge_heads': {
        const x = this.graph.nodes[n.x].shape;
        return join(this.vectorPlan(n.x), { buffers: [], widths: [x[x.length - 1]] });
      }
      default:
        return null;
    }
  }

  /**
   * From here on `buffers` are declared `array<vec4<f32>>` in this kernel (load4 reads them whole;
   * a scalar read takes a component). Called before anything reads them.
   */
  useVec4(buffers: readonly string[]): void {
    for (const b of buffers) {
      if (this.reads.includes(b)) throw new Error(`codegen: buffer ${b} was read as f32 before it became vec4`);
      if (!this.vec4.includes(b)) this.vec4.push(b);
    }
  }

  /**
   * A vec4<f32> of `id` at `coords` and the three elements after it along the last axis (the
   * last coordinate a multiple of 4; vectorPlan(id) non-null and its widths multiples of 4, its
   * buffers passed to useVec4). Each element is computed as load() computes it, lane by lane.
   */
  load4(id: Id, coords: readonly string[]): string {
    const n = this.graph.nodes[id];
    if (n.op === 'const') return `vec4<f32>(${this.literal(n.value)})`;
    const key = `${n.inline ? 'ld4' : 'buf4'}${id}`;
    let name = this.names.get(key);
    if (!name) {
      name = `${n.inline ? `ld4_${this.label(id)}` : `ld4_${this.label(id)}_buf`}`;
      while (this.taken.has(name)) name += '_';
      this.taken.add(name);
      this.names.set(key, name);
      const c = n.shape.map((_, k) => `c${k}`);
      const body = n.inline ? this.body4(n, c) : this.readBuffer4(id, c);
      this.helpers.push({ name, params: c.map((x) => `${x}: u32`).join(', '), ret: 'vec4<f32>', body, from: { span: n.span, ...(n.name ? { name: n.name } : {}) } });
    }
    return `${name}(${coords.join(', ')})`;
  }

  /** Whether operand `o` of a value of shape `out` is broadcast along the last axis. */
  private lastBroadcast(o: Id, out: readonly Dim[]): boolean {
    const s = this.graph.nodes[o].shape;
    return s.length === 0 || (isLiteral(s[s.length - 1], 1) && !isLiteral(out[out.length - 1], 1));
  }

  private body4(n: Node, c: readonly string[]): string[] {
    const lanes = ['x', 'y', 'z', 'w'];
    const shapeOf = (id: Id) => this.graph.nodes[id].shape;
    // An operand broadcast along the last axis is one element for all four lanes.
    const operand = (o: Id) => (this.lastBroadcast(o, n.shape) ? `vec4<f32>(${this.load(o, this.broadcast(shapeOf(o), n.shape, c))})` : this.load4(o, this.broadcast(shapeOf(o), n.shape, c)));
    switch (n.op) {
      case 'unary': {
        const e = unaryExpr(n.fn, 'arg.x');
        this.helpers.push(...e.helpers);
        return [`let arg = ${this.load4(n.x, c)};`, `return vec4<f32>(${lanes.map((l) => unaryExpr(n.fn, `arg.${l}`).text).join(', ')});`];
      }
      case 'binary': {
        const b = this.graph.nodes[n.b];
        const lit = b.op === 'const' ? b.value : undefined;
        this.helpers.push(...binaryExpr(n.fn, 'lhs.x', 'rhs.x', lit).helpers);
        return [`let lhs = ${operand(n.a)};`, `let rhs = ${operand(n.b)};`, `return vec4<f32>(${lanes.map((l) => binaryExpr(n.fn, `lhs.${l}`, `rhs.${l}`, lit).text).join(', ')});`];
      }
      case 'split_heads':
      case 'merge_heads':
        return [`return ${this.load4(n.x, this.headCoords(n, c))};`];
      default:
        throw new Error(`codegen: ${n.op} %${n.id} has no four-lane loader (vectorPlan is null)`);
    }
  }

  /** Loads of `id` become `read(coords)` (a value this kernel computes and keeps in workgroup memory). */
  override(id: Id, read: (coords: readonly string[]) => string): void {
    this.overrides.set(id, read);
  }

  /**
   * A matmul epilogue: value `id`, computed from the results of matmuls `sources`, at `coords`,
   * where `values` hold the sources' elements. The values between take them as last parameters
   * (`acc`, or `acc0`, `acc1`, ... for several).
   */
  epilogue(sources: readonly Id[], id: Id, coords: readonly string[], values: readonly string[]): string {
    this.sources = sources;
    const i = sources.indexOf(id);
    return i >= 0 ? values[i] : `${this.define(id, true, true)}(${[...coords, ...values].join(', ')})`;
  }

  /** The accumulator parameters of epilogue helpers. */
  private get accs(): string[] {
    return this.sources.length === 1 ? ['acc'] : this.sources.map((_, i) => `acc${i}`);
  }

  /** Computed from the epilogue's accumulators: a source matmul itself or an inline value of one. */
  private fromAccumulator(id: Id): boolean {
    return this.sources.length > 0 && inlineReaches(this.graph, id, this.sources);
  }

  /** The loader of `id` as computed here even if it has a buffer (a fused kernel's own value). */
  compute(id: Id, coords: readonly string[]): string {
    return `${this.define(id, true)}(${coords.join(', ')})`;
  }

  private literal(v: number): string {
    const lit = f32Literal(v);
    if (lit.startsWith('saga_f32_bits')) this.helpers.push(F32_BITS);
    return lit;
  }

  private fn(id: Id): string {
    return this.define(id, Boolean(this.graph.nodes[id].inline));
  }

  /**
   * Emits (once) the helper computing `id`, from its operands when `computed`, else from its
   * buffer; with `acc`, an epilogue's helper taking the matmul's accumulator.
   */
  private define(id: Id, computed: boolean, acc = false): string {
    const key = `${acc ? 'ep' : computed ? 'ld' : 'buf'}${id}`;
    const known = this.names.get(key);
    if (known) return known;
    let name = acc ? `ep_${this.label(id)}` : `ld_${this.label(id)}${computed ? '' : '_buf'}`;
    while (this.taken.has(name)) name += '_';
    this.taken.add(name);
    this.names.set(key, name);
    const n = this.graph.nodes[id];
    const c = n.shape.map((_, k) => `c${k}`);
    const body = computed ? this.body(n, c) : this.readBuffer(id, c);
    const params = [...c.map((x) => `${x}: u32`), ...(acc ? this.accs.map((a) => `${a}: f32`) : [])].join(', ');
    this.helpers.push({ name, params, ret: 'f32', body, from: { span: n.span, ...(n.name ? { name: n.name } : {}) } });
    return name;
  }

  /** The flat index of `id`'s element at `c` in its buffer (noting the buffer as read). */
  private indexOf(id: Id, c: readonly string[]): { buf: string; index: string } {
    const buf = this.bufferOf(id);
    if (!this.reads.includes(buf)) this.reads.push(buf);
    const shape = this.graph.nodes[id].shape;
    const strides = contiguousStrides(shape);
    const terms = c.flatMap((x, k) => {
      if (isLiteral(shape[k], 1)) return [];
      const s = this.u.of(strides[k]);
      return [s === '1u' ? x : `${x} * ${s}`];
    });
    return { buf, index: terms.join(' + ') || '0u' };
  }

  private readBuffer(id: Id, c: readonly string[]): string[] {
    const { buf, index } = this.indexOf(id, c);
    if (!this.vec4.includes(buf)) return [`return $(${buf})[${index}];`];
    return [`let i = ${index};`, `return $(${buf})[i / 4u][i % 4u];`];
  }

  private readBuffer4(id: Id, c: readonly string[]): string[] {
    const { buf, index } = this.indexOf(id, c);
    if (!this.vec4.includes(buf)) throw new Error(`codegen: buffer ${buf} is read as vec4s but not declared so (useVec4)`);
    return [`return $(${buf})[(${index}) / 4u];`];
  }

  /** Coordinates of an operand of shape `shape` read at `c` of a broadcast result of shape `out`. */
  private broadcast(shape: readonly Dim[], out: readonly Dim[], c: readonly string[]): string[] {
    const pad = out.length - shape.length;
    return shape.map((d, k) => (isLiteral(d, 1) && !isLiteral(out[pad + k], 1) ? '0u' : c[pad + k]));
  }

  /** Coordinates in x of a split or merge of heads' element at `c`. */
  private headCoords(n: NodeOf<'split_heads'> | NodeOf<'merge_heads'>, c: readonly string[]): string[] {
    const r = c.length;
    if (n.op === 'split_heads') {
      // out[..., h, t, j] = x[..., t, h*d + j]
      const d = this.u.of([n.shape[r - 1]]);
      return [...c.slice(0, -3), c[r - 2], `${c[r - 3]} * ${d} + ${c[r - 1]}`];
    }
    // out[..., t, h*d + j] = x[..., h, t, j]
    const x = this.graph.nodes[n.x].shape;
    const d = this.u.of([x[x.length - 1]]);
    return [...c.slice(0, -2), `${c[r - 1]} / ${d}`, c[r - 2], `${c[r - 1]} % ${d}`];
  }

  private body(n: Node, c: readonly string[]): string[] {
    const shapeOf = (id: Id) => this.graph.nodes[id].shape;
    const r = c.length;
    switch (n.op) {
      case 'unary': {
        const e = unaryExpr(n.fn, 'arg');
        this.helpers.push(...e.helpers);
        return [`let arg = ${this.load(n.x, c)};`, `return ${e.text};`];
      }
      case 'binary': {
        const b = this.graph.nodes[n.b];
        const e = binaryExpr(n.fn, 'lhs', 'rhs', b.op === 'const' ? b.value : undefined);
        this.helpers.push(...e.helpers);
        return [
          `let lhs = ${this.load(n.a, this.broadcast(shapeOf(n.a), n.shape, c))};`,
          `let rhs = ${this.load(n.b, this.broadcast(shapeOf(n.b), n.shape, c))};`,
          `return ${e.text};`,
        ];
      }
      case 'outer': {
        // a read as [..., m, 1], b as [..., 1, n].
        const a = shapeOf(n.a);
        const b = shapeOf(n.b);
        const lead = n.shape.slice(0, -2);
        const ca = [...this.broadcast(a.slice(0, -1), lead, c.slice(0, -2)), c[r - 2]];
        const cb = [...this.broadcast(b.slice(0, -1), lead, c.slice(0, -2)), c[r - 1]];
        return [`return ${this.load(n.a, ca)} * ${this.load(n.b, cb)};`];
      }
      case 'transpose':
        return [`return ${this.load(n.x, [...c.slice(0, -2), c[r - 1], c[r - 2]])};`];
      case 'split_heads':
      case 'merge_heads':
        return [`return ${this.load(n.x, this.headCoords(n, c))};`];
      case 'patches': {
        // out[..., p, (ky·size + kx)·C + c] = x[..., (p / (width/size)·size + ky)·width + (p % (width/size))·size + kx, c]
        const c0 = this.u.of([shapeOf(n.x)[shapeOf(n.x).length - 1]]);
        const [s, per] = [n.size, n.width / n.size];
        const cell = `(${c[r - 1]} / ${c0})`;
        const token = `((${c[r - 2]} / ${per}u) * ${s}u + ${cell} / ${s}u) * ${n.width}u + (${c[r - 2]} % ${per}u) * ${s}u + ${cell} % ${s}u`;
        return [`return ${this.load(n.x, [...c.slice(0, -2), token, `${c[r - 1]} % ${c0}`])};`];
      }
      case 'const':
        return [`return ${this.literal(n.value)};`];
      case 'input':
      case 'matmul':
      case 'reduce':
      case 'outer_reduce':
      case 'scan':
      case 'dwconv':
      case 'attention':
        throw new Error(`codegen: ${n.op} %${n.id} cannot be computed at load time`);
    }
  }
}
