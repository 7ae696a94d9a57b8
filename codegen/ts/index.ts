// Build-time code generation: a .saga source becomes, per block, a TypeScript module and one .wgsl
// file per kernel. Pure: paths and contents only; cli/build.ts writes and checks them.
import { compileSource } from '../../compiler/index.js';
import type { Diagnostic } from '../../dsl/span.js';
import { formatSizes } from '../../runtime/shape.js';
import { generatePlan, sizedFor } from '../wgsl/index.js';
import { describeTuning, tuningFor, type TuningFile } from '../wgsl/tuning.js';
import { generateModule, header, type ModuleOptions } from './module.js';

export { exportNames, generateModule, type BlockCode, type ModuleOptions } from './module.js';

export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly contents: string;
}

export interface GenerateOptions {
  /** The fused plan (default) or the block as written. */
  readonly fuse?: boolean;
  /** Directory under the output directory for this source's files (`''` for the top). */
  readonly dir?: string;
  readonly runtime?: string;
  /** Kernel parameters from `sagac tune` (fused plans only); without it, the documented defaults. */
  readonly tuning?: TuningFile;
  /**
   * Sizes to make the plans for (`sagac build --dim`), by dim name; each block takes those it
   * uses (CodegenOptions.dims). Its module then runs at sizes that keep the row widths it reads
   * as vec4s multiples of 4, and refuses others with an error naming the kernel.
   */
  readonly dims?: ReadonlyMap<string, number>;
}

export interface GenerateResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly GeneratedFile[];
  /** The dims the source's blocks are sized by (what `dims` may name). */
  readonly symbols: readonly string[];
}

/**
 * Per block of `source`: `<dir>/<block>.ts` and `<dir>/<block>/<NN>-<kernel>.wgsl`, sorted by path.
 * @example
 *   const { ok, files } = await generateFiles(source, 'src/saga.saga');
 */
export async function generateFiles(source: string, sourceFile: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const r = compileSource(source, sourceFile);
  if (!r.ok) return { ok: false, diagnostics: r.diagnostics, files: [], symbols: [] };
  const fuse = options.fuse ?? true;
  const prefix = options.dir ? `${options.dir}/` : '';
  const files: GeneratedFile[] = [];
  for (const [i, graph] of (fuse ? r.optimized : r.graphs).entries()) {
    const sized = sizedFor(graph, options.dims);
    const codegen = { ...(fuse && options.tuning ? tuningFor(options.tuning, graph.block, sized.dims) : {}), ...sized };
    const plan = generatePlan(graph, codegen);
    const tuned = Object.entries(codegen.tuning ?? {});
    const o: ModuleOptions = {
      sourceFile,
      source,
      variant: fuse ? 'fused' : 'unfused',
      runtime: options.runtime,
      ...(sized.dims ? { sizes: formatSizes(sized.dims) } : {}),
      ...(tuned.length && options.tuning ? { tuned: `tuned on ${options.tuning.adapter}: ${describeTuning(codegen.tuning!)}` } : {}),
    };
    const reference = fuse ? { graph: r.graphs[i], plan: generatePlan(r.graphs[i]) } : undefined;
    files.push({ path: `${prefix}${graph.block}.ts`, contents: await generateModule([{ graph, plan, ...(reference ? { reference } : {}) }], o) });
    for (const [i, k] of plan.kernels.entries()) {
      const name = `${String(i).padStart(2, '0')}-${k.name}.wgsl`;
      files.push({ path: `${prefix}${graph.block}/${name}`, contents: `${await header(o, `block ${graph.block}, kernel ${k.name}`)}\n${k.wgsl.endsWith('\n') ? k.wgsl : `${k.wgsl}\n`}` });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: true, diagnostics: r.diagnostics, files, symbols: [...new Set(r.graphs.flatMap((g) => g.symbols))].sort() };
}
