// Before a channel-only row is applied, the channel is asked about it through its ordinary query: a bill
// line alone never credits an order. The questions go out a few at a time, and a channel that cannot
// be reached is an answer too (`unavailable`): the row then waits for a person or a rerun.
import type { BillRow, Channel, ChannelPaymentStatus, ChannelRefundStatus } from '../connectors/channel.ts';
import { ChannelUnavailableError } from '../connectors/channel.ts';
import type { Finding } from './match.ts';
import { recordKey } from './types.ts';

export type Evidence = ChannelPaymentStatus | ChannelRefundStatus | { readonly kind: 'unavailable'; readonly reason: string };

const concurrency = 4;

export async function gatherEvidence(channel: Channel, findings: readonly Finding[]): Promise<Map<string, Evidence>> {
  const rows = findings.filter((finding) => finding.category === 'CHANNEL_ONLY').map((finding) => (finding as { row: BillRow }).row);
  const evidence = new Map<string, Evidence>();
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      evidence.set(recordKey(row), await ask(channel, row));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  return evidence;
}

async function ask(channel: Channel, row: BillRow): Promise<Evidence> {
  try {
    return row.kind === 'payment' ? await channel.queryPayment(row.paymentNo) : await channel.queryRefund(row.paymentNo, row.refundNo ?? '');
  } catch (error) {
    // Only "outcome unknown" is an answer; anything else is a bug and must fail the run loudly.
    if (error instanceof ChannelUnavailableError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
}
