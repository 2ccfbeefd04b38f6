// Consumer contract of WeChat Pay refunds: the core's real connector asks for refunds under its own
// out_refund_no (so a retry is the same refund) and reads their status, against the Pact mock server.
import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { ChannelUnavailableError, type ChannelRefundStatus } from '../../../core/connectors/channel.ts';
import { wechatPatterns } from '../../support/wechatpay-wire.ts';
import { wechatApiStates, type WechatRefundState, type WechatTradeState } from '../../wechatpay-states.ts';
import { apiRequest, errorBody, pinExampleTime, signedAnswer, signedWechatRequests, wechatpayConnectorAt, wechatpayPact } from './support.ts';

const { regex } = MatchersV3;

pinExampleTime();

const notifyUrl = 'http://127.0.0.1:4020/notify/wechatpay';
const exampleRefundId = '50303400132026010135461150169';
const exampleTransactionId = '4200002050202601019075905809';
const exampleRefundedAt = '2026-01-01T10:15:00+08:00';

function refundBody(state: WechatTradeState, outRefundNo: string, refundFen: number, reason?: string): Record<string, unknown> {
  // The connector's key order (core/connectors/wechatpay/refunds.ts).
  return {
    out_trade_no: state.outTradeNo,
    out_refund_no: outRefundNo,
    ...(reason ? { reason } : {}),
    notify_url: notifyUrl,
    amount: { refund: refundFen, total: state.totalFen, currency: 'CNY' },
  };
}

const refundFields = (outTradeNo: string, outRefundNo: string, refundFen: number, totalFen: number, status: string) => ({
  out_trade_no: outTradeNo,
  out_refund_no: outRefundNo,
  refund_id: regex(wechatPatterns.refundId, exampleRefundId),
  transaction_id: regex(wechatPatterns.transactionId, exampleTransactionId),
  status,
  amount: { refund: refundFen, total: totalFen, currency: 'CNY' },
});

async function refundInteraction(state: WechatTradeState, outRefundNo: string, refundFen: number, what: string, status: number, answer: Record<string, unknown>, check: (baseUrl: string) => Promise<void>, reason?: string): Promise<void> {
  await wechatpayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(what)
    .withRequest('POST', '/v3/refund/domestic/refunds', (request) => apiRequest(request, { method: 'POST', path: '/v3/refund/domestic/refunds', body: refundBody(state, outRefundNo, refundFen, reason) }))
    .willRespondWith(status, (response) => signedAnswer(response, answer))
    .executeTest(signedWechatRequests(check, { requests: 1 }));
}

const refundOf = (state: WechatTradeState, refundNo: string, amountFen: number, reason?: string) => ({
  paymentNo: state.outTradeNo,
  refundNo,
  amountFen,
  paymentAmountFen: state.totalFen,
  notifyUrl,
  ...(reason ? { reason } : {}),
});

describe('refunding', () => {
  it('asks for a partial refund with its reason and reads PROCESSING as accepted', async () => {
    const state = wechatApiStates.refundable;
    await refundInteraction(state, 'WR-PACT-PARTIAL', 2000, `a refund of 2000 fen of ${state.outTradeNo}`, 200,
      refundFields(state.outTradeNo, 'WR-PACT-PARTIAL', 2000, state.totalFen, 'PROCESSING'),
      async (baseUrl) => {
        expect(await wechatpayConnectorAt(baseUrl).refund(refundOf(state, 'WR-PACT-PARTIAL', 2000, '部分退货'))).toEqual({ kind: 'accepted' });
      }, '部分退货');
  });

  it('reads a refund of more than was paid as a definite refusal: 400 INVALID_REQUEST', async () => {
    const state = wechatApiStates.refundable;
    await refundInteraction(state, 'WR-PACT-TOO-MUCH', 10_000, `a refund of 10000 fen of ${state.outTradeNo}, paid ${state.totalFen}`, 400,
      errorBody('INVALID_REQUEST', '申请退款金额超过订单可退金额'),
      async (baseUrl) => {
        expect(await wechatpayConnectorAt(baseUrl).refund(refundOf(state, 'WR-PACT-TOO-MUCH', 10_000))).toMatchObject({ kind: 'rejected', code: 'INVALID_REQUEST' });
      });
  });

  // A refund read as refused could be paid out twice by a later retry under a new number.
  it('reads a 500 SYSTEM_ERROR on a refund as an unknown outcome: the money may have moved', async () => {
    const state = wechatApiStates.refundFailing;
    await refundInteraction(state, 'WR-PACT-BUSY', 2000, `a refund of ${state.outTradeNo} while the channel fails`, 500,
      errorBody('SYSTEM_ERROR', '系统异常，请稍后重试'),
      async (baseUrl) => {
        await expect(wechatpayConnectorAt(baseUrl).refund(refundOf(state, 'WR-PACT-BUSY', 2000))).rejects.toBeInstanceOf(ChannelUnavailableError);
      });
  });
});

async function refundQuery(state: WechatRefundState, what: string, status: number, answer: Record<string, unknown>, expected: ChannelRefundStatus): Promise<void> {
  const path = `/v3/refund/domestic/refunds/${state.outRefundNo}`;
  await wechatpayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(what)
    .withRequest('GET', path, (request) => apiRequest(request, { method: 'GET', path }))
    .willRespondWith(status, (response) => signedAnswer(response, answer))
    .executeTest(signedWechatRequests(async (baseUrl) => {
      expect(await wechatpayConnectorAt(baseUrl).queryRefund(state.outTradeNo, state.outRefundNo)).toEqual(expected);
    }, { requests: 1 }));
}

describe('querying a refund', () => {
  it('reads SUCCESS as succeeded, with the amount and the time', async () => {
    const state = wechatApiStates.refundSucceeded;
    await refundQuery(state, `a query of succeeded refund ${state.outRefundNo}`, 200,
      { ...refundFields(state.outTradeNo, state.outRefundNo, state.refundFen, state.totalFen, 'SUCCESS'), success_time: regex(wechatPatterns.rfc3339, exampleRefundedAt) },
      { kind: 'succeeded', amountFen: state.refundFen, succeededAtMs: Date.parse(exampleRefundedAt) });
  });

  it('reads PROCESSING as processing', async () => {
    const state = wechatApiStates.refundProcessing;
    await refundQuery(state, `a query of processing refund ${state.outRefundNo}`, 200,
      refundFields(state.outTradeNo, state.outRefundNo, state.refundFen, state.totalFen, 'PROCESSING'), { kind: 'processing' });
  });

  // What lets the core resubmit the refund under the same out_refund_no.
  it('reads a signed 404 RESOURCE_NOT_EXISTS as a refund the channel does not have', async () => {
    const state = wechatApiStates.refundUnknown;
    await refundQuery(state, `a query of refund ${state.outRefundNo}, never asked for`, 404, errorBody('RESOURCE_NOT_EXISTS', '退款单不存在'), { kind: 'notFound' });
  });
});
