// A core in a process of its own, for the reconciliation crash test: a data dir, a real clock, queries
// so rare that only reconciliation can find the buyers' payments, and no daily run (the test asks).
// It prints {"url": …} once listening.
import { createCore } from '../../../core/app.ts';
import { fixtureKeys } from '../../support/keys.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`recon-core-process: ${name} is required`);
  return value;
};

const simUrl = env('SIM_URL');
const alipay = {
  appId: env('APP_ID'),
  sellerId: env('SELLER_ID'),
  privateKeyPem: fixtureKeys.merchant.privateKeyPem,
  alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem,
  gatewayUrl: `${simUrl}/gateway.do`,
  endpoint: simUrl,
  timeoutMs: 30_000,
};
const dayMs = 86_400_000;
const core = await createCore({
  dataDir: env('DATA_DIR'),
  seed: 7,
  connectors: { alipay },
  config: {
    port: 0,
    checksIntervalMs: 0,
    reconciliation: { dailyAt: null },
    policy: { payment: { querySteps: [{ untilAgeMs: 30 * dayMs, everyMs: 10 * dayMs }] } },
  },
});
const url = await core.listen();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
