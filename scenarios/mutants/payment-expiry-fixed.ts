// Sends every payment to the channel with a fixed two-hour expiry instead of one derived from the order's.
import { createPayService } from '../../core/services/pay.ts';
import { defineMutant, withChannels } from './mutant.ts';

const fixedExpiryMs = 2 * 3_600_000;

export default defineMutant({
  name: 'payment-expiry-fixed',
  breaks: "the payment's expiry is computed from the order's own expiry",
  why:
    'time_expire is copied from a config constant ("two hours is plenty"), so the channel keeps taking money for orders the ' +
    'core has already expired. Seed 001 (支付产品与业务流程): the pay timeout must fall inside the order timeout.',
  components: {
    pay: (context, dependencies) =>
      createPayService(
        withChannels(context, (channel) => ({
          createPayment: (request) => channel.createPayment({ ...request, expiresAtMs: context.clock.now() + fixedExpiryMs }),
        })),
        dependencies,
      ),
  },
  killers: ['expiry-while-close-unreachable'],
});
