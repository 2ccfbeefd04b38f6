// A buyer pays one order twice, on two channels: the Alipay QR code and the WeChat Pay one (the
// simulator's `pay_twice` buyer fault pays every open trade of the same purchase). The core keeps one
// payment, refunds the other automatically on the channel it came from, and its checks hold; when that
// refund fails, the checks say so (seed 002: 资损防控, no success kept that is not the order's).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { failedChecks, ledgerOf, startPaysim, type Paysim } from './paysim.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

/** One order, a payment on each channel, and the buyer paying both (pay_twice). */
async function payOnBothChannels(amount: string) {
  paysim.fault({ match: { api: 'buyer' }, fault: { type: 'pay_twice' } });
  const { orderNo, paymentNo: alipayNo } = await paysim.orderAndPay(amount, { subject: 'one purchase, two QR codes' });
  const wechat = await paysim.api('POST', `/api/orders/${orderNo}/pay`, { method: 'wechatpay.native' });
  expect(wechat.status).toBe(200);
  const wechatNo = wechat.body.paymentNo as string;
  // The buyer pays the Alipay code; the same purchase open on WeChat Pay is paid too.
  expect((await paysim.buyerPays(alipayNo)).status).toBe(200);
  const trades = paysim.sim.engine.trades.all().filter((trade) => trade.outTradeNo === alipayNo || trade.outTradeNo === wechatNo);
  expect(trades.map((trade) => [trade.channel, trade.state.kind]).sort()).toEqual([['alipay', 'paid'], ['wechatpay', 'paid']]);
  return { orderNo, alipayNo, wechatNo };
}

it('keeps one of the two payments and refunds the other automatically on its own channel', async () => {
  // Alipay's notification is lost, so WeChat Pay's payment is learned first and Alipay's a minute later, by query.
  paysim.fault({ match: { channel: 'alipay', api: 'notify' }, fault: { type: 'drop' } });
  const { orderNo, alipayNo, wechatNo } = await payOnBothChannels('66.60');
  await paysim.advance(70_000);
  // The refund's own notification is lost too: its polls (1 minute, then 2) learn that it succeeded.
  await paysim.advance(180_000);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '66.60', refundedAmount: '0.00' });
  const byNo = new Map(order.payments.map((payment: { paymentNo: string }) => [payment.paymentNo, payment]));
  expect([...byNo.keys()].sort()).toEqual([alipayNo, wechatNo].sort());
  const kept = order.payments.find((payment: { settlement: string }) => payment.settlement === 'credited');
  const duplicate = order.payments.find((payment: { settlement: string }) => payment.settlement === 'refundDuplicate');
  expect(kept).toMatchObject({ paymentNo: wechatNo, channel: 'wechatpay' });
  expect(duplicate).toMatchObject({ paymentNo: alipayNo, channel: 'alipay', status: 'SUCCEEDED', amount: '66.60' });
  expect(order.paidPaymentNo).toBe(kept.paymentNo);
  expect(duplicate.alerts).toEqual([expect.objectContaining({ kind: 'payment.duplicate' })]);
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'duplicatePayment', paymentNo: duplicate.paymentNo, amount: '66.60', status: 'SUCCESS' })]);

  // The refund went out on the duplicate's own channel, and only there.
  const channelRefunds = paysim.sim.engine.refunds.all();
  expect(channelRefunds.map((refund) => [refund.tradeKey.split(':')[0], refund.tradeKey.endsWith(`:${duplicate.paymentNo}`), refund.amountFen])).toEqual([[duplicate.channel, true, 6660]]);
  // Credited once; the business system hears of one payment.
  expect(ledgerOf(paysim, kept.paymentNo).map((entry) => entry.id)).toEqual([`payment:${kept.paymentNo}`]);
  expect(paysim.webhook.received.filter((message) => message.type === 'order.paid')).toHaveLength(1);
  const checks = paysim.core.runChecks().results;
  expect(checks.filter((check) => ['noDoubleCredit', 'noSuccessKeptAfterClose', 'paidOrdersMatchPayments', 'refundsWithinPaid'].includes(check.name)).map((check) => check.passed)).toEqual([true, true, true, true]);
  expect(failedChecks(paysim)).toEqual([]);
});

it('reports the money kept when the automatic refund of the second payment fails at its channel', async () => {
  // This time WeChat Pay's notification is lost: Alipay's payment is kept, WeChat Pay's refunded, and that refund fails.
  paysim.fault({ match: { channel: 'wechatpay', api: 'notify' }, fault: { type: 'drop' } });
  paysim.fault({ match: { channel: 'wechatpay', api: 'refund' }, fault: { type: 'refund_fail' } });
  const { orderNo, wechatNo } = await payOnBothChannels('55.50');
  await paysim.advance(70_000);
  await paysim.advance(10_000);

  const order = await paysim.order(orderNo);
  expect(order).toMatchObject({ status: 'PAID', paidAmount: '55.50' });
  const duplicate = order.payments.find((payment: { settlement: string }) => payment.settlement === 'refundDuplicate');
  expect(duplicate).toMatchObject({ paymentNo: wechatNo, channel: 'wechatpay' });
  expect(order.refunds).toEqual([expect.objectContaining({ kind: 'duplicatePayment', paymentNo: duplicate.paymentNo, status: 'FAILED' })]);
  const kept = paysim.core.runChecks().results.find((check) => check.name === 'noSuccessKeptAfterClose');
  expect(kept).toMatchObject({ passed: false });
  expect(JSON.stringify(kept)).toContain(`payment:${duplicate.paymentNo}`);
  expect(JSON.stringify(kept)).toContain('automatic refund failed');
});
