// The consumer under test: the core's real Alipay connector (official alipay-sdk inside, every answer's
// signature verified), pointed at the Pact mock server instead of the channel.
import { createAlipayChannel } from '../../../core/connectors/alipay/index.ts';
import type { Channel } from '../../../core/connectors/channel.ts';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { contractAppId } from '../../support/participants.ts';

export function connectorAt(mockServerUrl: string, options: { privateKeyPem?: string } = {}): Channel {
  return createAlipayChannel({
    appId: contractAppId,
    privateKeyPem: options.privateKeyPem ?? fixtureKeys.merchant.privateKeyPem,
    alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem,
    gatewayUrl: `${mockServerUrl}/gateway.do`,
    endpoint: mockServerUrl,
    timeoutMs: 5_000,
  });
}

/** What the core hands the connector for every payment in these contracts. */
export const paymentCallbacks = {
  notifyUrl: 'http://127.0.0.1:4020/notify/alipay',
  returnUrl: 'http://127.0.0.1:4020/return/alipay',
  quitUrl: 'http://127.0.0.1:4020/shop/cancelled',
} as const;

/**
 * The payment expiry the core asks for: 2026-01-01 12:00:00 Beijing. The provider runs the simulator on
 * virtual time from 2025-12-31 20:00 Beijing, so this expiry is in its future whenever it is replayed.
 */
export const contractExpiresAtMs = Date.parse('2026-01-01T12:00:00+08:00');
export const contractTimeExpire = '2026-01-01 12:00:00';
