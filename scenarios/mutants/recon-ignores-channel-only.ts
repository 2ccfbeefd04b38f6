// Reconciles only the bill rows of payments the core knows: a row the channel has and we do not is skipped.
import { createReconciliationService } from '../../core/recon/service.ts';
import { defineMutant, withChannels } from './mutant.ts';

export default defineMutant({
  name: 'recon-ignores-channel-only',
  breaks: 'reconciliation is two-way: a row only the channel has is a finding too',
  why:
    'Reconciliation is written as "for each of our records, find its row", which never looks at rows without a record; ' +
    'money the channel holds for us goes unbooked. Seed 000 (对账): reconcile both ways, channel-only and local-only.',
  components: {
    reconciliation: (context, dependencies) =>
      createReconciliationService(
        withChannels(context, (channel) => ({
          async *readBill(file) {
            for await (const rows of channel.readBill(file)) yield rows.filter((row) => context.records.payment(row.paymentNo) !== undefined);
          },
        })),
        dependencies,
      ),
  },
  killers: ['bill-extra-row'],
});
