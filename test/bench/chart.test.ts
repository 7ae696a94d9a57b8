// The SVG chart from a small made-up result: well-formed XML, one series per workload, arm and
// batch, points where (and only where) there is a measurement.
import { describe, expect, it } from 'vitest';
import { renderChart, type ChartRow } from '../../bench/chart.js';

/** A minimal well-formedness check: one root, every tag closed in order, attributes quoted. */
function checkXml(text: string): void {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|>/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = tag.exec(body))) {
    const between = body.slice(last, m.index);
    if (/[<>]/.test(between) || /&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(between)) throw new Error(`bad text before offset ${m.index}: ${between.slice(0, 40)}`);
    last = tag.lastIndex;
    if (m[2] === undefined) throw new Error(`stray '${m[0]}' at offset ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    const [, close, name, , selfClose] = m;
    if (stack.length === 0) roots++;
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element at offset ${m.index}`);
    } else if (!selfClose) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

const row = (workload: string, N: number, C: number, B: number, fusedMs: number, unfusedMs: number | undefined): ChartRow => ({
  workload,
  N,
  C,
  B,
  fused: { ms: fusedMs, bytes: N * C * 40 },
  unfused: { ms: unfusedMs, bytes: N * C * 4000 },
});

const rows: ChartRow[] = [
  row('block', 3136, 64, 1, 0.2, 1.05),
  row('block', 102_400, 64, 1, 4.0, 28.2),
  row('block', 102_400, 64, 8, 22.7, undefined), // unfused over limits: memory only
  row('core', 3136, 64, 1, 0.05, 0.9),
  row('core', 102_400, 64, 1, 1.0, 20),
  row('core', 49, 512, 1, 0.1, 0.3), // another stage of the same series
];

describe('renderChart', () => {
  const svg = renderChart(rows, 'test adapter <fake> & co, 2026-11-22');

  it('is well-formed XML with an svg root', () => {
    expect(() => checkXml(svg)).not.toThrow();
    expect(svg).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('test adapter &lt;fake&gt; &amp; co');
  });

  it('the checker rejects broken XML', () => {
    expect(() => checkXml('<svg><g></svg>')).toThrow();
    expect(() => checkXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => checkXml('<svg a=1></svg>')).toThrow();
  });

  it('has a series for each workload, arm and batch in both panels', () => {
    const panels = svg.split('<g class="panel"').slice(1);
    expect(panels).toHaveLength(2);
    const keys = (p: string) => [...p.matchAll(/data-series="([^"]+)"/g)].map((m) => m[1]).sort();
    const all = ['block fused B=1', 'block fused B=8', 'block unfused B=1', 'block unfused B=8', 'core fused B=1', 'core unfused B=1'];
    // Time: block unfused B=8 never ran, so it has no series there; memory has them all.
    expect(keys(panels[0])).toEqual(all.filter((k) => k !== 'block unfused B=8'));
    expect(keys(panels[1])).toEqual(all);
  });

  it('plots one point per measurement, one line per stage, on log axes', () => {
    const [time, memory] = svg.split('<g class="panel"').slice(1);
    const series = (p: string, key: string) => p.split(`data-series="${key}"`)[1].split('</g>')[0];
    expect(series(time, 'block fused B=1').match(/<circle/g)).toHaveLength(2);
    expect(series(time, 'block fused B=1').match(/<polyline/g)).toHaveLength(1);
    expect(series(memory, 'block unfused B=8').match(/<circle/g)).toHaveLength(1);
    // core B=1 has two stages (C = 64 and 512): a line each, three points in all.
    expect(series(time, 'core fused B=1').match(/<polyline/g)).toHaveLength(2);
    expect(series(time, 'core fused B=1').match(/<circle/g)).toHaveLength(3);
    // Decade ticks: N from 10 to 1M, time from 0.01 to 100 ms.
    for (const label of ['>10<', '>1M<', '>0.01<', '>100<']) expect(time).toContain(label);
    expect(time).toContain('log scale');
  });
});
