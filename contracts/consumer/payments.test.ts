// Consumer contract of payments: the core's real Alipay connector (alipay-sdk, validateSign on) creates,
// queries and closes trades against the Pact mock server, which answers with validly signed bodies; every
// request the connector sends is checked to carry a merchant signature that verifies (signedRequests).
//
// Not covered, on purpose: alipay.trade.cancel. Cancel exists for the barcode flow (alipay.trade.pay:
// the merchant scans the buyer's code and, when the outcome is unknown, cancels to reverse it whatever
// happened). The core has no barcode flow (its Alipay pay methods are page, wap and qr), so its connector
// never calls cancel: the Channel interface closes unpaid trades with alipay.trade.close and refunds
// paid ones. A pact holds only what the consumer does; the simulator's cancel is covered by its own tests.
import { MatchersV3 } from '@pact-foundation/pact';
import type { ChannelPaymentStatus, CreatePaymentRequest } from '../../core/connectors/channel.ts';
import { yuanToFen } from '../../lib/money.ts';
import { describe, expect, it } from 'vitest';
import { gatewayStates, type TradeState } from '../states.ts';
import { patterns } from '../support/alipay-wire.ts';
import { connectorAt, contractExpiresAtMs, contractTimeExpire, paymentCallbacks } from './support/connector.ts';
import { businessFailure, execRequest, gatewayPact, pageRequest, signedAnswer, success, textBody } from './support/gateway.ts';
import { signedRequests } from './support/request-recorder.ts';

const { regex } = MatchersV3;

const subject = 'paysim 合约测试订单';
const exampleTradeNo = '2026010122001471950503864977';
const examplePaidAt = '2026-01-01 09:30:00';
const exampleBuyer = '2088102177846880';

function orderBiz(outTradeNo: string, amount: string, productCode: string): Record<string, string> {
  // The connector's key order (core/connectors/alipay/payments.ts orderFields), which the SDK keeps.
  return { out_trade_no: outTradeNo, total_amount: amount, subject, time_expire: contractTimeExpire, product_code: productCode };
}

const queryOf = (outTradeNo: string) => ({ method: 'alipay.trade.query', bizContent: { out_trade_no: outTradeNo } });
const tradeFields = (outTradeNo: string, amount: string, status: string) => ({
  ...success,
  out_trade_no: outTradeNo,
  trade_no: regex(patterns.tradeNo, exampleTradeNo),
  trade_status: status,
  total_amount: amount,
});
const paidFields = (amount: string) => ({
  send_pay_date: regex(patterns.dateTime, examplePaidAt),
  buyer_user_id: regex(patterns.userId, exampleBuyer),
  buyer_pay_amount: amount,
});
const paidAtMs = Date.parse('2026-01-01T09:30:00+08:00');

/** The QR payment the core asks for: the state's number and amount. */
function qrPayment(state: TradeState): CreatePaymentRequest {
  return {
    paymentNo: state.outTradeNo,
    method: 'alipay.qr',
    amountFen: yuanToFen(state.amount),
    subject,
    expiresAtMs: contractExpiresAtMs,
    notifyUrl: paymentCallbacks.notifyUrl,
  };
}

const precreateCall = (state: TradeState) => ({
  method: 'alipay.trade.precreate',
  common: { notify_url: paymentCallbacks.notifyUrl },
  bizContent: orderBiz(state.outTradeNo, state.amount, 'FACE_TO_FACE_PAYMENT'),
});

/** A precreate the channel refuses with a 40004 the connector knows as definite: nothing was created. */
async function precreateRefusal(state: TradeState, description: string, subCode: string, subMsg: string): Promise<void> {
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(description)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, precreateCall(state)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.precreate', businessFailure(subCode, subMsg)))
    .executeTest(signedRequests(async (gateway) => {
      expect(await connectorAt(gateway).createPayment(qrPayment(state))).toEqual({ kind: 'rejected', code: subCode, message: subMsg });
    }, { gatewayRequests: 1 }));
}

