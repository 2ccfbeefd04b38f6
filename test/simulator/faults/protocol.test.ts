// Protocol faults: a badly signed answer (the request is processed, only the signature is wrong), the
// channel's business error codes and rate limiting, signed like every real Alipay answer so that the
// SDK's validateSign passes on them. v3 errors arrive as 4xx JSON through sdk.curl.
import { AlipayRequestError, type AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { addFault, clearFaults, faultEntries, journalMark, outcome, removeFault } from '../../support/fault-api.ts';
import { barcodeOrder, buyerId, createOrder, precreateOrder, uniqueNo } from '../../support/orders.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';

let env: RunningSimulator;
let sdk: AlipaySdk;

beforeAll(async () => {
  env = await startSimulator();
  sdk = alipaySdk(env.url);
});
afterEach(() => clearFaults(env.url));
afterAll(() => env.close());

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, verified);
const tradeStatus = async (outTradeNo: string) => (await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`)).status;

it('signs the answer with a key the merchant does not trust under bad_signature: validateSign throws 验签失败, the body itself is right', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.create' }, fault: { type: 'bad_signature' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('BSIG');
  const checked = await outcome(exec('alipay.trade.create', createOrder(outTradeNo)));
  expect(checked.ok).toBe(false);
  expect(checked.ok ? '' : checked.error.message).toMatch(/^验签失败，服务端返回的 sign: '.+' 无效/);
  // The call was processed: the same call without validateSign reads a normal body (the trade exists).
  const unchecked = await sdk.exec('alipay.trade.create', { bizContent: createOrder(outTradeNo) });
  expect(unchecked).toMatchObject({ code: '10000', msg: 'Success', outTradeNo });
  expect(unchecked.tradeNo).toMatch(/^\d{28}$/);
  expect(await faultEntries(env.url, mark)).toEqual([0, 1].map(() => expect.objectContaining({ ruleId, faultType: 'bad_signature', api: 'alipay.trade.create', detail: outTradeNo })));

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.create', createOrder(outTradeNo))).toMatchObject({ code: '10000', outTradeNo, tradeNo: unchecked.tradeNo });
});

it('breaks the alipay-signature of a v3 answer under bad_signature, installed programmatically', async () => {
  const rule = env.sim.engine.faults.add({ match: { api: 'POST /v3/alipay/trade/query' }, fault: { type: 'bad_signature' } });
  const outTradeNo = uniqueNo('BSIG3');
  await exec('alipay.trade.create', createOrder(outTradeNo));
  const mark = await journalMark(env.url);
  const query = () => sdk.curl('POST', '/v3/alipay/trade/query', { body: { out_trade_no: outTradeNo } });
  const failed = await outcome(query());
  expect(failed.ok ? undefined : failed.error).toBeInstanceOf(AlipayRequestError);
  expect(failed.ok ? {} : failed.error).toMatchObject({ code: 'response-signature-verify-error', responseHttpStatus: 200 });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId: rule.id, faultType: 'bad_signature', api: 'alipay.trade.query' })]);

  expect(env.sim.engine.faults.remove(rule.id)).toBe(true);
  expect((await query()).data).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'WAIT_BUYER_PAY' });
});

it('answers business_error {code: ACQ.SYSTEM_ERROR} as a signed 40004 with the channel\'s own sub_msg, and creates nothing', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.precreate' }, fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('SYS');
  expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '40004', msg: 'Business Failed', subCode: 'ACQ.SYSTEM_ERROR', subMsg: '系统错误' });
  expect(await tradeStatus(outTradeNo)).toBe(404);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'business_error', api: 'alipay.trade.precreate' })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '10000', outTradeNo });
});

it('answers business_error {code: ACQ.TRADE_HAS_SUCCESS, message} on alipay.trade.pay with that code and message', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.pay' }, fault: { type: 'business_error', code: 'ACQ.TRADE_HAS_SUCCESS', message: '交易已被支付' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('HAS');
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo))).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_HAS_SUCCESS', subMsg: '交易已被支付' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'business_error', api: 'alipay.trade.pay' })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo))).toMatchObject({ code: '10000', outTradeNo, totalAmount: '88.80' });
});

it('answers business_error {code: USERPAYING} on alipay.trade.pay with 10003 and a trade that waits for the buyer, as Alipay does', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.pay' }, fault: { type: 'business_error', code: 'USERPAYING' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('UPAY');
  const answer = await exec('alipay.trade.pay', barcodeOrder(outTradeNo));
  expect(answer).toMatchObject({ code: '10003', msg: 'Order success pay inprocess', outTradeNo });
  expect(answer).not.toHaveProperty('subCode');
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'business_error', api: 'alipay.trade.pay' })]);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY' });
  await env.clock.advance(env.sim.engine.config.barcodeUserPayingMs);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'TRADE_SUCCESS' });

  await removeFault(env.url, ruleId);
  const other = uniqueNo('UPAY');
  expect(await exec('alipay.trade.pay', barcodeOrder(other))).toMatchObject({ code: '10000', outTradeNo: other });
});

it('answers rate_limit on v2 with a signed 40005 aop.call-limited', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'alipay.trade.query' }, fault: { type: 'rate_limit' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('RL');
  await exec('alipay.trade.create', { ...createOrder(outTradeNo), buyerId });
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '40005', msg: 'Call Limited', subCode: 'aop.call-limited', subMsg: '调用频次超限' });
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'rate_limit', api: 'alipay.trade.query' })]);

  await removeFault(env.url, ruleId);
  expect(await exec('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY' });
});

it('answers rate_limit on v3 with HTTP 429, which sdk.curl throws as AlipayRequestError', async () => {
  const ruleId = await addFault(env.url, { match: { api: 'POST /v3/alipay/trade/precreate' }, fault: { type: 'rate_limit' } });
  const mark = await journalMark(env.url);
  const outTradeNo = uniqueNo('RL3');
  const precreate = () => sdk.curl('POST', '/v3/alipay/trade/precreate', { body: { out_trade_no: outTradeNo, total_amount: '8.00', subject: 'v3' } });
  const limited = await outcome(precreate());
  expect(limited.ok ? undefined : limited.error).toBeInstanceOf(AlipayRequestError);
  expect(limited.ok ? {} : limited.error).toMatchObject({ responseHttpStatus: 429, code: 'aop.call-limited', message: expect.stringMatching(/^调用频次超限/) });
  expect(await tradeStatus(outTradeNo)).toBe(404);
  expect(await faultEntries(env.url, mark)).toEqual([expect.objectContaining({ ruleId, faultType: 'rate_limit', api: 'alipay.trade.precreate' })]);

  await removeFault(env.url, ruleId);
  expect((await precreate()).data).toMatchObject({ out_trade_no: outTradeNo });
});
