import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Dawn runs on lavapipe (a CPU Vulkan) in CI: GPU tests are slow, and one process per file
    // keeps each Dawn instance isolated.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
