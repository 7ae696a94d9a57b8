import { generatePlan, sizedFor } from '../codegen/wgsl/index.js';
import { formatSizes } from '../runtime/shape.js';
import { checkDimNames, compileFile, parseDimFlags, selectBlocks } from './common.js';

/** The blocks' kernels; with `--dim` flags, made for those sizes as `sagac build --dim` makes them. */
export function wgsl(file: string, block: string | undefined, fused: boolean, dimFlags: readonly string[] = []): void {
  const blocks = selectBlocks(compileFile(file), block, fused);
  const dims = parseDimFlags(dimFlags);
  checkDimNames(dims, blocks.flatMap((g) => g.symbols));
  for (const g of blocks) {
    const sized = sizedFor(g, dims);
    const plan = generatePlan(g, sized);
    const made = sized.dims ? `, made for ${formatSizes(sized.dims)}` : '';
    for (const k of plan.kernels) process.stdout.write(`// ===== block ${g.block}, kernel ${k.name}${made} =====\n${k.wgsl}\n`);
  }
}
