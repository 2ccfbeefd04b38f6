// Treats a replayed refund request as a new refund: the same outRefundNo is sent again under a new number.
import { createRefundService } from '../../core/services/refunds.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'non-reentrant-refund',
  breaks: 'a replay of the same refund request returns the same refund (re-entrant)',
  why:
    'The refund endpoint inserts a row per request; a business system that retries after a timeout refunds twice. ' +
    'Seed 000 (退款): the refund is keyed by the merchant\'s refund number and a replay must return the first.',
  components: {
    refunds: (context, dependencies) => {
      const real = createRefundService(context, dependencies);
      let replays = 0;
      return {
        ...real,
        async request(orderNo, request) {
          const outcome = await real.request(orderNo, request);
          if (outcome.outcome !== 'replay') return outcome;
          replays += 1;
          return real.request(orderNo, { ...request, outRefundNo: `${request.outRefundNo}-again-${replays}` });
        },
      };
    },
  },
  killers: ['refund-replayed'],
});
