// Records a success that arrives after the order was closed, and refunds nothing.
import { createPaymentResolver } from '../../core/services/payment-resolver.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'ignores-success-after-close',
  breaks: 'a success that arrives after close is refunded automatically',
  why:
    'The order is closed, so a late notify "cannot matter" and is just acknowledged: the buyer paid for nothing. ' +
    'Seed 002 (资损防控): a success after close must be refunded, or the merchant keeps money it did not earn.',
  components: {
    payments: (context, dependencies) =>
      createPaymentResolver(context, {
        ...dependencies,
        refunds: {
          ...dependencies.refunds,
          stageAutoRefund: (payment) =>
            context.records.order(payment.orderNo)?.status === 'CLOSED' ? { refundNo: undefined, mutations: [] } : dependencies.refunds.stageAutoRefund(payment),
        },
      }),
  },
  killers: ['late-success-after-close', 'pay-after-expiry'],
});
