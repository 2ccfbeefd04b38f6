// The aging pool: local records a bill did not show. Bills lag (a payment at 23:59:59 may be on the next
// day's file), so each waits a configured number of days, matched late if a later bill shows it, and
// only then becomes a person's problem.
import { put, type Mutation, type Store } from '../../lib/store/index.ts';
import type { ChannelName } from '../domain/index.ts';
import type { Handling, LocalRecord } from './types.ts';

export const poolCollection = 'reconciliation-pool';

export interface PoolEntry {
  readonly id: string;
  readonly channel: ChannelName;
  readonly key: string;
  readonly kind: 'payment' | 'refund';
  readonly paymentNo: string;
  readonly refundNo?: string;
  readonly amountFen: number;
  /** The bill day it was missing from. */
  readonly billDate: string;
  readonly handling: Exclude<Handling, 'AUTO_FIXED'> | 'MATCHED_LATE';
  /** The run that last decided it. */
  readonly runId: string;
  readonly updatedAtMs: number;
}

export function poolEntryOf(input: { channel: ChannelName; key: string; record: LocalRecord; billDate: string; handling: PoolEntry['handling']; runId: string; atMs: number }): PoolEntry {
  const { record } = input;
  return {
    id: `${input.channel}|${input.key}`,
    channel: input.channel,
    key: input.key,
    kind: record.kind,
    paymentNo: record.paymentNo,
    ...(record.refundNo ? { refundNo: record.refundNo } : {}),
    amountFen: record.amountFen,
    billDate: input.billDate,
    handling: input.handling,
    runId: input.runId,
    updatedAtMs: input.atMs,
  };
}

export const writePoolEntry = (entry: PoolEntry): Mutation => put(poolCollection, entry.id, entry);

/** Every open entry (aging or manual) of a channel, by id. */
export function openPool(store: Store, channel: ChannelName): Map<string, PoolEntry> {
  const open = new Map<string, PoolEntry>();
  for (const entry of store.all<PoolEntry>(poolCollection)) if (entry.channel === channel && entry.handling !== 'MATCHED_LATE') open.set(entry.id, entry);
  return open;
}
