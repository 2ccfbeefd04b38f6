// Consumer contract of the WeChat Pay notifications, consumed by the core's real notify handling over
// its HTTP API (POST /notify/wechatpay → the connector's signature check, decryption, mchid/appid and
// amount checks → confirm by query → apply → 204). Each message is put on the wire encrypted with the
// APIv3 key and signed with WeChat Pay's key (or, for the forged one, another key); see notify-support.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { wechatNotifyStates, wechatTamperedFen } from '../../wechatpay-states.ts';
import { eventOf, exampleOfOpened, notifyMetadata, openedOf, refundOf, startWechatCoreUnderTest, transactionOf, wechatNotifyPact, wireForm, type WechatCoreUnderTest } from './notify-support.ts';
import { pinExampleTime } from './support.ts';

pinExampleTime();

let subject: WechatCoreUnderTest;
beforeEach(async () => {
  subject = await startWechatCoreUnderTest();
});
afterEach(async () => {
  await subject.close();
});

const transactionId = '4200002050202601019075905809';

function channelSaysPaid(paymentNo: string, amountFen: number): void {
  subject.answers.payments.set(paymentNo, { kind: 'paid', channelTradeNo: transactionId, amountFen, buyerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
}

async function orderOf(orderNo: string) {
  const answer = await subject.api('GET', `/api/orders/${orderNo}`);
  if (answer.status !== 200) throw new Error(`order ${orderNo}: ${JSON.stringify(answer)}`);
  return answer.body;
}

const paidEvent = () => eventOf('transaction', 'TRANSACTION.SUCCESS', '支付成功');

it('credits the payment once a TRANSACTION.SUCCESS notification checks out and the channel confirms it, answering 204', async () => {
  const state = wechatNotifyStates.paid;
  const { orderNo, paymentNo } = await subject.orderAndPay('88.80');
  channelSaysPaid(paymentNo, state.totalFen);
  await wechatNotifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a payment success notification', (builder) => {
      builder.withJSONContent({ event: paidEvent(), resource: transactionOf(paymentNo, state.totalFen) }).withMetadata(notifyMetadata('wechatpay'));
    })
    .executeTest(async (message) => {
      const reply = await subject.deliver(wireForm(openedOf(message.contents.content), message.metadata));
      expect(reply).toEqual({ status: 204, text: '' });
      expect(await orderOf(orderNo)).toMatchObject({ status: 'PAID', paidAmount: '88.80', paidPaymentNo: paymentNo });
    });
});

it('completes a refund once its REFUND.SUCCESS notification checks out and the channel confirms it', async () => {
  const state = wechatNotifyStates.refunded;
  const { orderNo, paymentNo } = await subject.orderAndPay('88.80');
  channelSaysPaid(paymentNo, state.totalFen);
  // The payment's own notification first (not part of this message's contract): the order is paid.
  const paid = exampleOfOpened({ event: paidEvent(), resource: transactionOf(paymentNo, state.totalFen) });
  expect((await subject.deliver(wireForm(paid, { ...notifyMetadata('wechatpay'), 'Wechatpay-Serial': 'PUB_KEY_ID_0119000000012026010100000000000001' }))).status).toBe(204);
  const requested = await subject.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'BIZ-WX-REFUND-1', amount: '20.00' });
  expect(requested.status).toBe(201);
  const refundNo = requested.body.refundNo as string;
  subject.answers.refunds.set(refundNo, { kind: 'succeeded', amountFen: state.refundFen });
  await wechatNotifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a refund success notification', (builder) => {
      builder.withJSONContent({ event: eventOf('refund', 'REFUND.SUCCESS', '退款成功'), resource: refundOf(paymentNo, refundNo, state.totalFen, state.refundFen) }).withMetadata(notifyMetadata('wechatpay'));
    })
    .executeTest(async (message) => {
      const reply = await subject.deliver(wireForm(openedOf(message.contents.content), message.metadata));
      expect(reply).toEqual({ status: 204, text: '' });
      expect((await subject.api('GET', `/api/refunds/${refundNo}`)).body).toMatchObject({ refundNo, status: 'SUCCESS' });
    });
});

it('credits nothing on a validly signed notification whose amount was rewritten, and flags it', async () => {
  const state = wechatNotifyStates.tampered;
  const { orderNo, paymentNo } = await subject.orderAndPay('88.80');
  channelSaysPaid(paymentNo, state.totalFen);
  await wechatNotifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a payment success notification whose amount was rewritten', (builder) => {
      builder.withJSONContent({ event: paidEvent(), resource: transactionOf(paymentNo, wechatTamperedFen) }).withMetadata(notifyMetadata('wechatpay'));
    })
    .executeTest(async (message) => {
      const reply = await subject.deliver(wireForm(openedOf(message.contents.content), message.metadata));
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({ code: 'FAIL' });
      const order = await orderOf(orderNo);
      expect(order.status).toBe('PAYING');
      expect(order.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.amountMismatch' })]);
    });
});

it("credits nothing on a notification signed with a key that is not WeChat Pay's, and flags it", async () => {
  const state = wechatNotifyStates.forged;
  const { orderNo, paymentNo } = await subject.orderAndPay('88.80');
  channelSaysPaid(paymentNo, state.totalFen);
  await wechatNotifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a payment success notification with a forged signature', (builder) => {
      builder.withJSONContent({ event: paidEvent(), resource: transactionOf(paymentNo, state.totalFen) }).withMetadata(notifyMetadata('another key'));
    })
    .executeTest(async (message) => {
      const reply = await subject.deliver(wireForm(openedOf(message.contents.content), message.metadata));
      expect(reply.status).toBe(400);
      const order = await orderOf(orderNo);
      expect(order.status).toBe('PAYING');
      expect(order.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.invalid' })]);
    });
});
