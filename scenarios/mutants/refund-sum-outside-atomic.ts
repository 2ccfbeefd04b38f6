// Checks the refundable amount against the refunds read before a channel call, and writes after it.
import { postingsForRefund, requestRefund } from '../../core/domain/index.ts';
import { createRefundService } from '../../core/services/refunds.ts';
import { writeLedger, writeRefund, writeRefundIndex } from '../../core/services/records.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'refund-sum-outside-atomic',
  breaks: 'the sum of refunds never exceeds the paid amount, checked in the same atomic write',
  why:
    'The refund handler loads the refunds so far, asks the channel whether the trade is refundable, then inserts: two ' +
    'requests at once both pass the check. Seed 002 (资损防控): sum of parts, checked where the write happens.',
  components: {
    refunds: (context, dependencies) => {
      const real = createRefundService(context, dependencies);
      const { records } = context;
      return {
        ...real,
        async request(orderNo, request) {
          const order = records.order(orderNo);
          const payment = order?.status === 'PAID' && order.paidPaymentNo ? records.payment(order.paidPaymentNo) : undefined;
          const channel = payment ? context.channels.get(payment.channel) : undefined;
          if (!order || order.status !== 'PAID' || !payment || !channel) return real.request(orderNo, request);
          const seen = records.refundsOf(payment.paymentNo);
          await channel.queryPayment(payment.paymentNo).catch(() => undefined);
          const outcome = requestRefund(order, payment, seen, request, { refundNo: context.numbers.next('refund'), nowMs: context.clock.now() }, context.config.policy.refund);
          if (outcome.outcome !== 'created') return real.request(orderNo, request);
          const refund = outcome.refund;
          await context.commit([writeRefund(refund), writeRefundIndex(records, refund), ...writeLedger(postingsForRefund(refund))]);
          const sent = await real.submit(refund.refundNo);
          return { outcome: 'created', refund: sent ?? refund };
        },
      };
    },
  },
  killers: ['refunds-at-once'],
});
