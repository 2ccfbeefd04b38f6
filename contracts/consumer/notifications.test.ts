// Consumer contract of the notifications the channel sends, consumed by the core's real notify
// handling over its HTTP API (see support/core-under-test.ts). Each message is validly signed with the
// channel's key (or, for the forged one, with a key that is not the channel's), so the connector's
// signature check runs on it as in production; the same code then rejects the tampered and the forged
// messages that the provider produces with its notify faults.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixtureKeys } from '../../test/support/keys.ts';
import { notifyStates, tamperedAmount } from '../states.ts';
import { notificationSignature } from '../support/alipay-wire.ts';
import { startCoreUnderTest, type CoreUnderTest } from './support/core-under-test.ts';
import {
  exampleOf,
  formParameters,
  notificationMetadata,
  notifyPact,
  refundFields,
  signed,
  tradeStatusFields,
  wireContentType,
} from './support/notifications.ts';

let subject: CoreUnderTest;
beforeEach(async () => {
  subject = await startCoreUnderTest();
});
afterEach(async () => {
  await subject.close();
});

const channelTradeNo = '2026010122001471950503864977';

/** The channel's own answer when the core queries the payment to confirm a notification. */
function channelSaysPaid(paymentNo: string, amountFen: number): void {
  subject.answers.payments.set(paymentNo, { kind: 'paid', channelTradeNo, amountFen, buyerId: '2088102177846880' });
}

async function orderOf(orderNo: string) {
  const answer = await subject.api('GET', `/api/orders/${orderNo}`);
  if (answer.status !== 200) throw new Error(`order ${orderNo}: ${JSON.stringify(answer)}`);
  return answer.body;
}

it('credits the payment once a trade success notification checks out and the channel confirms it', async () => {
  const state = notifyStates.paid;
  const { orderNo, paymentNo } = await subject.orderAndPay(state.amount);
  channelSaysPaid(paymentNo, 8880);
  await notifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a trade success notification', (builder) => {
      builder.withJSONContent(signed(tradeStatusFields(paymentNo, state.amount, 'TRADE_SUCCESS'))).withMetadata(notificationMetadata);
    })
    .executeTest(async (message) => {
      const reply = await subject.deliverNotification(formParameters(message.contents.content), String(message.metadata.wireContentType));
      expect(reply).toEqual({ status: 200, text: 'success' });
      expect(await orderOf(orderNo)).toMatchObject({ status: 'PAID', paidAmount: state.amount, paidPaymentNo: paymentNo });
    });
});

it('completes a refund once its notification checks out and the channel confirms it', async () => {
  const state = notifyStates.refunded;
  const { orderNo, paymentNo } = await subject.orderAndPay(state.amount);
  channelSaysPaid(paymentNo, 8880);
  // The payment's own notification first (not part of this message's contract): the order is paid.
  const paid = exampleOf(signed(tradeStatusFields(paymentNo, state.amount, 'TRADE_SUCCESS')));
  expect(await subject.deliverNotification(paid, wireContentType)).toEqual({ status: 200, text: 'success' });
  const requested = await subject.api('POST', `/api/orders/${orderNo}/refunds`, { outRefundNo: 'BIZ-REFUND-1', amount: state.refundAmount });
  expect(requested.status).toBe(201);
  const refundNo = requested.body.refundNo as string;
  subject.answers.refunds.set(refundNo, { kind: 'succeeded', amountFen: 2000 });
  await notifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a refund success notification', (builder) => {
      builder.withJSONContent(signed(refundFields(paymentNo, state.amount, refundNo, state.refundAmount))).withMetadata(notificationMetadata);
    })
    .executeTest(async (message) => {
      const reply = await subject.deliverNotification(formParameters(message.contents.content), String(message.metadata.wireContentType));
      expect(reply).toEqual({ status: 200, text: 'success' });
      expect((await subject.api('GET', `/api/refunds/${refundNo}`)).body).toMatchObject({ refundNo, status: 'SUCCESS' });
    });
});

it('credits nothing on a validly signed notification whose amount was rewritten, and flags it', async () => {
  const state = notifyStates.tampered;
  const { orderNo, paymentNo } = await subject.orderAndPay(state.amount);
  channelSaysPaid(paymentNo, 8880);
  await notifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a trade success notification whose amount was rewritten', (builder) => {
      builder.withJSONContent(signed(tradeStatusFields(paymentNo, tamperedAmount, 'TRADE_SUCCESS'))).withMetadata(notificationMetadata);
    })
    .executeTest(async (message) => {
      const reply = await subject.deliverNotification(formParameters(message.contents.content), String(message.metadata.wireContentType));
      expect(reply.status).toBe(400);
      expect(reply.text).not.toBe('success');
      const order = await orderOf(orderNo);
      expect(order.status).toBe('PAYING');
      expect(order.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.amountMismatch' })]);
    });
});

it('credits nothing on a notification signed with a key that is not the channel\'s, and flags it', async () => {
  const state = notifyStates.forged;
  const { orderNo, paymentNo } = await subject.orderAndPay(state.amount);
  channelSaysPaid(paymentNo, 8880);
  await notifyPact()
    .addAsynchronousInteraction()
    .given(state.name)
    .expectsToReceive('a trade success notification with a forged signature', (builder) => {
      builder
        .withJSONContent(signed(tradeStatusFields(paymentNo, state.amount, 'TRADE_SUCCESS'), fixtureKeys.rogue.privateKeyPem))
        .withMetadata(notificationMetadata);
    })
    .executeTest(async (message) => {
      const reply = await subject.deliverNotification(formParameters(message.contents.content), String(message.metadata.wireContentType));
      expect(reply.status).toBe(400);
      const order = await orderOf(orderNo);
      expect(order.status).toBe('PAYING');
      expect(order.payments[0].alerts).toEqual([expect.objectContaining({ kind: 'notify.invalid' })]);
    });
});

// Not a contract interaction: the same handling, shown on the contract's own example with one value
// edited after signing, as a middlebox without the channel's key would have to do it.
it('rejects the trade success notification when its amount is edited after signing', async () => {
  const { orderNo, paymentNo } = await subject.orderAndPay('88.80');
  channelSaysPaid(paymentNo, 8880);
  const genuine = exampleOf(signed(tradeStatusFields(paymentNo, '88.80', 'TRADE_SUCCESS')));
  const edited: Record<string, string> = { ...genuine, total_amount: '0.01' };
  expect(edited.sign).toBe(notificationSignature({ ...genuine }));
  const reply = await subject.deliverNotification(edited, wireContentType);
  expect(reply.status).toBe(400);
  expect((await orderOf(orderNo)).status).toBe('PAYING');
  expect(await subject.deliverNotification(genuine, wireContentType)).toEqual({ status: 200, text: 'success' });
  expect((await orderOf(orderNo)).status).toBe('PAID');
});
