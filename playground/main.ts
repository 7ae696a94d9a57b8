// The playground: the compiler bundled into the page. Edit -> compile -> diagnostics, graphs, WGSL
// and the generated TypeScript module of the selected block; Run -> that block at the typed dims on
// this browser's WebGPU (fused and as written) against the float64 interpreter.
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../codegen/graph/index.js';
import { generatePlan, type Plan } from '../codegen/wgsl/index.js';
import { compileSource, type CompileResult } from '../compiler/index.js';
import { inputsOf, paramsOf, type Graph } from '../compiler/ir.js';
import { interpret } from '../runtime/interpreter.js';
import { randomTensor, rng } from '../runtime/random.js';
import { evalShape } from '../runtime/shape.js';
import { maxRelativeError, type Tensor } from '../runtime/tensor.js';
import { acquireDevice, Executor } from '../runtime/webgpu/index.js';

// Every example of the repository, by file name (bundled as text).
const EXAMPLES = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../examples/*.saga', { query: '?raw', import: 'default', eager: true })).map(([path, text]) => [path.split('/').pop()!, text]),
);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const source = $<HTMLTextAreaElement>('source');
const highlight = $('highlight');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const KEYWORDS = /^(block|const|dim|input|param|let|output|keep)$/;
const FUNCS = /^(relu|elu|sigmoid|silu|gelu|softplus|exp|log|sqrt|abs|sum|mean|norm|max|min|outer|split_heads|merge_heads|transpose|pow|softmax|dwconv|patches)$/;

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
/** The block shown, by name (kept across edits while the source still has it). */
let blockName: string | undefined;
/** Dim values typed so far, by symbol (kept across blocks). */
const dimValues = new Map<string, number>([['B', 1], ['N', 256], ['C', 64]]);
let updates = 0;

/** The selected block: its graph as written and after the passes. */
function selected(r: CompileResult): { before: Graph; after: Graph } | undefined {
  const i = Math.max(0, r.graphs.findIndex((g) => g.block === blockName));
  return r.graphs[i] ? { before: r.graphs[i], after: r.optimized[i] } : undefined;
}

function showBlocks(r: CompileResult): void {
  const select = $<HTMLSelectElement>('block');
  const names = r.graphs.map((g) => g.block);
  if (!names.includes(blockName ?? '')) blockName = names[0];
  select.innerHTML = names.map((n) => `<option${n === blockName ? ' selected' : ''}>${esc(n)}</option>`).join('');
}

function showDims(g: Graph): void {
  const box = $('dims');
  const have = [...box.querySelectorAll<HTMLInputElement>('input')].map((i) => i.name).join(',');
  if (have === g.symbols.join(',')) return;
  box.innerHTML = g.symbols.map((s) => `<label>${esc(s)} <input name="${esc(s)}" type="number" min="1" step="1" value="${dimValues.get(s) ?? 16}" /></label>`).join(' ');
  for (const input of box.querySelectorAll<HTMLInputElement>('input')) input.onchange = () => dimValues.set(input.name, Number(input.value));
}

/** The typed dims, or a message naming the first bad one. */
function readDims(g: Graph): Map<string, number> | string {
  const env = new Map<string, number>();
  for (const s of g.symbols) {
    const v = dimValues.get(s) ?? 16;
    if (!Number.isInteger(v) || v < 1) return `dim ${s} must be a positive whole number (got ${v})`;
    env.set(s, v);
  }
  return env;
}

/** The module \`sagac build\` writes for this block: generated here with the same code (ts-morph, prettier). */
async function showModule(text: string, sourceFile: string, g: { before: Graph; after: Graph }, plan: Plan, ticket: number): Promise<void> {
  const tab = $('tab-ts');
  tab.textContent = 'generating the TypeScript module…';
  try {
    const { generateModule } = await import('../codegen/ts/module.js');
    const code = await generateModule([{ graph: g.after, plan, reference: { graph: g.before, plan: generatePlan(g.before) } }], {
      sourceFile,
      source: text,
      variant: 'fused',
    });
    if (ticket === updates) tab.textContent = code;
  } catch (e) {
    if (ticket === updates) tab.textContent = `could not generate the module: ${e instanceof Error ? e.message : String(e)}`;
  }
}

