// Opens a 0-amount order for payment like any other, so it is sent to the channel.
import type { Order } from '../../core/domain/index.ts';
import { createOrderService } from '../../core/services/orders.ts';
import { collections } from '../../core/services/records.ts';
import { defineMutant, rewritePuts, withCommit } from './mutant.ts';

export default defineMutant({
  name: 'zero-amount-to-channel',
  breaks: 'a 0-amount order never reaches a channel (it is paid at once)',
  why:
    'A coupon that covers the whole price makes an order of 0.00; the checkout code does not special-case it and asks the ' +
    'channel to take 0.00, which channels refuse or, worse, accept. Seed 001 (支付产品与业务流程): validate the amount before routing.',
  components: {
    orders: (context, dependencies) =>
      createOrderService(
        withCommit(context, (mutations) =>
          rewritePuts<Order>(mutations, collections.orders, (order) => {
            if (order.amountFen !== 0 || order.status !== 'PAID' || order.paymentNos.length > 0) return order;
            const { paidAtMs: _paidAtMs, paidPaymentNo: _paidPaymentNo, ...open } = order as Order & { paidAtMs?: number; paidPaymentNo?: string | null };
            return { ...open, status: 'CREATED' } as Order;
          }),
        ),
        dependencies,
      ),
  },
  killers: ['zero-amount-order'],
});
