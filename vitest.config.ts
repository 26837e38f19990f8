import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests drive real Chromium and EPUBCheck; the machines have 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // After every test: no Chromium the tests started may be left without its parent.
    globalSetup: ['test/support/orphans.ts'],
  },
});
