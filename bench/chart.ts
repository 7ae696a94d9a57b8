// The benchmark's SVG chart: time and memory vs N, log-log, one series per workload, arm and
// batch size, drawn as one line per stage. Hand-written SVG: two panels of polylines need no charting library.

export interface ChartArm {
  readonly ms?: number;
  readonly bytes: number;
}

export interface ChartRow {
  readonly workload: string;
  readonly N: number;
  readonly C: number;
  readonly B: number;
  readonly fused: ChartArm;
  readonly unfused: ChartArm;
}

const COLOURS: Record<string, string> = {
  'block fused': '#1f77b4',
  'block unfused': '#ff7f0e',
  'core fused': '#2ca02c',
  'core unfused': '#d62728',
};
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** `1`, `10`, `100`, `1k`, `0.01`: a decade's label. */
function decade(k: number): string {
  const v = 10 ** k;
  if (k >= 6) return `${10 ** (k - 6)}M`;
  if (k >= 3) return `${10 ** (k - 3)}k`;
  return k >= 0 ? String(v) : v.toFixed(-k);
}

interface Series {
  readonly key: string;
  readonly colour: string;
  readonly dash: string;
  readonly points: { readonly N: number; readonly C: number; readonly y: number }[];
}

function seriesOf(rows: readonly ChartRow[], value: (a: ChartArm) => number | undefined): Series[] {
  const batches = [...new Set(rows.map((r) => r.B))].sort((a, b) => a - b);
  const out: Series[] = [];
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    for (const arm of ['fused', 'unfused'] as const) {
      for (const B of batches) {
        const points = rows
          .filter((r) => r.workload === workload && r.B === B)
          .flatMap((r) => {
            const y = value(r[arm]);
            return y !== undefined && y > 0 ? [{ N: r.N, C: r.C, y }] : [];
          })
          .sort((p, q) => p.N - q.N || p.C - q.C);
        if (points.length === 0) continue;
        out.push({ key: `${workload} ${arm} B=${B}`, colour: COLOURS[`${workload} ${arm}`] ?? '#555', dash: DASHES[batches.indexOf(B) % DASHES.length], points });
      }
    }
  }
  return out;
}

/** One log-log panel at (x0, y0) of w × h. */
function panel(x0: number, y0: number, w: number, h: number, title: string, unit: string, series: readonly Series[]): string {
  const all = series.flatMap((s) => s.points);
  const out = [`<g class="panel" transform="translate(${x0},${y0})">`, `<text x="${w / 2}" y="-12" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  out.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  if (all.length === 0) {
    out.push(`<text x="${w / 2}" y="${h / 2}" text-anchor="middle">no measurements</text>`, '</g>');
    return out.join('\n');
  }
  const span = (vals: number[]) => {
    let lo = Math.floor(Math.log10(Math.min(...vals)));
    let hi = Math.ceil(Math.log10(Math.max(...vals)));
    if (hi === lo) hi = lo + 1;
    return [lo, hi] as const;
  };
  const [xlo, xhi] = span(all.map((p) => p.N));
  const [ylo, yhi] = span(all.map((p) => p.y));
  const X = (v: number) => ((Math.log10(v) - xlo) / (xhi - xlo)) * w;
  const Y = (v: number) => h - ((Math.log10(v) - ylo) / (yhi - ylo)) * h;
  for (let k = xlo; k <= xhi; k++) {
    const x = num(X(10 ** k));
    out.push(`<line x1="${x}" y1="0" x2="${x}" y2="${h}" stroke="#eee"/>`, `<text x="${x}" y="${h + 16}" text-anchor="middle">${decade(k)}</text>`);
  }
  for (let k = ylo; k <= yhi; k++) {
    const y = num(Y(10 ** k));
    out.push(`<line x1="0" y1="${y}" x2="${w}" y2="${y}" stroke="#eee"/>`, `<text x="-6" y="${y}" text-anchor="end" dominant-baseline="middle">${decade(k)}</text>`);
  }
  out.push(`<text x="${w / 2}" y="${h + 36}" text-anchor="middle">N (tokens, log scale)</text>`);
  out.push(`<text transform="translate(-46,${h / 2}) rotate(-90)" text-anchor="middle">${esc(unit)} (log scale)</text>`);
  for (const s of series) {
    out.push(`<g class="series" data-series="${esc(s.key)}" stroke="${s.colour}" fill="${s.colour}">`);
    // One line per stage (its C), through the input sizes: stages share N values, so a single
    // line through all points would zigzag between them.
    for (const C of [...new Set(s.points.map((p) => p.C))]) {
      const pts = s.points.filter((p) => p.C === C).map((p) => `${num(X(p.N))},${num(Y(p.y))}`).join(' ');
      out.push(`<polyline points="${pts}" fill="none" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    }
    for (const p of s.points) {
      out.push(`<circle cx="${num(X(p.N))}" cy="${num(Y(p.y))}" r="3"><title>${esc(`${s.key}, N = ${p.N}, C = ${p.C}: ${p.y.toPrecision(3)} ${unit}`)}</title></circle>`);
    }
    out.push('</g>');
  }
  out.push('</g>');
  return out.join('\n');
}

/**
 * The chart as an SVG document. `title` names the adapter and date. Time is the arm's `ms`
 * (kernel time where timestamps exist); memory its plan bytes, in MB.
 */
export function renderChart(rows: readonly ChartRow[], title: string): string {
  const time = seriesOf(rows, (a) => a.ms);
  const memory = seriesOf(rows, (a) => a.bytes / 1e6);
  const keys = [...new Map([...time, ...memory].map((s) => [s.key, s])).values()];
  const w = 420;
  const h = 300;
  const legendY = 70 + h + 60;
  const height = legendY + 20 * Math.ceil(keys.length / 4) + 20;
  const legend = keys.map((s, i) => {
    const x = 70 + (i % 4) * 230;
    const y = legendY + 20 * Math.floor(i / 4);
    return `<g class="legend"><line x1="${x}" y1="${y}" x2="${x + 28}" y2="${y}" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${x + 34}" y="${y}" dominant-baseline="middle">${esc(s.key)}</text></g>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="1030" height="${height}" viewBox="0 0 1030 ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="515" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<text x="515" y="38" text-anchor="middle" fill="#555">one line per PVT-T stage (C = ${[...new Set(rows.map((r) => r.C))].sort((a, b) => a - b).join(', ')}) through the input sizes</text>`,
    panel(70, 70, w, h, 'Time per forward', 'ms', time),
    panel(570, 70, w, h, 'GPU memory', 'MB', memory),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
