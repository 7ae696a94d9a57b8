import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** codegen/ts/version.ts reads package.json through node:fs; the page gets playground/version.ts. */
const pageVersion: Plugin = {
  name: 'sagac-page-version',
  enforce: 'pre',
  resolveId(source, importer) {
    if (importer && /codegen[\\/]ts[\\/][^\\/]+\.ts$/.test(importer) && source === './version.js') return fileURLToPath(new URL('./version.ts', import.meta.url));
    return null;
  },
};

// Static build: relative asset paths so the folder can be hosted under any path.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [pageVersion],
  // The TS tab's chunk (ts-morph with TypeScript inside, prettier) is ~8 MB, loaded on first use.
  build: { outDir: '../dist-playground', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 9000 },
  server: { fs: { allow: ['..'] } },
});
