import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import { printGraph } from '../../compiler/print.js';
import type { Graph } from '../../compiler/ir.js';
import { formatShape } from '../../runtime/shape.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => compileSource(readFileSync(join(root, 'examples', name), 'utf8'), `examples/${name}`);
const named = (g: Graph, name: string) => {
  const n = g.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no value named ${name}`);
  return formatShape(n.shape, g.dimAliases);
};

function block(body: string) {
  const r = compileSource(`block t {\n${body}\n}\n`, 't.saga');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.graphs[0];
}

describe('shape inference', () => {
  it('infers every SAGA value shape symbolically, the gate matrix included', () => {
    const r = example('saga.saga');
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    const g = r.graphs[0];
    expect(g.symbols).toEqual(['B', 'N', 'C']);
    expect(named(g, 'q')).toBe('[B, 2, N, d]');
    expect(named(g, 'g')).toBe('[B, 2, N, d, d]');
    expect(named(g, 's')).toBe('[B, 2, d, d]');
    expect(named(g, 'z')).toBe('[B, 2, 1, d]');
    expect(named(g, 'den')).toBe('[B, 2, N, 1]');
    expect(named(g, 'y')).toBe('[B, N, C]');
  });

  it('broadcasts numpy-style and folds constant arithmetic', () => {
    const g = block('const two = 2\ninput x: [B, N, C]\ninput r: [N, 1]\noutput y = x * r + two * 3');
    expect(named(g, 'y')).toBe('[B, N, C]');
    expect(g.nodes.filter((n) => n.op === 'const').map((n) => (n.op === 'const' ? n.value : 0))).toEqual([6]);
  });

  it('batches matmul over broadcast leading dims', () => {
    expect(named(block('input a: [B, 1, M, K]\ninput b: [H, K, P]\noutput y = a @ b'), 'y')).toBe('[B, H, M, P]');
  });

  it('resolves axes by name or index, with keep', () => {
    const g = block('input x: [B, N, C]\nlet a = sum(x, N)\nlet b = mean(x, -1, keep = true)\nlet c = norm(x, 0)\noutput y = a\noutput u = b\noutput v = c');
    expect(named(g, 'a')).toBe('[B, C]');
    expect(named(g, 'b')).toBe('[B, N, 1]');
    expect(named(g, 'c')).toBe('[N, C]');
  });

  it('splits and merges heads with derived dims, for literal and symbolic channels', () => {
    expect(named(block('input x: [N, 12]\noutput y = split_heads(x, 3)'), 'y')).toBe('[3, N, 4]');
    const g = block('input x: [N, C]\nlet h = split_heads(x, 5)\noutput y = merge_heads(h)');
    expect(named(g, 'h')).toBe('[5, N, C/5]');
    expect(named(g, 'y')).toBe('[N, C]');
  });

  it('keeps inputs and params but drops values no output uses', () => {
    const g = block('input x: [N, C]\nparam w: [C, C]\nlet unused = relu(x @ w)\noutput y = x @ w');
    expect(g.nodes.map((n) => n.op)).toEqual(['input', 'input', 'matmul']);
  });
});

describe('IR dump', () => {
  for (const name of ['saga.saga', 'linear.saga', 'saga_n2.saga']) {
    it(`${name} prints the same IR (golden)`, () => {
      const r = example(name);
      expect(r.ok).toBe(true);
      expect(r.graphs.map(printGraph).join('\n')).toMatchSnapshot();
    });
  }
});
