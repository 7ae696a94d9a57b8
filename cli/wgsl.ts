import { generatePlan } from '../codegen/wgsl/index.js';
import { compileFile, selectBlocks } from './common.js';

export function wgsl(file: string, block: string | undefined, fused: boolean): void {
  for (const g of selectBlocks(compileFile(file), block, fused)) {
    const plan = generatePlan(g);
    for (const k of plan.kernels) process.stdout.write(`// ===== block ${g.block}, kernel ${k.name} =====\n${k.wgsl}\n`);
  }
}
