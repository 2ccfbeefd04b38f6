// The contract run, separate from `vitest run`: consumer first (it regenerates contracts/pacts), then
// provider (it verifies the simulator against them). `npm run contracts` runs the two projects in that
// order; running both at once would verify pact files while they are being rewritten.
import { defineConfig } from 'vitest/config';

// The pact core reports usage to a metrics endpoint unless told not to; these tests stay on loopback.
process.env.PACT_DO_NOT_TRACK = 'true';

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // Consumer files merge interactions into the same pact file, and provider files verify it: one file at a time.
  fileParallelism: false,
  env: { PACT_DO_NOT_TRACK: 'true' },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'consumer',
          include: ['contracts/consumer/**/*.test.ts'],
          globalSetup: ['contracts/consumer/support/fresh-pacts.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'provider',
          include: ['contracts/provider/**/*.test.ts'],
        },
      },
    ],
  },
});
