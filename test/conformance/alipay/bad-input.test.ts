// Bad input gets the channel's own error (§7), signed like any answer, never a 5xx or a stack trace.
// Every request here goes through a recording pass-through, and after each test every exchange it
// caused is checked on the wire.
import type { AlipaySdk } from 'alipay-sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { fixtureKeys } from '../../support/keys.ts';
import { barcodeOrder, createOrder, precreateOrder, uniqueNo } from '../../support/orders.ts';
import { commonParameters, postGateway, signRequest, without } from '../../support/raw-gateway.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { startSimulator, type RunningSimulator } from '../../support/simulator.ts';
import { stackFramePattern, startWireRecorder, type WireRecorder } from '../../support/wire-recorder.ts';

let env: RunningSimulator;
let wire: WireRecorder;
let sdk: AlipaySdk;
let firstExchange = 0;

beforeAll(async () => {
  env = await startSimulator();
  wire = await startWireRecorder(env.url);
  sdk = alipaySdk(wire.url);
});
afterAll(async () => {
  await wire.close();
  await env.close();
});
beforeEach(() => {
  firstExchange = wire.exchanges.length;
});
afterEach(() => {
  const exchanges = wire.exchanges.slice(firstExchange);
  expect(exchanges.length).toBeGreaterThan(0);
  for (const exchange of exchanges) {
    expect(exchange.status, `${exchange.method} ${exchange.target}`).toBeLessThan(500);
    expect(exchange.body).not.toMatch(stackFramePattern);
  }
});

const exec = (method: string, bizContent: Record<string, unknown>, client = sdk) => client.exec(method, { bizContent }, verified);
const queryBiz = JSON.stringify({ out_trade_no: 'ANY-ORDER' });

/** Sends a hand-signed form and returns the parsed envelope, after checking its signature with the SDK. */
async function rawGateway(params: Record<string, string>, responseKey: string): Promise<Record<string, string>> {
  const answer = await postGateway(wire.url, params);
  expect(answer.status).toBe(200);
  const envelope = JSON.parse(answer.text) as Record<string, unknown>;
  expect(Object.keys(envelope)).toEqual([responseKey, 'sign']);
  expect(() => sdk.checkResponseSign(answer.text, responseKey, envelope.sign as string, '')).not.toThrow();
  return envelope[responseKey] as Record<string, string>;
}

