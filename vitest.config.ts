import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // contracts/ runs only through `npm run contracts` (consumer, then provider: see contracts/vitest.config.ts).
    include: ['test/**/*.test.ts'],
    // Builds dist/ first when it is older than the sources: the CLI tests spawn the compiled build.
    globalSetup: ['./test/support/build-first.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
