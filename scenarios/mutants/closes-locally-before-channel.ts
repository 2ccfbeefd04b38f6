// Closes the payment locally and tells the channel afterwards, without waiting to hear that it closed.
import { createOrderCloser } from '../../core/services/order-closer.ts';
import { defineMutant, withChannels } from './mutant.ts';

export default defineMutant({
  name: 'closes-locally-before-channel',
  breaks: 'an order is closed at the channel before it is closed locally',
  why:
    'Closing locally is instant and the channel call is slow, so the close is made fire-and-forget; a buyer still on the ' +
    'cashier page pays a trade the core calls closed. Seed 001 (支付产品与业务流程): close at the channel first, then locally.',
  components: {
    closer: (context, dependencies) =>
      createOrderCloser(
        withChannels(context, (channel) => ({
          async closePayment(paymentNo) {
            void channel.closePayment(paymentNo).catch(() => undefined);
            return { kind: 'closed' };
          },
        })),
        dependencies,
      ),
  },
  killers: ['close-unreachable'],
});
