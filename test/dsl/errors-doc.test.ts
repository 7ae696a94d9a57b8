// docs/errors.md lists every diagnostic code the catalog defines, each with an example.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { messages } from '../../dsl/messages.js';

it('docs/errors.md has a section with an example for every code in dsl/messages.ts', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');
  const codes = [...new Set(Object.values(messages).map((m) => m.code))].sort();
  expect(codes.length).toBeGreaterThan(20);
  const missing = codes.filter((c) => !new RegExp(`^### ${c} `, 'm').test(doc));
  expect(missing).toEqual([]);
  // Each section shows the diagnostic as printed.
  const sections = doc.split(/^### /m).slice(1);
  const withoutExample = sections.filter((s) => !/```/.test(s)).map((s) => s.split('\n')[0]);
  expect(withoutExample).toEqual([]);
});
