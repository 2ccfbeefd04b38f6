// Takes a refund the channel still reports as processing for failed.
import { createRefundService } from '../../core/services/refunds.ts';
import { defineMutant, withChannels } from './mutant.ts';

export default defineMutant({
  name: 'refund-in-flight-failed',
  breaks: 'a refund in flight is never closed by the core; only the channel decides its fate',
  why:
    '"Processing" looks like an error state, so the poller gives up on it and tells the customer it failed; the channel ' +
    'then completes it and the money leaves twice when support refunds again. Seed 000 (退款): refunds complete later; poll, never assume.',
  components: {
    refunds: (context, dependencies) =>
      createRefundService(
        withChannels(context, (channel) => ({
          async queryRefund(paymentNo, refundNo) {
            const status = await channel.queryRefund(paymentNo, refundNo);
            return status.kind === 'processing' ? { kind: 'failed', reason: 'still processing' } : status;
          },
        })),
        dependencies,
      ),
  },
  killers: ['refund-stuck-two-days', 'refunds-sum-of-parts'],
});