describe('creating a payment', () => {
  it('creates a QR payment with alipay.trade.precreate and hands back the qr_code', async () => {
    const state = gatewayStates.qrNotCreated;
    const qrCode = 'https://qr.alipay.com/bax03206ug2xdbkfafvx0037';
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a precreate of ${state.outTradeNo} for ${state.amount}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, precreateCall(state)))
      .willRespondWith(200, (response) =>
        signedAnswer(response, 'alipay.trade.precreate', { ...success, out_trade_no: state.outTradeNo, qr_code: regex('^https?://\\S+$', qrCode) }),
      )
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).createPayment(qrPayment(state))).toEqual({ kind: 'created', qrCode });
      }, { gatewayRequests: 1 }));
  });

  // A refused create means nothing was created: the core marks the attempt failed (and, for a number
  // already paid, learns of that payment by query), it never waits for a notification.
  it('reads a precreate of a number already paid as a definite refusal: ACQ.TRADE_HAS_SUCCESS', async () => {
    const state = gatewayStates.paid;
    await precreateRefusal(state, `a precreate of ${state.outTradeNo}, which is already paid`, 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
  });

  it('reads a precreate that reuses a number for another amount as a definite refusal: ACQ.CONTEXT_INCONSISTENT', async () => {
    // The state's trade is of 66.60; the core asks for 88.80 under the same out_trade_no.
    const state = gatewayStates.reusedNumber;
    await precreateRefusal({ ...state, amount: '88.80' }, `a precreate of ${state.outTradeNo} for 88.80, a number taken by a trade of ${state.amount}`, 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
  });

  // pageExec makes no HTTP call: it only signs a URL for the buyer's browser. The contract is therefore
  // what the browser does with that URL, replayed as the real connector signed it: the gateway accepts
  // it and the buyer lands on a cashier page showing the amount to pay (an invalid request lands on an
  // error page instead). The gateway gets there by a redirect; the pact verifier follows redirects as a
  // browser does, so the expectation is the page at the end, not the redirect.
  it('signs a wap pay URL that takes the buyer to a cashier page showing the amount', async () => {
    const state = gatewayStates.wapNotCreated;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`the buyer's browser opening the wap pay URL of ${state.outTradeNo} for ${state.amount}`)
      .withRequest('GET', '/gateway.do', (request) =>
        pageRequest(request, {
          method: 'alipay.trade.wap.pay',
          common: { notify_url: paymentCallbacks.notifyUrl, return_url: paymentCallbacks.returnUrl },
          bizContent: { ...orderBiz(state.outTradeNo, state.amount, 'QUICK_WAP_WAY'), quit_url: paymentCallbacks.quitUrl },
        }),
      )
      .willRespondWith(200, (response) => {
        response.headers({ 'Content-Type': regex('^text/html.*$', 'text/html; charset=utf-8') });
        textBody(response, 'text/html', `<!doctype html><html><body><h1>支付宝 收银台</h1><div class="amount">¥ ${state.amount}</div></body></html>`, `[\\s\\S]*¥\\s*${state.amount.replace('.', '\\.')}[\\s\\S]*`);
      })
      .executeTest(signedRequests(async (gateway) => {
        const created = await connectorAt(gateway).createPayment({
          paymentNo: state.outTradeNo,
          method: 'alipay.wap',
          amountFen: 8880,
          subject,
          expiresAtMs: contractExpiresAtMs,
          notifyUrl: paymentCallbacks.notifyUrl,
          returnUrl: paymentCallbacks.returnUrl,
          quitUrl: paymentCallbacks.quitUrl,
        });
        if (created.kind !== 'created' || !created.payUrl) throw new Error(`expected a pay URL, got ${JSON.stringify(created)}`);
        expect(created.payUrl).toMatch(/\/gateway\.do\?/);
        const page = await fetch(created.payUrl);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(`¥ ${state.amount}`);
      }, { gatewayRequests: 1 }));
  });
});

/** One query interaction: the state the provider sets up, the answer it gives, what the connector makes of it. */
async function queryInteraction(state: TradeState, description: string, answer: Record<string, unknown>, expected: ChannelPaymentStatus): Promise<void> {
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(description)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.query', answer))
    .executeTest(signedRequests(async (gateway) => {
      expect(await connectorAt(gateway).queryPayment(state.outTradeNo)).toEqual(expected);
    }, { gatewayRequests: 1 }));
}

