// Client mistakes get `{code, message}` with a documented code and a 4xx status: never a 5xx, never
// a stack trace, whatever the body looks like.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { coreErrors } from '../../../core/domain/index.ts';
import { startPaysim, type ApiAnswer, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeAll(async () => {
  paysim = await startPaysim();
});
afterAll(async () => {
  await paysim.close();
});

function expectError(answer: ApiAnswer, status: number, code: keyof typeof coreErrors): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['code', 'message']);
  expect(answer.body.code).toBe(code);
  expect(coreErrors[code].httpStatus).toBe(status);
  expect(answer.body.message).not.toMatch(/\n\s+at /);
}

async function raw(method: string, path: string, body: string, contentType?: string): Promise<ApiAnswer> {
  const response = await fetch(`${paysim.core.url}${path}`, { method, body, headers: contentType ? { 'content-type': contentType } : {} });
  return { status: response.status, body: await response.json() };
}

const order = (overrides: Record<string, unknown> = {}) => ({ outOrderNo: `B-${Math.random().toString(36).slice(2, 10)}`, amount: '10.00', subject: 'bad input', ...overrides });

it('answers INVALID_PARAMETER for a body that is not JSON, not an object, or not labelled JSON', async () => {
  expectError(await raw('POST', '/api/orders', '{"outOrderNo": ', 'application/json'), 400, 'INVALID_PARAMETER');
  expectError(await raw('POST', '/api/orders', '[1,2]', 'application/json'), 400, 'INVALID_PARAMETER');
  expectError(await raw('POST', '/api/orders', JSON.stringify(order()), 'text/plain'), 400, 'INVALID_PARAMETER');
  expectError(await raw('POST', '/api/orders', '', 'application/json'), 400, 'INVALID_PARAMETER');
});

it('answers PAYLOAD_TOO_LARGE for a body over the limit', async () => {
  expectError(await raw('POST', '/api/orders', JSON.stringify(order({ subject: 'x'.repeat(70 * 1024) })), 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
});

it('answers INVALID_PARAMETER naming an unknown field, and INVALID_AMOUNT for amounts that are not yuan strings', async () => {
  const unknown = await paysim.api('POST', '/api/orders', order({ amout: '10.00' }));
  expectError(unknown, 400, 'INVALID_PARAMETER');
  expect(unknown.body.message).toContain('amout');
  for (const amount of [10, '1.234', '-1', '1e3', ' 10.00', '10,00', '100000000.01']) {
    expectError(await paysim.api('POST', '/api/orders', order({ amount })), 400, 'INVALID_AMOUNT');
  }
  expectError(await paysim.api('POST', '/api/orders', order({ expireInSec: 5 })), 400, 'INVALID_PARAMETER');
  expectError(await paysim.api('POST', '/api/orders', order({ outOrderNo: 'has space' })), 400, 'INVALID_PARAMETER');
});

it('returns the same order for the same request and ORDER_EXISTS_DIFFERENT for different content under one outOrderNo', async () => {
  const request = order();
  const first = await paysim.api('POST', '/api/orders', request);
  const again = await paysim.api('POST', '/api/orders', request);
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body.orderNo).toBe(first.body.orderNo);
  expectError(await paysim.api('POST', '/api/orders', { ...request, amount: '11.00' }), 409, 'ORDER_EXISTS_DIFFERENT');
});

it('answers ORDER_NOT_FOUND, REFUND_NOT_FOUND and NOT_FOUND for what does not exist', async () => {
  expectError(await paysim.api('GET', '/api/orders/O2026010100000000000000'), 404, 'ORDER_NOT_FOUND');
  expectError(await paysim.api('POST', '/api/orders/O2026010100000000000000/pay', { method: 'alipay.qr' }), 404, 'ORDER_NOT_FOUND');
  expectError(await paysim.api('POST', '/api/orders/O2026010100000000000000/refunds', { outRefundNo: 'x', amount: '1.00' }), 404, 'ORDER_NOT_FOUND');
  expectError(await paysim.api('POST', '/api/orders/O2026010100000000000000/close'), 404, 'ORDER_NOT_FOUND');
  expectError(await paysim.api('GET', '/api/refunds/nope'), 404, 'REFUND_NOT_FOUND');
  expectError(await paysim.api('GET', '/api/nothing-here'), 404, 'NOT_FOUND');
  expectError(await paysim.api('DELETE', '/api/orders/x'), 404, 'NOT_FOUND');
  expectError(await raw('POST', '/notify/paypal', 'a=b', 'application/x-www-form-urlencoded'), 404, 'NOT_FOUND');
  expectError(await paysim.api('GET', '/api/orders/%E0%A4%A'), 400, 'INVALID_PARAMETER');
});

it('checks the pay request: unknown or unconfigured methods, unknown fields', async () => {
  const created = await paysim.api('POST', '/api/orders', order());
  const pay = (body: unknown) => paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, body);
  expectError(await pay({ method: 'bitcoin' }), 400, 'INVALID_PARAMETER');
  expectError(await pay({}), 400, 'INVALID_PARAMETER');
  expectError(await pay({ method: 'alipay.qr', tip: '1.00' }), 400, 'INVALID_PARAMETER');
  expectError(await pay({ method: 'balance' }), 422, 'METHOD_UNAVAILABLE');
});

