// GET /_sim/journal/stream: the journal as server-sent events. The recent entries that match come
// first (at most `backlogEntriesMax`, or those after Last-Event-ID when a browser reconnects), then
// every new one as it is appended. Each event's id is the entry's seq, so a reconnect misses nothing
// the ring still holds.
import type { Request, Response } from 'express';
import type { Journal, JournalEntry, JournalFilter } from '../engine/journal.ts';

export const backlogEntriesMax = 200;
/**
 * What may wait unsent for a slow reader before the stream is ended; its browser reconnects with
 * Last-Event-ID and gets what the ring still holds, so a stalled tab cannot pile up memory.
 */
export const unsentBytesMax = 8 * 1024 * 1024;
/** A comment line now and then keeps proxies and idle-connection timeouts from closing the stream (real time: transport, not simulation). */
const keepAliveMs = 15_000;

export function journalStream(req: Request, res: Response, journal: Journal, filter: Omit<JournalFilter, 'limit'>): void {
  res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  const matches = (entry: JournalEntry) => (filter.type === undefined || entry.type === filter.type) && (filter.trade === undefined || filter.trade(entry));
  const send = (entry: JournalEntry) => res.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`);
  res.write('retry: 1000\n\n');
  for (const entry of journal.page({ ...filter, limit: backlogEntriesMax }).entries) send(entry);
  const unsubscribe = journal.subscribe((entry) => {
    if (!matches(entry)) return;
    if (res.writableLength > unsentBytesMax) {
      unsubscribe();
      res.end();
      return;
    }
    send(entry);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
