import { defineConfig } from 'vite';

// Static build: relative asset paths so the folder can be hosted under any path.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: '../dist-playground', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { fs: { allow: ['..'] } },
});
