// `sagac explain FILE`: which rewrites fired, where in the user's source, and what they did.
import { PASSES } from '../compiler/pipeline.js';
import { compileFile } from './common.js';

export function explain(file: string, verify: boolean): void {
  const result = compileFile(file, { verify });
  const lines = result.source.split('\n');
  console.log(`passes, in order: ${PASSES.map((p) => `${p.name} (${p.summary})`).join('; ')}`);
  if (result.rewrites.length === 0) console.log('no rewrite fired');
  for (const r of result.rewrites) {
    console.log(`${r.span.file}:${r.span.line}:${r.span.col}: ${r.pass}: ${r.message}`);
    console.log(`    ${String(r.span.line).padStart(4)} | ${lines[r.span.line - 1]?.trimEnd() ?? ''}`);
  }
}
