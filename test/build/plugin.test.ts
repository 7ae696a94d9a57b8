// The bundler plugin through esbuild: a fixture importing a .saga file bundles (with the runtime
// only: no parser), and a fixture with a mistake fails at its file:line:col.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileSagaModule, sagaEsbuild } from '../../plugin/index.js';
import { removeScratch, repo, runtimeEntry, scratch } from './helpers.js';

afterAll(removeScratch);

function bundle(dir: string) {
  return build({
    entryPoints: [join(dir, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    alias: { 'sagac/runtime': runtimeEntry },
    plugins: [sagaEsbuild()],
  });
}

describe('the esbuild plugin', () => {
  it('bundles `import { createSaga } from "./saga.saga"` with the runtime and no compiler', async () => {
    const dir = scratch('plugin-ok');
    copyFileSync(join(repo, 'examples/saga.saga'), join(dir, 'saga.saga'));
    writeFileSync(
      join(dir, 'main.ts'),
      `import { acquireDevice } from 'sagac/runtime';
import { createSaga, sagaPlan } from './saga.saga';
export async function main(params: never) {
  const block = await createSaga(await acquireDevice(), params);
  return [block, sagaPlan.kernels.length];
}
`,
    );
    const result = await bundle(dir);
    expect(result.errors).toEqual([]);
    const js = result.outputFiles[0].text;
    expect(js).toContain('async function createSaga(');
    expect(js).toContain('@compute @workgroup_size');
    expect(js).toMatch(/class Executor|Executor = class/);
    expect(js).not.toMatch(/chevrotain|ts-morph|prettier/);
  });

  it('fails a .saga file with an error at its file:line:col, with the caret', async () => {
    const dir = scratch('plugin-bad');
    writeFileSync(join(dir, 'bad.saga'), 'block bad {\n  input x: [N, C]\n  output y = x @ w_q\n}\n');
    writeFileSync(join(dir, 'main.ts'), `import { createBad } from './bad.saga';\nexport { createBad };\n`);
    const error = await bundle(dir).then(
      () => null,
      (e: unknown) => e as Error & { errors: { text: string; location: { file: string; line: number; column: number } | null }[] },
    );
    expect(error).not.toBeNull();
    expect(error!.message).toContain(`${join(dir, 'bad.saga')}:3:18: error`);
    expect(error!.message).toContain("unknown name 'w_q'");
    expect(error!.errors[0].location).toMatchObject({ line: 3, column: 17 });
  });

  it('makes the kernels for `dims` as sagac build --dim does, and refuses a size that is not a whole number', async () => {
    const source = readFileSync(join(repo, 'examples/saga.saga'), 'utf8');
    const sized = await compileSagaModule(source, 'examples/saga.saga', { dims: { C: 64, H: 3 } });
    const plain = await compileSagaModule(source, 'examples/saga.saga');
    if (!sized.ok || !plain.ok) throw new Error('examples/saga.saga did not compile');
    expect(sized.code).toContain('array<vec4<f32>>');
    expect(sized.code).toContain('// Kernels made for C=64 (sagac build --dim).');
    expect(plain.code).not.toContain('array<vec4<f32>>');
    await expect(compileSagaModule(source, 'examples/saga.saga', { dims: { C: 6.5 } })).rejects.toThrow(/dims\.C is 6\.5; expected a positive whole number/);
  });
});