async function update(): Promise<void> {
  const text = source.value;
  // An unedited example compiles under its path, so its WGSL and module read as `sagac build` writes them.
  const example = $<HTMLSelectElement>('example').value;
  const sourceFile = text === EXAMPLES[example] ? `examples/${example}` : 'playground.saga';
  const result = compileSource(text, sourceFile);
  const diags = result.diagnostics;
  highlight.innerHTML = render(text, diags.map((d) => ({ start: d.span.start, end: d.span.end, cls: d.severity === 'error' ? 'err' : 'warn', title: d.message })));
  $('diagnostics').innerHTML = diags.map((d) => `<li class="${d.severity}">${d.span.line}:${d.span.col} ${d.severity} ${d.code}: ${esc(d.message)}${d.hint ? ` (hint: ${esc(d.hint)})` : ''}</li>`).join('');
  const ticket = ++updates;
  if (!result.ok || result.graphs.length === 0) {
    current = undefined;
    $('tab-wgsl').textContent = result.ok ? 'no block' : 'fix the errors to see the WGSL';
    $('tab-ts').textContent = result.ok ? 'no block' : 'fix the errors to see the TypeScript module';
    return;
  }
  current = result;
  showBlocks(result);
  const g = selected(result)!;
  showDims(g.before);
  const { before, after } = g;
  const plan = generatePlan(after);
  $('tab-wgsl').textContent = [`// block ${after.block}: ${plan.kernels.length} kernels after the passes`, ...plan.kernels.map((k) => `// kernel ${k.name}\n${k.wgsl}`)].join('\n');
  void showModule(text, sourceFile, g, plan, ticket);
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
  const { before: graph, after: fused } = selected(current)!;
  const env = readDims(graph);
  if (typeof env === 'string') return void (out.textContent = env);
  let tensors: Record<string, Tensor>;
  try {
    tensors = randomTensors(graph, env);
  } catch (e) {
    // A dim that does not divide (N / width, C / heads): the runtime's message, not a stack.
    return void (out.textContent = `cannot make inputs at these dims: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const gpu = await acquireDevice();
    const lines = [`adapter: ${gpu.describe()}`, `dims: ${[...env].map(([k, v]) => `${k}=${v}`).join(' ')}`];
    try {
      const ref = interpret(graph, tensors);
      let worst = 0;
      // The KV projections stored (kvProjections false): headless Chromium on lavapipe loses its
      // device building the KV reduction that computes them inside (32 KiB, 9 storage buffers),
      // which Node's Dawn on the same driver runs (cause not found yet). Heads unrolled: SwiftShader
      // does not finish compiling the loop over heads around a matmul tile (CodegenOptions.unrollHeads).
      lines.push('fused plan with the KV projections stored and heads unrolled (kvProjections false, unrollHeads true), as browsers vary in what they build');
      for (const [label, g] of [['fused', fused], ['unfused', graph]] as const) {
        const plan = generatePlan(g, { kvProjections: false, unrollHeads: true });
        const ex = await Executor.create(gpu, plan);
        await ex.run(tensors);
        const t0 = performance.now();
        // The kernels once more after the run, alone: timestamps where the browser allows them.
        const r = await ex.run(tensors, { repeatKernels: 1, timeBlock: true });
        const ms = performance.now() - t0;
        const kernels = r.blockMs !== undefined ? `kernels ${r.blockMs.toFixed(2)} ms (GPU timestamps)` : `kernels ${r.kernelsWallMs!.toFixed(1)} ms (wall clock)`;
        for (const o of graph.outputs) {
          const err = maxRelativeError(r.outputs[o.name].data, ref[o.name].data);
          worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
          lines.push(`${label}: ${plan.kernels.length} kernels, a run ${ms.toFixed(1)} ms wall, ${kernels}; output ${o.name} max relative error ${err.toExponential(2)}`);
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
const exampleSelect = $<HTMLSelectElement>('example');
exampleSelect.innerHTML = Object.keys(EXAMPLES)
  .sort()
  .map((n) => `<option${n === 'saga.saga' ? ' selected' : ''}>${esc(n)}</option>`)
  .join('');
exampleSelect.onchange = () => {
  source.value = EXAMPLES[exampleSelect.value];
  blockName = undefined;
  void update();
};
$<HTMLSelectElement>('block').onchange = (e) => {
  blockName = (e.target as HTMLSelectElement).value;
  void update();
};
source.value = EXAMPLES['saga.saga'];
void update();
