// POST /_sim/notifications/:id/resend: one more attempt now, as Stripe's CLI resends an event. Like
// every attempt outside the schedule no fault rule acts on it; an unacknowledged resend leaves the
// schedule alone, and an acknowledgement ends it.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { simNotificationsOf, startPaysim, type Paysim } from '../../core/integration/paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

const resend = (id: string, body = '{}') =>
  fetch(`${paysim.sim.url}/_sim/notifications/${encodeURIComponent(id)}/resend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

it('resends a notification the faults drop, unfaulted, and its acknowledgement ends the schedule', async () => {
  paysim.sim.engine.faults.add({ match: { api: 'notify' }, fault: { type: 'drop' } });
  const { paymentNo } = await paysim.orderAndPay('15.00');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  const [notification] = simNotificationsOf(paysim, paymentNo);
  expect(notification!.attempts.map((attempt) => attempt.error)).toEqual(['dropped by fault injection']);

  const answer = await resend(notification!.id);
  expect(answer.status).toBe(200);
  const resent = await answer.json();
  expect(resent.attempts).toHaveLength(2);
  expect(resent.attempts[1]).toMatchObject({ status: 200, responseBody: 'success', acknowledged: true, extra: true, resent: true });
  expect(resent.state).toBe('acknowledged');
  expect(resent.nextAttemptAtMs).toBeUndefined();

  await paysim.advance(30 * 60_000); // the 4m and 14m attempts are not sent any more
  expect(simNotificationsOf(paysim, paymentNo)[0]!.attempts).toHaveLength(2);
  const journal = await (await fetch(`${paysim.sim.url}/_sim/journal?type=notify.attempted&outTradeNo=${paymentNo}`)).json();
  expect(journal.map((entry: { resent?: boolean }) => entry.resent === true)).toEqual([false, true]);
});

it('keeps the schedule of a notification whose resend the merchant does not acknowledge', async () => {
  const { paymentNo } = await paysim.orderAndPay('16.00');
  await paysim.buyerPays(paymentNo);
  const [notification] = simNotificationsOf(paysim, paymentNo);
  await paysim.core.close(); // nobody answers at the notify URL
  const resent = await (await resend(notification!.id)).json();
  expect(resent.attempts).toEqual([expect.objectContaining({ acknowledged: false, resent: true, error: expect.any(String) })]);
  expect(resent.state).toBe('pending');
  expect(resent.nextAttemptAtMs).toBe(notification!.createdAtMs); // the first scheduled attempt is still due
});

it('answers {code, message} for a notification that does not exist and for a body it does not read', async () => {
  const missing = await resend('20260101000000000000000000000');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('GET /_sim/notifications') });

  const { paymentNo } = await paysim.orderAndPay('15.00');
  await paysim.buyerPays(paymentNo);
  const id = simNotificationsOf(paysim, paymentNo)[0]!.id;
  const unknownField = await resend(id, '{"now":true}');
  expect(unknownField.status).toBe(400);
  expect((await unknownField.json()).code).toBe('UNKNOWN_FIELD');
  const notJson = await resend(id, '{now');
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).code).toBe('INVALID_JSON');
  expect(simNotificationsOf(paysim, paymentNo)[0]!.attempts).toHaveLength(0);

  const noBody = await fetch(`${paysim.sim.url}/_sim/notifications/${id}/resend`, { method: 'POST' });
  expect(noBody.status).toBe(200);
  expect((await noBody.json()).attempts).toHaveLength(1);
});
