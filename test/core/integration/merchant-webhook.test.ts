// Business-system notifications: stored with the change they report, resent on a growing schedule
// until the receiver answers 200 `success`, then parked in the manual queue for a person to resend.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { defaultDomainPolicy } from '../../../core/domain/index.ts';
import { startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

it('retries a business notification on the growing schedule while the receiver is down, then moves it to the manual queue', async () => {
  paysim.webhook.mode = 'down';
  const arrivals: number[] = [];
  paysim.core.events.on('notification.attempted', (event) => arrivals.push(event.atMs));
  const { orderNo, paymentNo } = await paysim.orderAndPay('8.00');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  expect((await paysim.order(orderNo)).status).toBe('PAID');

  await paysim.advance(30 * 3_600_000);
  const delays = defaultDomainPolicy.notification.retryDelaysMs;
  expect(arrivals).toHaveLength(delays.length + 1);
  expect(arrivals.slice(1).map((atMs, index) => atMs - arrivals[index]!)).toEqual(delays);
  expect(paysim.webhook.received.every((message) => message.type === 'order.paid' && message.orderNo === orderNo)).toBe(true);

  const queue = await paysim.api('GET', '/api/manual-queue');
  expect(queue.body.notifications).toEqual([expect.objectContaining({ id: `order.paid:${orderNo}`, status: 'MANUAL', attempts: delays.length + 1 })]);
  expect((await paysim.api('GET', '/api/checks')).body.checks.find((check: { name: string }) => check.name === 'notificationsDelivered').passed).toBe(false);

  paysim.webhook.mode = 'success';
  const resent = await paysim.api('POST', `/api/manual-queue/${encodeURIComponent(`order.paid:${orderNo}`)}/resend`);
  expect(resent.status).toBe(200);
  expect(resent.body).toMatchObject({ status: 'DELIVERED', manualResends: 1 });
  expect((await paysim.api('GET', '/api/manual-queue')).body.notifications).toEqual([]);
  // Every attempt carried the same id, so the receiver can deduplicate.
  expect(new Set(paysim.webhook.received.map((message) => message.id))).toEqual(new Set([`order.paid:${orderNo}`]));
});

it('refuses to resend a notification that is not in the manual queue, or does not exist', async () => {
  const { paymentNo, orderNo } = await paysim.orderAndPay('8.10');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  const delivered = await paysim.api('POST', `/api/manual-queue/${encodeURIComponent(`order.paid:${orderNo}`)}/resend`);
  expect(delivered.status).toBe(409);
  expect(delivered.body.code).toBe('NOTIFICATION_NOT_IN_MANUAL_QUEUE');
  const unknown = await paysim.api('POST', '/api/manual-queue/order.paid:nope/resend');
  expect(unknown.status).toBe(404);
  expect(unknown.body.code).toBe('NOTIFICATION_NOT_FOUND');
});

it('treats an answer other than 200 `success` as a failed attempt', async () => {
  paysim.webhook.mode = 'down';
  const { paymentNo } = await paysim.orderAndPay('8.20');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  paysim.webhook.mode = 'success';
  await paysim.advance(15_000);
  expect(paysim.webhook.received).toHaveLength(2);
  await paysim.advance(3_600_000);
  expect(paysim.webhook.received).toHaveLength(2);
});

it('does not take HTTP 200 with a body other than `success` as an acknowledgement', async () => {
  paysim.webhook.mode = 'wrongBody';
  const { orderNo, paymentNo } = await paysim.orderAndPay('8.30');
  await paysim.buyerPays(paymentNo);
  await paysim.advance(0);
  const id = `order.paid:${orderNo}`;
  expect(paysim.webhook.received.map((message) => message.id)).toEqual([id]);
  expect(paysim.core.context.records.notification(id)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('HTTP 200') });

  paysim.webhook.mode = 'success';
  await paysim.advance(15_000);
  expect(paysim.webhook.received.map((message) => message.id)).toEqual([id, id]);
  expect(paysim.core.context.records.notification(id)?.status).toBe('DELIVERED');
});

it('takes a redirect for an answer, not an acknowledgement: it is not followed', async () => {
  // A receiver that moved: 307 keeps the method and body, so a client that followed it would deliver there.
  const moved = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(307, { location: paysim.webhook.url }).end());
  });
  await new Promise<void>((resolve) => moved.listen(0, '127.0.0.1', resolve));
  const redirecting = await startPaysim({ core: { merchantWebhookUrl: `http://127.0.0.1:${(moved.address() as AddressInfo).port}/old-webhook` } });
  try {
    const { orderNo, paymentNo } = await redirecting.orderAndPay('8.40');
    await redirecting.buyerPays(paymentNo);
    await redirecting.advance(0);
    expect(redirecting.core.context.records.notification(`order.paid:${orderNo}`)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('HTTP 307') });
    expect(paysim.webhook.received).toEqual([]);
  } finally {
    await redirecting.close();
    moved.closeAllConnections();
    await new Promise((resolve) => moved.close(resolve));
  }
});
