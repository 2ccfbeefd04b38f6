// The core's Alipay connector against the real simulator, with alipay-sdk's signing calls (exec:
// sign, HTTP, verify; pageExec: sign a URL) on the SDK thread (the `sdkThread` option): the same
// tests as alipay.test.ts, in alipay-suite.ts, and a check that the thread is where they ran.
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createAlipayChannel } from '../../../core/connectors/alipay/index.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { uniqueNo } from '../../support/orders.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';
import { alipayConnectorTests } from './alipay-suite.ts';

alipayConnectorTests(true);

let env: RunningSimulator;
beforeAll(async () => {
  env = await startSimulator();
});
afterAll(async () => {
  await env.close();
});

it('signs, sends and verifies on the SDK thread: the event loop never calls the SDK\'s exec or pageExec', async () => {
  const exec = vi.spyOn(AlipaySdk.prototype, 'exec');
  const pageExec = vi.spyOn(AlipaySdk.prototype, 'pageExec');
  try {
    const channel = createAlipayChannel({
      appId: env.appId, privateKeyPem: fixtureKeys.merchant.privateKeyPem, alipayPublicKeyPem: fixtureKeys.channel.publicKeyPem,
      gatewayUrl: `${env.url}/gateway.do`, endpoint: env.url, sdkThread: true,
    });
    const base = { amountFen: 100, subject: 'thread', expiresAtMs: env.clock.now() + 600_000, notifyUrl: 'http://127.0.0.1:9/notify' };
    const qr = await channel.createPayment({ ...base, paymentNo: uniqueNo('P'), method: 'alipay.qr' });
    expect(qr).toMatchObject({ kind: 'created', qrCode: expect.any(String) });
    const page = await channel.createPayment({ ...base, paymentNo: uniqueNo('P'), method: 'alipay.page' });
    expect(page).toMatchObject({ kind: 'created', payUrl: expect.stringContaining('sign=') });
    // The signed URL is one the simulator accepts: it sends the buyer on to its cashier.
    const opened = await fetch((page as { payUrl: string }).payUrl, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(exec).not.toHaveBeenCalled();
    expect(pageExec).not.toHaveBeenCalled();
  } finally {
    exec.mockRestore();
    pageExec.mockRestore();
  }
});
