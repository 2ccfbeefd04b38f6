// Credits the payment when the buyer's browser comes back on the return URL, without asking the channel.
import { applyChannelSuccess, isPaymentOpen } from '../../core/domain/index.ts';
import { createChannelCallbacks } from '../../core/services/channel-callbacks.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'trusts-sync-redirect',
  breaks: 'the sync redirect is shown to the buyer, never trusted; only a notify or a query credits',
  why:
    'The return page is where the buyer lands, so "the buyer came back from the cashier" is taken to mean paid; anyone can ' +
    'open that URL. Seed 000 (支付): the synchronous return only shows a result, the asynchronous notify is the truth.',
  components: {
    callbacks: (context, dependencies) => {
      const real = createChannelCallbacks(context, dependencies);
      return {
        ...real,
        syncReturn(channelName, params) {
          const view = real.syncReturn(channelName, params);
          const payment = view.paymentNo ? context.records.payment(view.paymentNo) : undefined;
          if (payment && isPaymentOpen(payment)) {
            context.clock.schedule(context.clock.now(), async () => {
              const current = context.records.payment(payment.paymentNo);
              const order = current && context.records.order(current.orderNo);
              if (!current || !order || !isPaymentOpen(current)) return;
              const nowMs = context.clock.now();
              const outcome = applyChannelSuccess(current, order, { amountFen: current.amountFen, tradeNo: `return-${current.paymentNo}`, appId: current.appId, sellerId: current.sellerId, paidAtMs: nowMs }, nowMs);
              if (outcome.outcome !== 'credited') return;
              const credit = dependencies.payments.stageCredit(outcome);
              await context.commit(credit.mutations);
              credit.afterCommit();
            }, 'mutant: credit on return');
          }
          return view;
        },
      };
    },
  },
  killers: ['sync-return-without-payment'],
});
