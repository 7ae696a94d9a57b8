// Each fixture in test/fixtures/errors marks its expected diagnostics with `// expect: CODE` on
// the offending line; the formatted output (file:line:col, source line, caret) is golden.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/index.js';
import { formatDiagnostics } from '../../dsl/format.js';

const dir = join(import.meta.dirname, '../fixtures/errors');

function expectedMarks(source: string): string[] {
  return source.split('\n').flatMap((line, i) => [...line.matchAll(/expect: (SG\d{4})/g)].map((m) => `${i + 1} ${m[1]}`));
}

describe('semantic diagnostics', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.saga')).sort()) {
    it(`${name} reports exactly the marked diagnostics`, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const file = `errors/${name}`;
      const r = compileSource(source, file);
      const got = r.diagnostics.map((d) => `${d.span.line} ${d.code}`).sort();
      expect(got).toEqual(expectedMarks(source).sort());
      for (const d of r.diagnostics) {
        expect(d.span.file).toBe(file);
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeLessThanOrEqual(source.length);
      }
      expect(formatDiagnostics(r.diagnostics, source)).toMatchSnapshot();
    });
  }
});
