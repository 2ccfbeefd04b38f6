// Credits a verified "paid" notify at once, at the amount the notify names, without comparing it to the payment.
import { applyChannelSuccess, isPaymentOpen } from '../../core/domain/index.ts';
import { createChannelCallbacks } from '../../core/services/channel-callbacks.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'skips-notify-amount-check',
  breaks: "a notify's amount must equal the payment's before anything is credited",
  why:
    'The signature verified, so the notify "is the channel\'s word" and its total_amount is booked as paid; a buyer who pays ' +
    '0.01 for a 99.00 order gets the goods. Seed 000 (通知): check the signature, the app, the seller and the amount.',
  components: {
    callbacks: (context, dependencies) => {
      const real = createChannelCallbacks(context, dependencies);
      return {
        ...real,
        async notify(channelName, incoming) {
          const channel = context.channels.get(channelName);
          const notification = channel ? await channel.verifyNotification(incoming) : undefined;
          if (!channel || notification?.kind !== 'payment' || notification.status.kind !== 'paid') return real.notify(channelName, incoming);
          const payment = context.records.payment(notification.paymentNo);
          const order = payment && context.records.order(payment.orderNo);
          if (!payment || !order || payment.amountFen === notification.amountFen || !isPaymentOpen(payment)) return real.notify(channelName, incoming);
          const nowMs = context.clock.now();
          const evidence = { amountFen: payment.amountFen, tradeNo: notification.channelTradeNo, appId: payment.appId, sellerId: payment.sellerId, paidAtMs: nowMs };
          const outcome = applyChannelSuccess(payment, order, evidence, nowMs);
          if (outcome.outcome === 'credited') {
            const credit = dependencies.payments.stageCredit({ ...outcome, order: { ...outcome.order, paidFen: notification.amountFen } });
            await context.commit(credit.mutations);
            credit.afterCommit();
          }
          return { verdict: 'acknowledged', reason: 'trusted the notify', wire: channel.notifyReply('acknowledged') };
        },
      };
    },
  },
  killers: ['notification-amount-tampered'],
});
