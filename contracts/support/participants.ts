// Who the contracts are between, and where the pact files live. One consumer (the core's Alipay
// connector and notify handling) and two provider interfaces of the simulator: its HTTP surface
// (the v2 gateway and the bill download) and the notifications it sends.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const consumerName = 'paysim-core';
export const gatewayProviderName = 'paysim-alipay-gateway';
export const notifyProviderName = 'paysim-alipay-notify';

/** Committed: `npm run contracts` regenerates them (consumer) and verifies the simulator against them (provider). */
export const pactDirectory = fileURLToPath(new URL('../pacts/', import.meta.url));
export const gatewayPactFile = join(pactDirectory, `${consumerName}-${gatewayProviderName}.json`);
export const notifyPactFile = join(pactDirectory, `${consumerName}-${notifyProviderName}.json`);

/**
 * The app both sides use: the simulator's default Alipay app, registered with the fixture keys
 * (test/fixtures/keys: the merchant signs requests with merchant_private.pem; the channel signs
 * answers and notifications with channel_private.pem).
 */
export const contractAppId = '2021000000000001';

/** The pact core's own log level; its verifier report is printed whatever this says. */
export const pactLogLevel = 'error' as const;
