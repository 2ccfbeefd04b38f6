// Payment outcomes under hostile notifications: lost, duplicated, tampered, forged. The core credits
// each real payment exactly once, and only on the channel's own confirmation.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failedChecks, ledgerOf, simNotificationsOf, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

it('pays an order end to end: notify confirmed by query, ledger posted, business system told once', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('88.80');
  expect((await paysim.order(orderNo)).status).toBe('PAYING');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', amount: '88.80', paidAmount: '88.80', paidPaymentNo: paymentNo });
  expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', settlement: 'credited', fee: '0.53' });
  expect(simNotificationsOf(paysim, paymentNo)[0]!.state).toBe('acknowledged');
  expect(ledgerOf(paysim, paymentNo).map((entry) => entry.id)).toEqual([`payment:${paymentNo}`]);
  expect(paysim.webhook.received).toEqual([expect.objectContaining({ type: 'order.paid', orderNo, amount: '88.80' })]);
  expect(failedChecks(paysim)).toEqual([]);
});

it('credits a payment whose notifications are all lost, by the scheduled query', async () => {
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'drop' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('20.00');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(30_000);
  expect((await paysim.order(orderNo)).status).toBe('PAYING');

  await paysim.advance(30_000); // the first query is due a minute after the payment was created
  const order = await paysim.order(orderNo);
  expect(order.status).toBe('PAID');
  expect(order.payments[0].queryAttempts).toBe(0);
  expect(simNotificationsOf(paysim, paymentNo)[0]!.state).not.toBe('acknowledged');
});

it('credits an order of an amount ending in .04, whose every notify the simulator drops, by query', async () => {
  const { orderNo, paymentNo } = await paysim.orderAndPay('4000.04');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(60_000);
  expect((await paysim.order(orderNo)).status).toBe('PAID');
  expect(simNotificationsOf(paysim, paymentNo).flatMap((notification) => notification.attempts).some((attempt) => attempt.acknowledged)).toBe(false);
});

it('credits a payment once when ten copies of its notification arrive at once', async () => {
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'duplicate', copies: 9 } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('30.00');
  const queries: string[] = [];
  paysim.core.events.on('payment.queried', (event) => queries.push(event.paymentNo));
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);

  const attempts = simNotificationsOf(paysim, paymentNo).flatMap((notification) => notification.attempts);
  expect(attempts.length).toBe(10);
  expect(attempts.every((attempt) => attempt.acknowledged)).toBe(true);
  expect((await paysim.order(orderNo)).status).toBe('PAID');
  expect(ledgerOf(paysim, paymentNo)).toHaveLength(1);
  expect(paysim.webhook.received.filter((message) => message.type === 'order.paid')).toHaveLength(1);
  expect(queries.length).toBeLessThan(10);
  expect(failedChecks(paysim)).toEqual([]);
});

it('credits nothing on a validly signed notify with a tampered amount, flags it, and leaves the truth to the query', async () => {
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'tamper_amount', amount: '0.01' } });
  const queryDown = paysim.sim.engine.faults.add({ match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 502 } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('88.80');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);

  const flagged = await paysim.order(orderNo);
  expect(flagged.status).toBe('PAYING');
  expect(flagged.paidAmount).toBe('0.00');
  expect(flagged.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.amountMismatch' })]);
  expect(simNotificationsOf(paysim, paymentNo)[0]!.attempts.every((attempt) => !attempt.acknowledged && attempt.status === 400)).toBe(true);

  // The channel's own answer, at its real amount, is what credits the order.
  paysim.sim.engine.faults.remove(queryDown.id);
  await paysim.advance(60_000);
  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '88.80' });
});

it('rejects a notify with a forged signature, changes nothing by it, and asks the channel instead', async () => {
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'forge_signature' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('12.00');

  // A forged notify for a payment nobody paid: refused, and the order stays unpaid.
  const forged = await fetch(`${paysim.core.url}/notify/alipay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ out_trade_no: paymentNo, trade_no: '2026010122001100000000000001', trade_status: 'TRADE_SUCCESS', total_amount: '12.00', app_id: paysim.sim.defaultAppId('alipay'), notify_id: 'n1', sign_type: 'RSA2', sign: 'Zm9yZ2Vk' }).toString(),
  });
  expect(forged.status).toBe(400);
  expect(await forged.text()).not.toBe('success');
  await paysim.advance(0);
  const untouched = await paysim.order(orderNo);
  expect(untouched.status).toBe('PAYING');
  expect(untouched.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.invalid' })]);

  // The buyer really pays; the simulator's notify is forged, so only the query can credit it.
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  expect(simNotificationsOf(paysim, paymentNo)[0]!.attempts[0]).toMatchObject({ acknowledged: false, status: 400 });
  expect((await paysim.order(orderNo)).status).toBe('PAID');
});

it('shows the buyer a page on the sync return, trusts nothing in it, and asks the channel instead', async () => {
  paysim.fault({ match: { api: 'notify' }, fault: { type: 'drop' } });
  const { orderNo, paymentNo } = await paysim.orderAndPay('18.00');
  const claim = new URLSearchParams({ out_trade_no: paymentNo, trade_status: 'TRADE_SUCCESS', total_amount: '18.00', sign: 'Zm9yZ2Vk' });
  const unpaid = await fetch(`${paysim.core.url}/return/alipay?${claim}`);
  expect(unpaid.status).toBe(200);
  expect(unpaid.headers.get('content-type')).toMatch(/text\/html/);
  expect(await unpaid.text()).toContain('being confirmed');
  await paysim.advance(0);
  expect((await paysim.order(orderNo)).status).toBe('PAYING');

  // The buyer really pays and comes back; the notify is lost, the return makes the core ask at once.
  await paysim.buyerPays(paymentNo);
  await fetch(`${paysim.core.url}/return/alipay?${claim}`);
  await paysim.advance(0);
  expect((await paysim.order(orderNo)).status).toBe('PAID');
  expect(await (await fetch(`${paysim.core.url}/return/alipay?${claim}`)).text()).toContain('is paid');
});