describe('querying a payment', () => {
  it('reads WAIT_BUYER_PAY as waiting', async () => {
    const state = gatewayStates.waiting;
    await queryInteraction(state, `a query of waiting trade ${state.outTradeNo}`, tradeFields(state.outTradeNo, state.amount, 'WAIT_BUYER_PAY'), { kind: 'waiting' });
  });

  it('reads TRADE_SUCCESS as paid, with the trade number, amount, payment time and buyer', async () => {
    const state = gatewayStates.paid;
    await queryInteraction(state, `a query of paid trade ${state.outTradeNo}`,
      { ...tradeFields(state.outTradeNo, state.amount, 'TRADE_SUCCESS'), ...paidFields(state.amount) },
      { kind: 'paid', channelTradeNo: exampleTradeNo, amountFen: 8880, paidAtMs, buyerId: exampleBuyer });
  });

  it('reads TRADE_CLOSED without a payment as closed unpaid', async () => {
    const state = gatewayStates.closedUnpaid;
    await queryInteraction(state, `a query of trade ${state.outTradeNo}, closed unpaid`,
      { ...tradeFields(state.outTradeNo, state.amount, 'TRADE_CLOSED'), buyer_pay_amount: '0.00' },
      { kind: 'closed', wasPaid: false, channelTradeNo: exampleTradeNo, amountFen: 8880 });
  });

  it('reads TRADE_CLOSED after a full refund as closed but paid, so the payment is never forgotten', async () => {
    const state = gatewayStates.fullyRefunded;
    await queryInteraction(state, `a query of trade ${state.outTradeNo}, closed by a full refund`,
      { ...tradeFields(state.outTradeNo, state.amount, 'TRADE_CLOSED'), ...paidFields(state.amount) },
      { kind: 'closed', wasPaid: true, channelTradeNo: exampleTradeNo, amountFen: 8880 });
  });

  it('reads TRADE_FINISHED as paid', async () => {
    const state = gatewayStates.finished;
    await queryInteraction(state, `a query of finished trade ${state.outTradeNo}`,
      { ...tradeFields(state.outTradeNo, state.amount, 'TRADE_FINISHED'), ...paidFields(state.amount) },
      { kind: 'paid', channelTradeNo: exampleTradeNo, amountFen: 8880, paidAtMs, buyerId: exampleBuyer });
  });
});

describe('closing a payment', () => {
  it('closes a waiting trade with alipay.trade.close', async () => {
    const state = gatewayStates.waiting;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a close of waiting trade ${state.outTradeNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, { method: 'alipay.trade.close', bizContent: { out_trade_no: state.outTradeNo } }))
      .willRespondWith(200, (response) =>
        signedAnswer(response, 'alipay.trade.close', { ...success, out_trade_no: state.outTradeNo, trade_no: regex(patterns.tradeNo, exampleTradeNo) }),
      )
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).closePayment(state.outTradeNo)).toEqual({ kind: 'closed' });
      }, { gatewayRequests: 1 }));
  });

  // The closer's "the buyer never opened the cashier" case: nothing to close, and no payment to fear.
  it('reads a close answering ACQ.TRADE_NOT_EXIST as a trade the channel does not have', async () => {
    const state = gatewayStates.missing;
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a close of unknown trade ${state.outTradeNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, { method: 'alipay.trade.close', bizContent: { out_trade_no: state.outTradeNo } }))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.close', businessFailure('ACQ.TRADE_NOT_EXIST', '交易不存在')))
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).closePayment(state.outTradeNo)).toEqual({ kind: 'notFound' });
      }, { gatewayRequests: 1 }));
  });

  it('learns that a trade it tried to close was paid: ACQ.TRADE_STATUS_ERROR, then a query', async () => {
    const state = gatewayStates.paid;
    const pact = gatewayPact();
    pact
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a close of paid trade ${state.outTradeNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, { method: 'alipay.trade.close', bizContent: { out_trade_no: state.outTradeNo } }))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.close', businessFailure('ACQ.TRADE_STATUS_ERROR', '交易状态不合法')));
    await pact
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a query of paid trade ${state.outTradeNo}`)
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
      .willRespondWith(200, (response) =>
        signedAnswer(response, 'alipay.trade.query', { ...tradeFields(state.outTradeNo, state.amount, 'TRADE_SUCCESS'), ...paidFields(state.amount) }),
      )
      .executeTest(signedRequests(async (gateway) => {
        expect(await connectorAt(gateway).closePayment(state.outTradeNo)).toEqual({ kind: 'alreadyPaid' });
      }, { gatewayRequests: 2 }));
  });
});