describe('missing common parameters', () => {
  it('answers a request without method with 40001 isv.missing-method', async () => {
    const inner = await rawGateway(signRequest(without(commonParameters('alipay.trade.query', queryBiz), 'method')), 'error_response');
    expect(inner).toMatchObject({ code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-method' });
  });

  it('answers a request without app_id with 40001 isv.missing-app-id', async () => {
    const inner = await rawGateway(signRequest(without(commonParameters('alipay.trade.query', queryBiz), 'app_id')), 'alipay_trade_query_response');
    expect(inner).toMatchObject({ code: '40001', sub_code: 'isv.missing-app-id' });
  });

  it('answers a request without sign with 40001 isv.missing-signature', async () => {
    const inner = await rawGateway(commonParameters('alipay.trade.query', queryBiz), 'alipay_trade_query_response');
    expect(inner).toMatchObject({ code: '40001', sub_code: 'isv.missing-signature' });
  });

  it('answers a request without sign_type with 40001 isv.missing-signature-type', async () => {
    const inner = await rawGateway(signRequest(without(commonParameters('alipay.trade.query', queryBiz), 'sign_type')), 'alipay_trade_query_response');
    expect(inner).toMatchObject({ code: '40001', sub_code: 'isv.missing-signature-type' });
  });

  it('answers a request without timestamp with 40001 isv.missing-timestamp', async () => {
    const inner = await rawGateway(signRequest(without(commonParameters('alipay.trade.query', queryBiz), 'timestamp')), 'alipay_trade_query_response');
    expect(inner).toMatchObject({ code: '40001', sub_code: 'isv.missing-timestamp' });
  });
});

describe('invalid common parameters', () => {
  it('answers an unknown method with 40002 isv.invalid-method', async () => {
    expect(await exec('alipay.trade.teleport', { outTradeNo: 'X' })).toMatchObject({ code: '40002', msg: 'Invalid Arguments', subCode: 'isv.invalid-method' });
  });

  it('answers an unknown app with 40002 isv.invalid-app-id', async () => {
    const stranger = alipaySdk(wire.url, { appId: '2021000000009999' });
    expect(await exec('alipay.trade.query', { outTradeNo: 'X' }, stranger)).toMatchObject({ code: '40002', subCode: 'isv.invalid-app-id' });
  });

  it('answers a request signed with another key with 40002 isv.invalid-signature and the string it verified', async () => {
    const rogue = alipaySdk(wire.url, { privateKey: fixtureKeys.rogue.privateKeyPem });
    const result = await exec('alipay.trade.query', { outTradeNo: 'X' }, rogue);
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
    expect(result.subMsg).toContain('biz_content={"out_trade_no":"X"}');
    expect(result.subMsg).toContain('sign_type=RSA2');
  });

  it('answers a signed request whose biz_content is not JSON with 40002 isv.invalid-parameter', async () => {
    const inner = await rawGateway(signRequest(commonParameters('alipay.trade.query', '{"out_trade_no":')), 'alipay_trade_query_response');
    expect(inner).toMatchObject({ code: '40002', sub_code: 'isv.invalid-parameter' });
    expect(inner.sub_msg).toContain('biz_content');
  });

  it('answers a body over 1 MiB with 40002 and a message naming the limit', async () => {
    const result = await exec('alipay.trade.precreate', { ...precreateOrder(uniqueNo('BIG')), body: 'x'.repeat(1024 * 1024 + 1) });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(result.subMsg).toContain('1048576');
  });
});

describe('errors for an app other than the default one', () => {
  /** A second merchant app, registered through the control API; its SDK trusts only its own Alipay key. */
  async function secondAppSdk(): Promise<AlipaySdk> {
    const appId = `2021${Date.now().toString().slice(-12)}`;
    const response = await fetch(`${wire.url}/_sim/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'alipay', appId, publicKeyPem: fixtureKeys.merchant.publicKeyPem }) });
    expect(response.status).toBe(201);
    const app = (await response.json()) as { appId: string; channelPublicKeyPem: string };
    expect(app.channelPublicKeyPem).not.toBe(fixtureKeys.channel.publicKeyPem);
    return alipaySdk(wire.url, { appId: app.appId, alipayPublicKey: app.channelPublicKeyPem });
  }

  it('signs an unknown-method error with the key of the app named in app_id', async () => {
    expect(await exec('alipay.trade.teleport', { outTradeNo: 'X' }, await secondAppSdk())).toMatchObject({ code: '40002', subCode: 'isv.invalid-method' });
  });

  it('signs an oversize-body error with the key of the app named in app_id', async () => {
    const result = await exec('alipay.trade.precreate', { ...precreateOrder(uniqueNo('BIG')), body: 'x'.repeat(1024 * 1024 + 1) }, await secondAppSdk());
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
  });
});

describe('invalid business parameters', () => {
  it.each(['1.234', '-1', 'abc'])('answers total_amount "%s" with 40002 isv.invalid-parameter', async (totalAmount) => {
    const result = await exec('alipay.trade.precreate', precreateOrder(uniqueNo('AMT'), totalAmount));
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(result.subMsg).toContain('total_amount');
  });

  it('answers an undefined biz field such as total_amout with 40002 naming it', async () => {
    const { totalAmount, ...order } = precreateOrder(uniqueNo('TYPO'));
    const result = await exec('alipay.trade.precreate', { ...order, totalAmout: totalAmount });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    expect(result.subMsg).toContain('total_amout');
  });

  it('answers an order amount above 100,000,000 yuan with ACQ.TOTAL_FEE_EXCEED, and a malformed one with 40002', async () => {
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('HUGE'), '100000000.01'))).toMatchObject({ code: '40004', subCode: 'ACQ.TOTAL_FEE_EXCEED', subMsg: '订单金额超过限额' });
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('HUGE'), '123456789012'))).toMatchObject({ code: '40004', subCode: 'ACQ.TOTAL_FEE_EXCEED' });
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('HUGE'), '100000000.00'))).toMatchObject({ code: '10000' });
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('HUGE'), '1.234'))).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
  });

  it('refuses an out_trade_no with characters Alipay does not take (a dot, a space), and takes letters, digits, _ and -', async () => {
    for (const outTradeNo of ['T.1001', 'T 1001', 'T#1001']) {
      expect(await exec('alipay.trade.precreate', precreateOrder(outTradeNo))).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    }
    expect(await exec('alipay.trade.precreate', precreateOrder(uniqueNo('T_1-')))).toMatchObject({ code: '10000' });
  });

  it('refuses a timeout_express beyond 15 days or under a minute, and either field when it is not a string', async () => {
    const at = (offsetMs: number) => formatBeijingDateTime(env.clock.now() + offsetMs);
    const dayMs = 86_400_000;
    for (const expiry of [{ timeExpire: 123 }, { timeoutExpress: '16d' }, { timeoutExpress: '99999d' }, { timeoutExpress: '0m' }, { timeoutExpress: 90 }]) {
      const refused = await exec('alipay.trade.precreate', { ...precreateOrder(uniqueNo('EXP')), ...expiry });
      expect(refused, JSON.stringify(expiry)).toMatchObject({ code: '40002', subCode: 'isv.invalid-parameter' });
    }
    // A merchant on another clock than the simulator's may send a time_expire that looks months ahead.
    for (const expiry of [{ timeExpire: at(15 * dayMs - 60_000) }, { timeExpire: at(300 * dayMs) }, { timeoutExpress: '15d' }, { timeoutExpress: '1m' }, { timeoutExpress: '1c' }]) {
      expect(await exec('alipay.trade.precreate', { ...precreateOrder(uniqueNo('EXP')), ...expiry }), JSON.stringify(expiry)).toMatchObject({ code: '10000' });
    }
  });

  it('answers a refund over the paid amount with ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
    const outTradeNo = uniqueNo('OVER');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '10.00'));
    expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '10.01', outRequestNo: 'R1' })).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
  });

  it('answers a v3 body that is not JSON with HTTP 400 and the channel error', async () => {
    const error = await sdk.curl('POST', '/v3/alipay/trade/query', { body: 'not json' as unknown as Record<string, unknown> }).then(
      () => undefined,
      (caught: { code?: string; responseHttpStatus?: number }) => caught,
    );
    expect(error?.responseHttpStatus).toBe(400);
    expect(error?.code).toBe('isv.invalid-parameter');
  });
});

describe('operations on closed trades', () => {
  async function closedTrade(): Promise<string> {
    const outTradeNo = uniqueNo('CLOSED');
    await exec('alipay.trade.create', createOrder(outTradeNo, '7.00'));
    expect((await exec('alipay.trade.close', { outTradeNo })).code).toBe('10000');
    return outTradeNo;
  }

  it('answers close of a closed trade with ACQ.TRADE_STATUS_ERROR', async () => {
    const outTradeNo = await closedTrade();
    expect(await exec('alipay.trade.close', { outTradeNo })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('answers refund of a closed trade with ACQ.TRADE_STATUS_ERROR', async () => {
    const outTradeNo = await closedTrade();
    expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'R1' })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('answers refund of a fully refunded (closed) trade with ACQ.TRADE_STATUS_ERROR', async () => {
    const outTradeNo = uniqueNo('CLOSED');
    await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '3.00'));
    await exec('alipay.trade.refund', { outTradeNo, refundAmount: '3.00', outRequestNo: 'R1' });
    await env.clock.advance(env.sim.engine.config.refundDelayMs);
    expect(await exec('alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'R2' })).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('answers paying again an out_trade_no that is closed with ACQ.TRADE_HAS_CLOSE', async () => {
    const outTradeNo = await closedTrade();
    expect(await exec('alipay.trade.pay', barcodeOrder(outTradeNo, '7.00'))).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_HAS_CLOSE', subMsg: '交易已经关闭' });
  });

  it('answers the same out_trade_no with a different amount with ACQ.CONTEXT_INCONSISTENT', async () => {
    const outTradeNo = uniqueNo('CTX');
    await exec('alipay.trade.create', createOrder(outTradeNo, '7.00'));
    expect(await exec('alipay.trade.create', createOrder(outTradeNo, '7.01'))).toMatchObject({ code: '40004', subCode: 'ACQ.CONTEXT_INCONSISTENT' });
  });
});
