import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CI runs on two cores beside a control plane: a call to it can stall for seconds.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
