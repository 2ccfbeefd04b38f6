import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // contracts/ runs only through `npm run contracts` (consumer, then provider: see contracts/vitest.config.ts).
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
