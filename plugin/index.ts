// A bundler plugin (unplugin: Vite, Rollup, esbuild, webpack) that compiles `.saga` imports at
// build time: `import { createSaga } from './saga.saga'` gets the module `sagac build` would
// write for every block of the file, as JavaScript. Diagnostics become build errors at file:line:col.
import { readFile } from 'node:fs/promises';
import { ts } from 'ts-morph';
import { createUnplugin, type UnpluginFactory } from 'unplugin';
import { generateModule } from '../codegen/ts/module.js';
import { generatePlan, sizedFor } from '../codegen/wgsl/index.js';
import { compileSource } from '../compiler/index.js';
import { formatSizes } from '../runtime/shape.js';
import { formatDiagnostics } from '../dsl/format.js';

export interface SagaPluginOptions {
  /** The fused plan (default) or the blocks as written. */
  readonly fuse?: boolean;
  /** Where generated code imports the runtime from (default `sagac/runtime`). */
  readonly runtime?: string;
  /** Sizes to make the kernels for, as `sagac build --dim` (docs/build.md), e.g. `{ C: 64 }`. */
  readonly dims?: Readonly<Record<string, number>>;
}

const isSaga = (id: string) => /\.saga$/.test(id.split('?')[0]);

/** The JavaScript module for a .saga file, or the diagnostics that stop it. */
export async function compileSagaModule(source: string, id: string, options: SagaPluginOptions = {}) {
  const r = compileSource(source, id);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.ok) return { ok: false as const, errors, message: formatDiagnostics(errors, source) };
  const fuse = options.fuse ?? true;
  const dims = new Map(Object.entries(options.dims ?? {}));
  for (const [name, size] of dims) if (!(Number.isInteger(size) && size > 0)) throw new Error(`sagac plugin: dims.${name} is ${size}; expected a positive whole number`);
  const graphs = fuse ? r.optimized : r.graphs;
  // The header names the sizes some block of the file is made for.
  const used = new Map([...dims].filter(([s]) => graphs.some((g) => g.symbols.includes(s))));
  const blocks = graphs.map((graph) => ({ graph, plan: generatePlan(graph, sizedFor(graph, used)) }));
  const typescript = await generateModule(blocks, { sourceFile: id, source, variant: fuse ? 'fused' : 'unfused', runtime: options.runtime, ...(used.size ? { sizes: formatSizes(used) } : {}) });
  const js = ts.transpileModule(typescript, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
    fileName: `${id}.ts`,
  });
  return { ok: true as const, code: js.outputText };
}

const factory: UnpluginFactory<SagaPluginOptions | undefined> = (options = {}) => ({
  name: 'sagac',
  enforce: 'pre',
  loadInclude: isSaga,
  async load(id) {
    const file = id.split('?')[0];
    const source = await readFile(file, 'utf8');
    const r = await compileSagaModule(source, file, options);
    if (r.ok) return { code: r.code };
    const first = r.errors[0].span;
    // Rollup and Vite throw here; unplugin's esbuild adapter collects the error and drops it
    // unless the hook returns non-empty code to carry it.
    this.error({ message: r.message, id: file, loc: { file, line: first.line, column: first.col - 1 } });
    return { code: 'export {};' };
  },
});

/** The plugin for every bundler unplugin supports. */
export const sagaPlugin = createUnplugin(factory);
/** `plugins: [sagaVite()]` in vite.config.ts. */
export const sagaVite = sagaPlugin.vite;
/** `plugins: [sagaRollup()]` in rollup.config.js. */
export const sagaRollup = sagaPlugin.rollup;
/** `plugins: [sagaEsbuild()]` in `esbuild.build`. */
export const sagaEsbuild = sagaPlugin.esbuild;
/** `plugins: [sagaWebpack()]` in webpack.config.js. */
export const sagaWebpack = sagaPlugin.webpack;
