// The built playground in headless Chromium (Debian's package, driven by playwright-core; no browser
// download): diagnostics as you type, WGSL once fixed, and Run on WebGPU where the browser has it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const out = join(root, 'dist-playground');
const artifacts = join(import.meta.dirname, '__artifacts__');
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

let server: Server;
let url: string;
let browser: Browser;

describe.skipIf(!executablePath)('playground in headless Chromium (install: apt-get install chromium, or scripts/setup.sh)', () => {
  beforeAll(async () => {
    await build({ configFile: join(root, 'playground/vite.config.ts'), logLevel: 'error' });
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const file = join(out, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(out) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath,
      args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=vulkan', '--use-vulkan=swiftshader', '--ignore-gpu-blocklist', '--no-sandbox'],
    });
    mkdirSync(artifacts, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('shows a diagnostic for an error, the WGSL once fixed, and runs on WebGPU where it can', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await expect.poll(() => page.locator('#tab-wgsl').textContent(), { timeout: 30_000 }).toContain('@compute');
    expect(await page.locator('#tab-after svg').count()).toBe(1);
    expect(await page.locator('#tab-after').textContent()).toContain('kernel matmul_s_w_o');

    // An error: an unknown function on the `let k` line.
    const src = readFileSync(join(root, 'examples/saga.saga'), 'utf8');
    const bad = src.replace('let k = relu(', 'let k = reluu(');
    const line = bad.split('\n').findIndex((l) => l.includes('reluu(')) + 1;
    await page.locator('#source').fill(bad);
    await expect.poll(() => page.locator('#diagnostics li.error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const diag = (await page.locator('#diagnostics li.error').first().textContent())!;
    expect(diag).toMatch(new RegExp(`^${line}:\\d+ error SG\\d+: .*reluu`));
    expect(await page.locator('#highlight .err').first().textContent()).toContain('reluu');
    expect(await page.locator('#highlight .err').first().getAttribute('title')).toContain('reluu');
    expect(await page.locator('#tab-wgsl').textContent()).toContain('fix the errors');

    // Fixed: no diagnostics, the WGSL is back.
    await page.locator('#source').fill(src);
    await expect.poll(() => page.locator('#tab-wgsl').textContent(), { timeout: 10_000 }).toContain('@compute');
    expect(await page.locator('#diagnostics li').count()).toBe(0);

    const hasGpu = await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return !!gpu && !!(await gpu.requestAdapter());
    });
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#run-output').textContent(), { timeout: 120_000 }).not.toMatch(/^(running…)?$/);
    const text = (await page.locator('#run-output').textContent())!;
    if (hasGpu) {
      const m = /max error: (\S+)/.exec(text);
      expect(m, text).not.toBeNull();
      expect(Number(m![1])).toBeLessThanOrEqual(1e-4);
    } else {
      console.warn(`playground e2e: this Chromium exposes no WebGPU adapter; checked the page says so: ${text}`);
      expect(text).toMatch(/no WebGPU|cannot run on WebGPU/);
    }
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 240_000);

  it('shows the generated TypeScript module of the selected block, byte for byte what sagac build writes', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await expect.poll(() => page.locator('#tab-ts').textContent(), { timeout: 60_000 }).toContain('export async function createSaga(');
    const src = readFileSync(join(root, 'examples/saga.saga'), 'utf8');
    // The unedited example: exactly the module `sagac build` writes (its golden).
    expect(await page.locator('#tab-ts').textContent()).toBe(readFileSync(join(root, 'test/build/golden/saga.ts.golden'), 'utf8'));
    // Edited: the same module Node generates for that text (one code path: ts-morph, prettier standalone, Web Crypto).
    const edited = src.replace('const eps = 1e-6', 'const eps = 1e-5');
    await page.locator('#source').fill(edited);
    await expect.poll(() => page.locator('#tab-ts').textContent(), { timeout: 60_000 }).toContain('from playground.saga');
    const { generateModule } = await import('../../codegen/ts/module.js');
    const { compileSource } = await import('../../compiler/index.js');
    const { generatePlan } = await import('../../codegen/wgsl/index.js');
    const r = compileSource(edited, 'playground.saga');
    const node = await generateModule([{ graph: r.optimized[0], plan: generatePlan(r.optimized[0]), reference: { graph: r.graphs[0], plan: generatePlan(r.graphs[0]) } }], { sourceFile: 'playground.saga', source: edited, variant: 'fused' });
    await expect.poll(() => page.locator('#tab-ts').textContent(), { timeout: 30_000 }).toBe(node);

    // Another example, its blocks in the block menu, the module follows the selection.
    await page.locator('#example').selectOption('gla.saga');
    await expect.poll(() => page.locator('#block option').allTextContents(), { timeout: 10_000 }).toEqual(['gla']);
    await expect.poll(() => page.locator('#tab-ts').textContent(), { timeout: 60_000 }).toContain('export async function createGla(');
    expect(await page.locator('#dims input').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).name))).toEqual(expect.arrayContaining(['N']));

    // Two blocks in one source: choose the second.
    const two = `${src}\n${readFileSync(join(root, 'examples/linear.saga'), 'utf8')}`;
    await page.locator('#source').fill(two);
    await expect.poll(() => page.locator('#block option').count(), { timeout: 10_000 }).toBe(2);
    const second = (await page.locator('#block option').nth(1).textContent())!;
    await page.locator('#block').selectOption(second);
    await expect.poll(() => page.locator('#tab-wgsl').textContent(), { timeout: 10_000 }).toContain(`block ${second}`);

    // A dim that does not divide: a message, not an exception.
    await page.locator('#dims input[name="C"]').fill('7');
    await page.locator('#dims input[name="C"]').dispatchEvent('change');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#run-output').textContent(), { timeout: 30_000 }).toMatch(/cannot|no WebGPU/);
    // Sizes that divide: runs at them and matches the interpreter where the browser has WebGPU.
    await page.locator('#dims input[name="C"]').fill('32');
    await page.locator('#dims input[name="C"]').dispatchEvent('change');
    await page.locator('#dims input[name="N"]').fill('100');
    await page.locator('#dims input[name="N"]').dispatchEvent('change');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#run-output').textContent(), { timeout: 120_000 }).toMatch(/max error|no WebGPU|cannot run/);
    const text = (await page.locator('#run-output').textContent())!;
    if (/max error/.test(text)) {
      expect(text).toContain('N=100');
      expect(Number(/max error: (\S+)/.exec(text)![1])).toBeLessThanOrEqual(1e-4);
    }
    await page.screenshot({ path: join(artifacts, 'playground-ts.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 240_000);
});
