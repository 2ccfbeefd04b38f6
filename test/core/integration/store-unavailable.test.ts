// A store that closes under a request (a shutdown, a crash) is not a bug: the core answers 503
// STORE_UNAVAILABLE in `{code, message}`, says nothing was made durable, and prints no stack trace.
import { afterEach, expect, it } from 'vitest';
import { MemoryStore } from '../../../lib/store/index.ts';
import { startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim | undefined;
afterEach(async () => {
  await paysim?.close();
  paysim = undefined;
});

it('answers 503 STORE_UNAVAILABLE, with no process warning, to a change the closed store cannot take; the channel is told to resend', async () => {
  const store = new MemoryStore();
  paysim = await startPaysim({ coreOptions: { store } });
  const { paymentNo } = await paysim.orderAndPay('12.00');
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  try {
    await store.close();
    const answer = await paysim.api('POST', '/api/orders', { outOrderNo: 'after-close', amount: '1.00', currency: 'CNY', subject: 'store closed' });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('nothing was acknowledged') });
    expect(answer.body.message).toContain('store is closed');

    // The buyer pays: the notify cannot be booked, so it is not acknowledged and the channel keeps it pending.
    await paysim.buyerPays(paymentNo);
    await paysim.advance(0);
    const notifications = (await (await fetch(`${paysim.sim.url}/_sim/notifications`)).json()) as { state: string; attempts: { status?: number; acknowledged: boolean }[] }[];
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.state).toBe('pending');
    expect(notifications[0]!.attempts.map((attempt) => [attempt.status, attempt.acknowledged])).toEqual([[503, false]]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((message) => message.includes('paysim core'))).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
