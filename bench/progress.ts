// Progress on stderr while the benchmark runs: a redrawn bar on a terminal, one plain line per
// step otherwise (CI logs, redirected output). The table goes to stdout through `log`, which
// lifts the bar off the line first so the two never interleave.

export interface Stream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export class Progress {
  private done = 0;
  private label = '';
  private readonly start: number;
  /** Redraws the bar every second on a terminal, so elapsed time moves during a long step. */
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly total: number,
    private readonly err: Stream,
    private readonly out: Stream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
    if (err.isTTY) {
      this.timer = setInterval(() => this.done > 0 && this.done <= this.total && this.draw(), 1000);
      this.timer.unref?.();
    }
  }

  /** Step `i` of `total` starts: what it is. */
  step(label: string): void {
    this.done++;
    this.label = label;
    if (this.err.isTTY) this.draw();
    else this.err.write(`[${this.done}/${this.total} ${this.elapsed()}] ${label}\n`);
  }

  /** A line for stdout (the table). */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
    if (this.err.isTTY && this.done > 0 && this.done <= this.total) this.draw();
  }

  /** Removes the bar (end of run). */
  finish(): void {
    clearInterval(this.timer);
    this.clear();
    this.done = this.total + 1;
  }

  private elapsed(): string {
    const s = (this.now() - this.start) / 1000;
    return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  }

  private clear(): void {
    if (this.err.isTTY && this.done > 0 && this.done <= this.total) this.err.write('\r\x1b[2K');
  }

  private draw(): void {
    const width = 24;
    const filled = Math.round((width * (this.done - 1)) / this.total);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const line = `[${bar}] ${this.done}/${this.total} ${this.elapsed()}  ${this.label}`;
    this.err.write(`\r\x1b[2K${line.slice(0, (this.err.columns ?? 100) - 1)}`);
  }
}
