// A trade's story from the journal: the messages between buyer, merchant and channel in time order,
// for the sequence timeline (lib/dashboard/timeline.ts), and its state changes as a history list.
import { formatFen } from '../../lib/money.ts';
import type { TimelineLane, TimelineMessage } from '../../lib/dashboard/timeline.ts';
import type { JournalEntry } from '../engine/journal.ts';

export const tradeLanes: readonly TimelineLane[] = [
  { id: 'buyer', title: 'buyer' },
  { id: 'merchant', title: 'merchant' },
  { id: 'channel', title: 'channel' },
];

const droppedError = 'dropped by fault injection';

function answerOf(entry: Extract<JournalEntry, { type: 'notify.attempted' }>): string {
  if (entry.error !== undefined) return entry.error;
  const body = (entry.responseBody ?? '').replace(/\s+/g, ' ').slice(0, 60);
  return `HTTP ${entry.status} "${body}"${entry.acknowledged ? ' (acknowledged)' : ''}`;
}

/** The message an entry draws, if it draws one. */
export function timelineMessageOf(entry: JournalEntry): TimelineMessage | undefined {
  switch (entry.type) {
    case 'http.exchange':
      return { atMs: entry.atMs, from: 'merchant', to: 'channel', label: entry.api, detail: `HTTP ${entry.exchange.status}` };
    case 'trade.created':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `trade created ¥${formatFen(entry.amountFen)}`, detail: entry.tradeNo };
    case 'trade.visible':
      return { atMs: entry.atMs, from: 'buyer', to: 'channel', label: 'opens the cashier' };
    case 'buyer.acted':
      return { atMs: entry.atMs, from: 'buyer', to: 'channel', label: `buyer: ${entry.action}` };
    case 'trade.paid':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `paid ¥${formatFen(entry.amountFen)}` };
    case 'trade.closed':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `closed (${entry.reason})` };
    case 'refund.created':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `refund ${entry.outRequestNo} accepted ¥${formatFen(entry.amountFen)}` };
    case 'refund.succeeded':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `refund ${entry.outRequestNo} succeeded` };
    case 'refund.failed':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `refund ${entry.outRequestNo} failed`, detail: entry.reason };
    case 'notify.attempted':
      return {
        atMs: entry.atMs, from: 'channel', to: 'merchant', label: `notify #${entry.attempt}${entry.resent ? ' (resent)' : ''}`, detail: answerOf(entry),
        ...(entry.error === droppedError ? { fault: 'drop' } : {}),
      };
    case 'notify.exhausted':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: 'notifications exhausted: no more retries' };
    case 'fault.injected':
      return { atMs: entry.atMs, from: 'channel', to: 'channel', label: `rule ${entry.ruleId} on ${entry.api}`, fault: entry.faultType };
    case 'notify.scheduled':
    case 'interceptor.failed':
    case 'sim.reset':
      return undefined;
  }
}

/**
 * The trade's messages in order. A notify fault is drawn on the attempt it changed (the attempt that
 * follows it at the same instant), named with its rule, rather than as a note of its own.
 */
export function tradeTimeline(entries: readonly JournalEntry[]): TimelineMessage[] {
  const messages: TimelineMessage[] = [];
  let pendingFault: { atMs: number; name: string } | undefined;
  for (const entry of entries) {
    if (entry.type === 'fault.injected' && entry.api === 'notify') {
      pendingFault = { atMs: entry.atMs, name: `${entry.faultType} · ${entry.ruleId}` };
      continue;
    }
    const message = timelineMessageOf(entry);
    if (!message) continue;
    if (pendingFault && entry.type === 'notify.attempted' && entry.atMs === pendingFault.atMs) {
      messages.push({ ...message, fault: pendingFault.name });
      pendingFault = undefined;
      continue;
    }
    if (pendingFault) messages.push({ atMs: pendingFault.atMs, from: 'channel', to: 'channel', label: 'notification fault', fault: pendingFault.name });
    pendingFault = undefined;
    messages.push(message);
  }
  if (pendingFault) messages.push({ atMs: pendingFault.atMs, from: 'channel', to: 'channel', label: 'notification fault', fault: pendingFault.name });
  return messages;
}

const historyTypes = new Set(['trade.created', 'trade.visible', 'buyer.acted', 'trade.paid', 'trade.closed', 'refund.created', 'refund.succeeded', 'refund.failed']);

/** The trade's state changes, oldest first. */
export function tradeHistory(entries: readonly JournalEntry[]): { atMs: number; type: string; label: string }[] {
  return entries.filter((entry) => historyTypes.has(entry.type)).map((entry) => ({ atMs: entry.atMs, type: entry.type, label: timelineMessageOf(entry)!.label }));
}
