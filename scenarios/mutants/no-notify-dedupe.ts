// Books each concurrent copy of a "paid" notify that found the payment open: check, then act, with an await between.
import type { JournalEntry } from '../../core/domain/index.ts';
import { isPaymentOpen } from '../../core/domain/index.ts';
import { put } from '../../lib/store/index.ts';
import { createChannelCallbacks } from '../../core/services/channel-callbacks.ts';
import { collections } from '../../core/services/records.ts';
import { defineMutant } from './mutant.ts';

export default defineMutant({
  name: 'no-notify-dedupe',
  breaks: 'duplicate or concurrent notifications change nothing: one credit, one booking',
  why:
    'The handler reads "is it paid yet?", then queries the channel, then books; ten copies that arrive together all read ' +
    '"not yet". Seed 002 (资损防控): idempotency, a conditional write from a non-terminal state, no double credit.',
  components: {
    callbacks: (context, dependencies) => {
      const real = createChannelCallbacks(context, dependencies);
      const openReaders = new Map<string, number>();
      return {
        ...real,
        async notify(channelName, incoming) {
          const channel = context.channels.get(channelName);
          const notification = channel ? await channel.verifyNotification(incoming) : undefined;
          const payment = notification?.kind === 'payment' ? context.records.payment(notification.paymentNo) : undefined;
          if (!payment || !isPaymentOpen(payment)) return real.notify(channelName, incoming);
          const copy = openReaders.get(payment.paymentNo) ?? 0;
          openReaders.set(payment.paymentNo, copy + 1);
          const reply = await real.notify(channelName, incoming);
          const entry = context.store.get<JournalEntry>(collections.ledger, `payment:${payment.paymentNo}`);
          if (copy > 0 && entry) await context.commit([put(collections.ledger, `${entry.id}:copy-${copy}`, { ...entry, id: `${entry.id}:copy-${copy}` })]);
          return reply;
        },
      };
    },
  },
  killers: ['notification-ten-copies-at-once'],
});
