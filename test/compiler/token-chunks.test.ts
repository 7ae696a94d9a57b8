// compiler/token-chunks.ts: which blocks can run token chunk by token chunk, their reductions over
// the tokens, and for the others the reason, at the op that needs every token at once.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import { tokenChunks } from '../../compiler/token-chunks.js';

function analyse(body: string, inputs = 'input x: [B, N, C]\n  param w: [C, C]') {
  const r = compileSource(`block t {\n  ${inputs}\n  ${body}\n}\n`, 't.saga');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = tokenChunks(r.graphs[0]);
  return 'why' in c ? { why: c.why, line: c.span.line } : { dim: c.dim, batch: c.batch, kinds: [...c.reductions.values()] };
}

describe('tokenChunks', () => {
  it('finds the reductions over N of a linear-attention block, in the order they are computed', () => {
    expect(analyse('let s = transpose(x) @ x\n  let z = mean(relu(x), N, keep = true)\n  output y = (x @ s) / (z + 1)')).toEqual({ dim: 'N', batch: 'B', kinds: ['sum', 'mean'] });
  });

  it('takes inputs without a batch axis', () => {
    expect(analyse('output y = x * amax(x, N, keep = true)', 'input x: [N, C]')).toEqual({ dim: 'N', batch: undefined, kinds: ['max'] });
  });

  it.each([
    ['a second reduction over N of a value computed from the first', 'let m = mean(x, N, keep = true)\n  output y = x * sum(x - m, N, keep = true)', /^%\d+ \(reduce\) reduces over N a value computed from another reduction over N/, 5],
    ['an output without the token axis', 'output s = mean(x, N)', /^output s \[B, C\] is not laid out token by token \(B, N first\)$/, 4],
    ['a reduction over the batch', 'output y = x * mean(x, B, keep = true)', /^%\d+ \(reduce\) drops the batch axis B$/, 4],
    ['tokens against tokens', 'output y = (x @ transpose(x)) @ x', /^%\d+ \[B, N, N\] has N on two axes/, 4],
  ])('refuses %s, at its line', (_, body, why, line) => {
    const got = analyse(body as string);
    expect(got).toMatchObject({ line });
    expect((got as { why: string }).why).toMatch(why as RegExp);
  });

  it('refuses an input with the token axis after two leading axes', () => {
    expect(analyse('output y = x * 2', 'input x: [B, H, N, C]')).toMatchObject({ why: 'input x [B, H, N, C] needs N first, or second after a batch axis' });
  });
});
