// Consumer contract of payments: the core's real Alipay connector (alipay-sdk, validateSign on) creates,
// queries and closes trades against the Pact mock server, which answers with validly signed bodies.
//
// Not covered, on purpose: alipay.trade.cancel. The core's connector has no cancel (the Channel
// interface closes unpaid trades with alipay.trade.close and refunds paid ones), so there is no
// consumer expectation of it; the simulator's cancel is exercised by its own tests.
import { MatchersV3 } from '@pact-foundation/pact';
import type { ChannelPaymentStatus } from '../../core/connectors/channel.ts';
import { describe, expect, it } from 'vitest';
import { gatewayStates } from '../states.ts';
import { patterns } from '../support/alipay-wire.ts';
import { connectorAt, contractExpiresAtMs, contractTimeExpire, paymentCallbacks } from './support/connector.ts';
import { businessFailure, execRequest, gatewayPact, pageRequest, signedAnswer, success, textBody } from './support/gateway.ts';

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

describe('creating a payment', () => {
  it('creates a QR payment with alipay.trade.precreate and hands back the qr_code', async () => {
    const state = gatewayStates.qrNotCreated;
    const qrCode = 'https://qr.alipay.com/bax03206ug2xdbkfafvx0037';
    await gatewayPact()
      .addInteraction()
      .given(state.name)
      .uponReceiving(`a precreate of ${state.outTradeNo} for ${state.amount}`)
      .withRequest('POST', '/gateway.do', (request) =>
        execRequest(request, {
          method: 'alipay.trade.precreate',
          common: { notify_url: paymentCallbacks.notifyUrl },
          bizContent: orderBiz(state.outTradeNo, state.amount, 'FACE_TO_FACE_PAYMENT'),
        }),
      )
      .willRespondWith(200, (response) =>
        signedAnswer(response, 'alipay.trade.precreate', { ...success, out_trade_no: state.outTradeNo, qr_code: regex('^https?://\\S+$', qrCode) }),
      )
      .executeTest(async (mockServer) => {
        const result = await connectorAt(mockServer.url).createPayment({
          paymentNo: state.outTradeNo,
          method: 'alipay.qr',
          amountFen: 8880,
          subject,
          expiresAtMs: contractExpiresAtMs,
          notifyUrl: paymentCallbacks.notifyUrl,
        });
        expect(result).toEqual({ kind: 'created', qrCode });
      });
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
      .executeTest(async (mockServer) => {
        const created = await connectorAt(mockServer.url).createPayment({
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
      });
  });
});

/** A provider state about one trade. */
type TradeState = { readonly name: string; readonly outTradeNo: string; readonly amount: string };

/** One query interaction: the state the provider sets up, the answer it gives, what the connector makes of it. */
async function queryInteraction(state: TradeState, description: string, answer: Record<string, unknown>, expected: ChannelPaymentStatus): Promise<void> {
  await gatewayPact()
    .addInteraction()
    .given(state.name)
    .uponReceiving(description)
    .withRequest('POST', '/gateway.do', (request) => execRequest(request, queryOf(state.outTradeNo)))
    .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.query', answer))
    .executeTest(async (mockServer) => {
      expect(await connectorAt(mockServer.url).queryPayment(state.outTradeNo)).toEqual(expected);
    });
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
      .executeTest(async (mockServer) => {
        expect(await connectorAt(mockServer.url).closePayment(state.outTradeNo)).toEqual({ kind: 'closed' });
      });
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
      .executeTest(async (mockServer) => {
        expect(await connectorAt(mockServer.url).closePayment(state.outTradeNo)).toEqual({ kind: 'alreadyPaid' });
      });
  });
});
