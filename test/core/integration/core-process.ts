// A core in a process of its own, for the crash test: on a real clock, with a data dir, against the
// simulator at SIM_URL. It prints {"url": …} once listening. Queries run every second, so payments
// left in flight by a crash are finished within the test's time.
import { createCore } from '../../../core/app.ts';
import { fixtureKeys } from '../../support/keys.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`core-process: ${name} is required`);
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
  timeoutMs: 5_000,
};
const core = await createCore({
  dataDir: env('DATA_DIR'),
  seed: 7,
  connectors: { alipay },
  config: {
    port: 0,
    checksIntervalMs: 0,
    policy: { payment: { querySteps: [{ untilAgeMs: 10 * 60_000, everyMs: 1_000 }, { untilAgeMs: 24 * 3_600_000, everyMs: 60_000 }] } },
  },
});
const url = await core.listen();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on('SIGTERM', () => void core.close().then(() => process.exit(0)));
