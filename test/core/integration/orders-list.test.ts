// GET /api/orders, the core dashboard's list: newest first, with payments and refunds, narrowed by
// status and limited; a parameter it does not read is {code, message}. The dashboard itself is at `/`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeAll(async () => {
  paysim = await startPaysim();
});
afterAll(async () => {
  await paysim.close();
});

it('lists orders newest first with their payments, by status, and at most `limit` of them', async () => {
  const first = await paysim.orderAndPay('1.00');
  await paysim.advance(1000);
  const second = await paysim.orderAndPay('2.00');
  await paysim.buyerPays(second.paymentNo);
  await paysim.advance(0);

  const all = await paysim.api('GET', '/api/orders');
  expect(all.status).toBe(200);
  expect(all.body.total).toBe(2);
  expect(all.body.orders.map((order: { orderNo: string }) => order.orderNo)).toEqual([second.orderNo, first.orderNo]);
  expect(all.body.orders[0]).toMatchObject({ status: 'PAID', payments: [expect.objectContaining({ paymentNo: second.paymentNo, status: 'SUCCEEDED' })] });

  const paying = await paysim.api('GET', '/api/orders?status=PAYING');
  expect(paying.body.orders.map((order: { orderNo: string }) => order.orderNo)).toEqual([first.orderNo]);
  const one = await paysim.api('GET', '/api/orders?limit=1');
  expect([one.body.total, one.body.orders.length]).toEqual([2, 1]);
});

it('answers INVALID_PARAMETER for a limit, a status or a parameter it does not read', async () => {
  for (const query of ['limit=0', 'limit=501', 'limit=x', 'status=paid', 'page=2']) {
    const answer = await paysim.api('GET', `/api/orders?${query}`);
    expect(answer.status, query).toBe(400);
    expect(answer.body).toEqual({ code: 'INVALID_PARAMETER', message: expect.any(String) });
  }
});

it('serves the core’s dashboard at / with nothing from another host', async () => {
  const response = await fetch(`${paysim.core.url}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await response.text();
  expect(html).toContain('src="/dashboard/assets/core.js"');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  expect((await fetch(`${paysim.core.url}/dashboard/assets/core.js`)).status).toBe(200);
});
