// A trade's timeline from its journal entries: who sent what to whom, with a notify fault drawn on the
// attempt it changed.
import { expect, it } from 'vitest';
import type { JournalEntry } from '../../../simulator/engine/journal.ts';
import { tradeHistory, tradeTimeline } from '../../../simulator/dashboard/trade-timeline.ts';

const attempted = (seq: number, atMs: number, error?: string): JournalEntry => ({
  seq, type: 'notify.attempted', atMs, channel: 'alipay', notificationId: 'N1', attempt: seq, url: 'http://127.0.0.1:1/notify', requestBody: '',
  acknowledged: error === undefined, ...(error ? { error } : { status: 200, responseBody: 'success' }),
});

it('draws a notify fault on the attempt it changed, and one with no attempt after it as a note', () => {
  const messages = tradeTimeline([
    { seq: 1, type: 'trade.paid', atMs: 0, channel: 'alipay', appId: 'A', outTradeNo: 'T1', tradeNo: 'N', amountFen: 1200 },
    { seq: 2, type: 'fault.injected', atMs: 0, ruleId: 'rule-1', faultType: 'drop', channel: 'alipay', api: 'notify', detail: 'T1' },
    attempted(3, 0, 'dropped by fault injection'),
    attempted(4, 240_000),
    { seq: 5, type: 'fault.injected', atMs: 300_000, ruleId: 'rule-2', faultType: 'duplicate', channel: 'alipay', api: 'notify', detail: 'T1' },
  ]);
  expect(messages).toEqual([
    { atMs: 0, from: 'channel', to: 'channel', label: 'paid ¥12.00' },
    { atMs: 0, from: 'channel', to: 'merchant', label: 'notify #3', detail: 'dropped by fault injection', fault: 'drop · rule-1' },
    { atMs: 240_000, from: 'channel', to: 'merchant', label: 'notify #4', detail: 'HTTP 200 "success" (acknowledged)' },
    { atMs: 300_000, from: 'channel', to: 'channel', label: 'notification fault', fault: 'duplicate · rule-2' },
  ]);
});

it('lists only state changes in the history', () => {
  const history = tradeHistory([
    { seq: 1, type: 'trade.created', atMs: 0, channel: 'alipay', appId: 'A', outTradeNo: 'T1', tradeNo: 'N', amountFen: 100 },
    attempted(2, 0),
    { seq: 3, type: 'trade.closed', atMs: 5, channel: 'alipay', appId: 'A', outTradeNo: 'T1', reason: 'expired' },
  ]);
  expect(history.map((item) => item.label)).toEqual(['trade created ¥1.00', 'closed (expired)']);
});
