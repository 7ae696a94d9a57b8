import { compileFile } from './common.js';

export function check(file: string): void {
  const r = compileFile(file);
  const warnings = r.diagnostics.length;
  console.log(`${file}: ok, ${r.graphs.length} block${r.graphs.length === 1 ? '' : 's'} (${r.graphs.map((g) => g.block).join(', ')})${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
}