it('asks for step-up above the large-amount rule and blocks a buyer paying in a burst', async () => {
  const large = await paysim.api('POST', '/api/orders', order({ amount: '50000.01' }));
  // The one error that carries more than {code, message}: the challenge to verify (see risk.test.ts).
  const stepUp = await paysim.api('POST', `/api/orders/${large.body.orderNo}/pay`, { method: 'alipay.qr' });
  expect(stepUp.status).toBe(403);
  expect(stepUp.body).toEqual({ code: 'RISK_STEP_UP_REQUIRED', message: expect.stringContaining('large-amount-step-up'), challengeId: expect.any(String) });

  const answers: ApiAnswer[] = [];
  for (let index = 0; index < 21; index++) {
    const created = await paysim.api('POST', '/api/orders', order());
    answers.push(await paysim.api('POST', `/api/orders/${created.body.orderNo}/pay`, { method: 'alipay.qr', buyerId: 'buyer-burst' }));
  }
  expect(answers.slice(0, 20).every((answer) => answer.status === 200)).toBe(true);
  expectError(answers[20]!, 403, 'RISK_BLOCKED');
});

it('checks the refund request before anything else', async () => {
  const created = await paysim.api('POST', '/api/orders', order());
  const refund = (body: unknown) => paysim.api('POST', `/api/orders/${created.body.orderNo}/refunds`, body);
  expectError(await refund({ outRefundNo: 'r1', amount: '0.00' }), 400, 'INVALID_AMOUNT');
  expectError(await refund({ outRefundNo: 'r1', amount: 1 }), 400, 'INVALID_AMOUNT');
  expectError(await refund({ amount: '1.00' }), 400, 'INVALID_PARAMETER');
  expectError(await refund({ outRefundNo: 'r1', amount: '1.00', note: 'x' }), 400, 'INVALID_PARAMETER');
  expectError(await refund({ outRefundNo: 'r1', amount: '1.00' }), 409, 'ORDER_NOT_REFUNDABLE');
});

it('answers {code, message} with 431 for a path or headers over the limit, and 400 for a request that is not HTTP', async () => {
  const longPath = await fetch(`${paysim.core.url}/api/orders/${'O'.repeat(20 * 1024)}`);
  expect(longPath.status).toBe(431);
  expect(await longPath.json()).toEqual({ code: 'INVALID_PARAMETER', message: expect.stringContaining('headers are larger than') });
  const longHeader = await fetch(`${paysim.core.url}/api/orders/x`, { headers: { 'x-padding': 'p'.repeat(20 * 1024) } });
  expect(longHeader.status).toBe(431);
  expect(Object.keys(await longHeader.json()).sort()).toEqual(['code', 'message']);

  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(paysim.core.url).port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(raw).toMatch(/^HTTP\/1\.1 400 /);
  expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'INVALID_PARAMETER' });
});
