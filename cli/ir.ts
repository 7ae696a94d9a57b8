import { printGraph } from '../compiler/print.js';
import { compileFile, selectBlocks } from './common.js';

export function ir(file: string, block?: string): void {
  process.stdout.write(selectBlocks(compileFile(file), block).map(printGraph).join('\n'));
}
