import { printGraph } from '../compiler/print.js';
import { compileFile, selectBlocks } from './common.js';

/** The IR as built, or after the pass named by `after` (`sagac ir FILE --after hadamard-decompose`). */
export function ir(file: string, block: string | undefined, after: string | undefined, verify: boolean): void {
  const result = compileFile(file, { after, verify });
  process.stdout.write(selectBlocks(result, block, after !== undefined).map(printGraph).join('\n'));
}
