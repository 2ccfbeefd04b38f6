// Treats silence as failure: when the first query of a payment falls due, it is closed locally instead of asked about.
import { markPaymentClosed } from '../../core/domain/index.ts';
import { createPaymentResolver } from '../../core/services/payment-resolver.ts';
import { writePayment } from '../../core/services/records.ts';
import { defineMutant, withScheduler } from './mutant.ts';

export default defineMutant({
  name: 'no-active-query',
  breaks: 'an unknown outcome is resolved by active query, never assumed failed',
  why:
    'Without a notify the payment "must have failed", so a timer marks it failed and the order expires; the buyer\'s money is ' +
    'kept by the channel and never credited or returned. Seed 000 (支付、通知、查询、退款、对账): query actively when no notify comes.',
  components: {
    payments: (context, dependencies) =>
      createPaymentResolver(
        withScheduler(context, (arm, key, atMs, task) => {
          if (!key.startsWith('query:')) return arm(key, atMs, task);
          const paymentNo = key.slice('query:'.length);
          arm(key, atMs, async () => {
            const payment = context.records.payment(paymentNo);
            const change = payment && markPaymentClosed(payment, context.clock.now());
            if (change?.ok) await context.commit([writePayment(change.payment)]);
          });
        }),
        dependencies,
      ),
  },
  killers: ['every-notification-lost', 'query-answers-5xx'],
});
