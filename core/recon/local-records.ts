// The core's side of a day: every success it recorded with a channel on that Beijing day, in the terms
// of a bill row. A payment counts whatever the order did with it (credited, or owed back after a close):
// the channel took the money either way. The day of a payment is the channel's payment time; of a
// refund, the time its success was recorded.
import type { Store } from '../../lib/store/index.ts';
import type { ChannelName, Payment, Refund } from '../domain/index.ts';
import { collections } from '../services/records.ts';
import type { LocalRecord } from './types.ts';

export function* localRecordsOfDay(store: Store, channel: ChannelName, dayStartMs: number): Generator<LocalRecord> {
  const dayEndMs = dayStartMs + 86_400_000;
  const within = (atMs: number) => atMs >= dayStartMs && atMs < dayEndMs;
  for (const payment of store.all<Payment>(collections.payments)) {
    if (payment.channel !== channel || payment.status !== 'SUCCEEDED' || !within(payment.paidAtMs)) continue;
    yield { kind: 'payment', paymentNo: payment.paymentNo, amountFen: payment.amountFen, feeFen: payment.feeFen };
  }
  for (const refund of store.all<Refund>(collections.refunds)) {
    if (refund.channel !== channel || refund.status !== 'SUCCESS' || !within(refund.succeededAtMs)) continue;
    yield { kind: 'refund', paymentNo: refund.paymentNo, refundNo: refund.refundNo, amountFen: refund.amountFen, feeFen: -refund.feeReturnedFen };
  }
}
