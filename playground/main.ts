// The playground: the compiler bundled into the page. Edit -> compile -> diagnostics, graphs, WGSL;
// Run -> the block on this browser's WebGPU (fused and as written) against the float64 interpreter.
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../codegen/graph/index.js';
import { generatePlan } from '../codegen/wgsl/index.js';
import { compileSource, type CompileResult } from '../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../compiler/ir.js';
import { interpret } from '../runtime/interpreter.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, Executor } from '../runtime/webgpu/index.js';
import example from '../examples/saga.saga?raw';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const source = $<HTMLTextAreaElement>('source');
const highlight = $('highlight');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const KEYWORDS = /^(block|const|dim|input|param|let|output|keep)$/;
const FUNCS = /^(relu|elu|sigmoid|silu|gelu|softplus|exp|log|sqrt|abs|sum|mean|norm|max|min|outer|split_heads|merge_heads|transpose|pow)$/;

/** Highlighted HTML for `text`, with the diagnostics' spans underlined (title = the message). */
function render(text: string, marks: { start: number; end: number; cls: string; title: string }[]): string {
  const token = (s: string) =>
    s.replace(/(\/\/[^\n]*)|\b([A-Za-z_]\w*)\b|\b(\d[\d.eE+-]*)/g, (m, com, word, num) =>
      com ? `<span class="com">${com}</span>` : word ? (KEYWORDS.test(word) ? `<span class="kw">${word}</span>` : FUNCS.test(word) ? `<span class="fn">${word}</span>` : word) : num ? `<span class="num">${num}</span>` : m,
    );
  let html = '';
  let at = 0;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start < at) continue;
    const end = Math.max(m.end, m.start + 1);
    html += token(esc(text.slice(at, m.start))) + `<span class="${m.cls}" title="${esc(m.title)}">${esc(text.slice(m.start, end)) || ' '}</span>`;
    at = end;
  }
  return html + token(esc(text.slice(at))) + '\n';
}

let viz: Viz | undefined;
let current: CompileResult | undefined;

async function update(): Promise<void> {
  const text = source.value;
  const result = compileSource(text, 'playground.saga');
  const diags = result.diagnostics;
  highlight.innerHTML = render(text, diags.map((d) => ({ start: d.span.start, end: d.span.end, cls: d.severity === 'error' ? 'err' : 'warn', title: d.message })));
  $('diagnostics').innerHTML = diags.map((d) => `<li class="${d.severity}">${d.span.line}:${d.span.col} ${d.severity} ${d.code}: ${esc(d.message)}${d.hint ? ` (hint: ${esc(d.hint)})` : ''}</li>`).join('');
  if (!result.ok || result.graphs.length === 0) {
    current = undefined;
    $('tab-wgsl').textContent = result.ok ? 'no block' : 'fix the errors to see the WGSL';
    return;
  }
  current = result;
  const [before, after] = [result.graphs[0], result.optimized[0]];
  $('tab-wgsl').textContent = generatePlan(after).kernels.map((k) => `// kernel ${k.name}\n${k.wgsl}`).join('\n');
  $('tab-ts').textContent =
    '// The typed TypeScript module (sagac build) is generated with ts-morph and prettier, which are\n' +
    '// not bundled into this page. Run `npx sagac build FILE.saga --out DIR` for it; here is the\n' +
    "// plan that module embeds (kernels and buffers):\n" +
    JSON.stringify({ block: after.block, symbols: after.symbols, buffers: generatePlan(after).buffers.map((b) => b.id), kernels: generatePlan(after).kernels.map((k) => ({ name: k.name, reads: k.reads, writes: k.writes })) }, null, 2);
  viz ??= await instance();
  $('tab-before').innerHTML = viz.renderString(toDot(before), { format: 'svg' });
  $('tab-after').innerHTML = viz.renderString(toDot(after), { format: 'svg' });
}

function randomTensors(graph: Graph, env: ReadonlyMap<string, number>): Record<string, Tensor> {
  const next = rng(1);
  const t: Record<string, Tensor> = {};
  for (const n of inputsOf(graph)) t[n.name] = randomTensor(evalShape(n.shape, env), next);
  for (const n of paramsOf(graph)) {
    const s = evalShape(n.shape, env);
    t[n.name] = randomTensor(s, next, s.length >= 2 ? 1 / Math.sqrt(s[s.length - 2]) : 0.5);
  }
  return t;
}

async function run(): Promise<void> {
  const out = $('run-output');
  if (!current) return void (out.textContent = 'fix the errors first');
  if (!('gpu' in navigator)) return void (out.textContent = 'this browser has no WebGPU (navigator.gpu is missing): graphs and WGSL still work');
  out.textContent = 'running…';
  const [graph, fused] = [current.graphs[0], current.optimized[0]];
  const env = new Map(graph.symbols.map((s) => [s, ({ B: 1, N: 256, C: 64 } as Record<string, number>)[s] ?? 16]));
  const tensors = randomTensors(graph, env);
  try {
    const gpu = await acquireDevice();
    const lines = [`adapter: ${gpu.describe()}`, `dims: ${[...env].map(([k, v]) => `${k}=${v}`).join(' ')}`];
    try {
      const ref = interpret(graph, tensors);
      let worst = 0;
      for (const [label, g] of [['fused', fused], ['unfused', graph]] as const) {
        const ex = await Executor.create(gpu, generatePlan(g));
        await ex.run(tensors);
        const t0 = performance.now();
        const r = await ex.run(tensors);
        const ms = performance.now() - t0;
        for (const o of graph.outputs) {
          const err = maxRelativeError(r.outputs[o.name].data, ref[o.name].data);
          worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
          lines.push(`${label}: ${generatePlan(g).kernels.length} kernels, ${ms.toFixed(1)} ms wall, GPU ${r.timings.gpuMs.toFixed(1)} ms; output ${o.name} max relative error ${err.toExponential(2)}`);
        }
      }
      lines.push(`max error: ${worst.toExponential(2)}`);
    } finally {
      gpu.destroy();
    }
    out.textContent = lines.join('\n');
  } catch (e) {
    out.textContent = `cannot run on WebGPU here: ${e instanceof Error ? e.message : String(e)}`;
  }
}

for (const b of document.querySelectorAll<HTMLButtonElement>('nav button')) {
  b.onclick = () => {
    for (const el of document.querySelectorAll('nav button, .tab')) el.classList.remove('on');
    b.classList.add('on');
    $(`tab-${b.dataset.tab}`).classList.add('on');
  };
}
source.addEventListener('scroll', () => ((highlight.scrollTop = source.scrollTop), (highlight.scrollLeft = source.scrollLeft)));
let pending: ReturnType<typeof setTimeout> | undefined;
source.addEventListener('input', () => (clearTimeout(pending), (pending = setTimeout(() => void update(), 150))));
$('run').onclick = () => void run();
$('gpu-status').textContent = 'gpu' in navigator ? 'WebGPU: available' : 'WebGPU: not available in this browser (Run disabled)';
source.value = example;
void update();
