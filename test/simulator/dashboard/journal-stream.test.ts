// The live journal (GET /_sim/journal/stream, server-sent events) and the trade filter it shares with
// GET /_sim/journal: recent matching entries first, then each new one as it happens; a reconnect with
// Last-Event-ID misses nothing and repeats nothing.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../../core/integration/paysim.ts';
import type { JournalEntry } from '../../../simulator/engine/journal.ts';

let paysim: Paysim;
beforeEach(async () => {
  paysim = await startPaysim();
});
afterEach(async () => {
  await paysim.close();
});

interface Stream {
  /** Resolves with the first `count` entries the stream has sent. */
  entries(count: number): Promise<JournalEntry[]>;
  close(): void;
}

async function openStream(query: string, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${paysim.sim.url}/_sim/journal/stream${query}`, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const received: JournalEntry[] = [];
  let buffer = '';
  return {
    async entries(count) {
      while (received.length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended after ${received.length} entries`);
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          const id = block.split('\n').find((line) => line.startsWith('id: '));
          if (data) {
            const entry = JSON.parse(data.slice(6)) as JournalEntry;
            expect(id).toBe(`id: ${entry.seq}`);
            received.push(entry);
          }
        }
      }
      return received.slice(0, count);
    },
    close: () => controller.abort(),
  };
}

it('sends the matching entries it holds, then each new one as it happens, filtered by type and trade', async () => {
  const first = await paysim.orderAndPay('10.00');
  const second = await paysim.orderAndPay('11.00');
  await paysim.buyerPays(first.paymentNo);
  await paysim.advance(0);

  const stream = await openStream(`?outTradeNo=${first.paymentNo}`);
  const held = paysim.sim.engine.journal.list().filter((entry) => JSON.stringify(entry).includes(first.paymentNo) || entry.type.startsWith('notify.'));
  const backlog = await stream.entries(held.length);
  expect(backlog.map((entry) => entry.type)).toEqual(expect.arrayContaining(['http.exchange', 'trade.created', 'buyer.acted', 'trade.paid', 'notify.scheduled', 'notify.attempted']));
  expect(JSON.stringify(backlog)).not.toContain(second.paymentNo);

  await paysim.buyerPays(second.paymentNo); // another trade: not sent
  await paysim.advance(0);
  const closed = await paysim.api('POST', `/api/orders/${first.orderNo}/refunds`, { outRefundNo: 'R-1', amount: '1.00', reason: 'test' });
  expect(closed.status).toBe(201);
  const [next] = (await stream.entries(backlog.length + 1)).slice(backlog.length);
  expect(next!.seq).toBeGreaterThan(backlog.at(-1)!.seq);
  expect(JSON.stringify(next)).toContain(first.paymentNo);
  stream.close();

  const typed = await openStream(`?type=trade.paid`);
  const paid = await typed.entries(2);
  expect(paid.map((entry) => entry.type)).toEqual(['trade.paid', 'trade.paid']);
  typed.close();
});

it('resumes after Last-Event-ID without repeating an entry', async () => {
  const { paymentNo } = await paysim.orderAndPay('12.00');
  const all = paysim.sim.engine.journal.list();
  const resumed = await openStream('', { 'last-event-id': String(all.at(-1)!.seq) });
  await paysim.buyerPays(paymentNo);
  const [entry] = await resumed.entries(1);
  expect(entry!.seq).toBe(all.at(-1)!.seq + 1);
  expect(entry!.type).toBe('trade.visible');
  resumed.close();
});

it('filters GET /_sim/journal by trade: its exchanges, state changes and notifications, no other trade', async () => {
  const first = await paysim.orderAndPay('13.00');
  const second = await paysim.orderAndPay('14.00');
  await paysim.buyerPays(first.paymentNo);
  await paysim.buyerPays(second.paymentNo);
  await paysim.advance(0);
  const entries: JournalEntry[] = await (await fetch(`${paysim.sim.url}/_sim/journal?outTradeNo=${first.paymentNo}`)).json();
  const notificationIds = paysim.sim.engine.outbox.all().filter((notification) => notification.tradeKey.endsWith(first.paymentNo)).map((notification) => notification.id);
  expect(entries.length).toBeGreaterThan(5);
  for (const entry of entries) {
    const text = JSON.stringify(entry);
    expect(text.includes(first.paymentNo) || notificationIds.some((id) => text.includes(id))).toBe(true);
    expect(text).not.toContain(second.paymentNo);
  }
  expect(entries.filter((entry) => entry.type === 'notify.attempted')).toHaveLength(1);
});

it('answers {code, message} for filters it cannot read', async () => {
  for (const query of ['?sinceSeq=abc', '?type=a&type=b', '?outTradeNo=a&outTradeNo=b']) {
    const response = await fetch(`${paysim.sim.url}/_sim/journal/stream${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'INVALID_REQUEST', message: expect.any(String) });
  }
  const page = await fetch(`${paysim.sim.url}/_sim/journal?outTradeNo=a&outTradeNo=b`);
  expect(page.status).toBe(400);
});

it('ends the stream of a reader that stops reading once 8 MiB wait unsent, and keeps the journal going', async () => {
  const response = await fetch(`${paysim.sim.url}/_sim/journal/stream?type=http.exchange`);
  const body = 'x'.repeat(60 * 1024);
  // 400 entries of two 60 KiB bodies: far more than the socket's buffers and the 8 MiB the stream may hold.
  for (let index = 0; index < 400; index++) {
    paysim.sim.engine.events.emit({
      type: 'http.exchange', atMs: index, channel: 'alipay', api: 'alipay.trade.query',
      exchange: { method: 'POST', path: '/gateway.do', requestHeaders: {}, requestBody: body, status: 200, responseHeaders: {}, responseBody: body },
    });
  }
  let received = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    received += value.length;
  }
  expect(received).toBeLessThan(400 * 2 * body.length);
  expect(received).toBeGreaterThan(0);
  expect(paysim.sim.engine.journal.list({ type: 'http.exchange' }).length).toBeGreaterThanOrEqual(400);
});
