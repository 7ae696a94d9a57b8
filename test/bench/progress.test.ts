// Progress on stderr: plain numbered lines when it is not a terminal, a redrawn bar when it is;
// table lines go to stdout and never land in the middle of the bar.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../bench/progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 80, write: (s: string) => chunks.push(s), text: () => chunks.join(''), chunks };
}

describe('Progress', () => {
  it('writes one plain line per step with i/n and elapsed time when stderr is not a TTY', () => {
    const err = sink(false);
    const out = sink(false);
    let t = 0;
    const p = new Progress(3, err, out, () => t);
    p.step('roofline: copy bandwidth');
    t = 1500;
    p.step('block 224² stage 1 B=1: fused');
    p.log('a table line');
    t = 75_000;
    p.step('block 224² stage 1 B=1: unfused');
    p.finish();
    expect(err.text()).toBe('[1/3 0.0s] roofline: copy bandwidth\n[2/3 1.5s] block 224² stage 1 B=1: fused\n[3/3 1m15s] block 224² stage 1 B=1: unfused\n');
    expect(out.text()).toBe('a table line\n');
    expect(err.text()).not.toContain('\r');
  });

  it('redraws a bar on a TTY, lifts it off the line for table output, and clears it at the end', () => {
    const err = sink(true);
    const out = sink(false);
    const p = new Progress(4, err, out, () => 0);
    p.step('first');
    p.step('second');
    const before = err.chunks.length;
    p.log('row');
    p.finish();
    // Each draw starts by clearing the line; the second step shows a quarter done.
    expect(err.chunks[0]).toMatch(/^\r\x1b\[2K\[\.{24}\] 1\/4 0\.0s {2}first$/);
    expect(err.chunks[1]).toMatch(/^\r\x1b\[2K\[#{6}\.{18}\] 2\/4 0\.0s {2}second$/);
    // log: clear, (stdout), redraw; finish: clear.
    expect(err.chunks.slice(before)).toEqual(['\r\x1b[2K', err.chunks[1], '\r\x1b[2K']);
    expect(out.text()).toBe('row\n');
  });

  it('cuts the bar to the terminal width', () => {
    const err = sink(true);
    const p = new Progress(1, err, sink(false), () => 0);
    p.step('x'.repeat(200));
    p.finish();
    expect(err.chunks[0].replace('\r\x1b[2K', '').length).toBe(79);
  });
});
