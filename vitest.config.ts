import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native addons and Dawn devices are per process: forks keep test files apart.
    pool: 'forks',
    // WGSL pipelines compile at first dispatch on lavapipe (up to ~1 s each).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    env: { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || '/tmp' },
  },
});
