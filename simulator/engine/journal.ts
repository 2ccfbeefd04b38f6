// The journal of every exchange the simulator took part in: HTTP requests and responses, notification
// attempts, injected faults, state changes. A bounded ring in memory, fed only by events; its entries
// carry only clock time and sequence numbers, so the same seed and requests give the same journal.
// Two bounds hold together: a count of entries and a total size (about their JSON, as GET sends it),
// so neither many small entries nor fewer large ones can exhaust memory or one response.
import type { EventBus } from '../../lib/events.ts';
import type { SimEvent } from './events.ts';

export type JournalEntry = SimEvent & { readonly seq: number };

/** Bodies kept per exchange: the ring is bounded in entries, and this bounds each entry. */
export const journalBodyCharsMax = 64 * 1024;

/**
 * What the ring holds in all; the oldest entries go first. Measured by `sizeOf`: the characters of the
 * entries' strings and field names, that is bytes for ASCII text and the length of their JSON.
 */
export const journalBytesMaxDefault = 64 * 1024 * 1024;

/** Entries one read returns when it names no `limit`, and the most it may name. */
export const journalPageEntriesDefault = 1_000;
export const journalPageEntriesMax = 10_000;

function clip(text: string): string {
  return text.length <= journalBodyCharsMax ? text : `${text.slice(0, journalBodyCharsMax)}… (${text.length - journalBodyCharsMax} more characters not kept)`;
}

/** The event as the journal keeps it: long bodies clipped. */
function kept(event: SimEvent): SimEvent {
  if (event.type === 'http.exchange') {
    return { ...event, exchange: { ...event.exchange, requestBody: clip(event.exchange.requestBody), responseBody: clip(event.exchange.responseBody) } };
  }
  if (event.type === 'notify.attempted') return { ...event, requestBody: clip(event.requestBody), ...(event.responseBody !== undefined ? { responseBody: clip(event.responseBody) } : {}) };
  return event;
}

/**
 * An entry's size as its JSON would count it, without building the JSON (which costs milliseconds for a
 * 64 KiB body): string lengths, field names and a little for punctuation and numbers.
 */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  let size = 2;
  for (const [key, item] of Object.entries(value)) size += key.length + 4 + sizeOf(item);
  return size;
}

export interface JournalFilter {
  /** Only entries after this sequence number; then a limited read returns the oldest of them, to page forward. */
  readonly sinceSeq?: number;
  readonly type?: string;
  /** Only entries about this trade (see `concernsTrade`). */
  readonly trade?: (entry: JournalEntry) => boolean;
  /** At most this many entries: the newest, or with `sinceSeq` the oldest after it. */
  readonly limit?: number;
}

export interface JournalPage {
  readonly entries: JournalEntry[];
  /** Matching entries the limit left out. */
  readonly omitted: number;
}

export class Journal {
  /** The ring: entries from `head` on are live; the dead prefix is dropped now and then. */
  private entries: JournalEntry[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  private readonly subscribers = new Set<(entry: JournalEntry) => void>();

  constructor(
    events: EventBus<SimEvent>,
    private readonly entriesMax: number,
    private readonly bytesMax: number = journalBytesMaxDefault,
  ) {
    events.on('*', (event) => this.append(event));
  }

  /** The size of what the ring holds now, by `sizeOf`. */
  get sizeBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  private append(event: SimEvent): void {
    const entry: JournalEntry = { ...kept(event), seq: ++this.seq };
    const entryBytes = sizeOf(entry);
    this.entries.push(entry);
    this.sizes.push(entryBytes);
    this.bytes += entryBytes;
    // The newest entry always stays: one entry is bounded by the body clipping.
    while (this.size > 1 && (this.size > this.entriesMax || this.bytes > this.bytesMax)) {
      this.bytes -= this.sizes[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    // Once the ring is in order: a subscriber that fails is reported and harms neither the ring nor the others.
    for (const subscriber of this.subscribers) {
      try {
        subscriber(entry);
      } catch (error) {
        process.emitWarning(`journal subscriber failed on entry ${entry.seq}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Calls `listener` with every entry as it is appended (the live journal); returns the unsubscribe. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.page(filter).entries;
  }

  page(filter: JournalFilter = {}): JournalPage {
    const matching: JournalEntry[] = [];
    for (let index = this.head; index < this.entries.length; index++) {
      const entry = this.entries[index]!;
      if ((filter.sinceSeq === undefined || entry.seq > filter.sinceSeq) && (filter.type === undefined || entry.type === filter.type) && (filter.trade === undefined || filter.trade(entry))) {
        matching.push(entry);
      }
    }
    if (filter.limit === undefined || matching.length <= filter.limit) return { entries: matching, omitted: 0 };
    const entries = filter.sinceSeq === undefined ? matching.slice(matching.length - filter.limit) : matching.slice(0, filter.limit);
    return { entries, omitted: matching.length - entries.length };
  }

  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
  }
}

/**
 * Whether an entry is about the trade `outTradeNo`: a trade, refund or buyer event of it, a notification
 * of it (`notificationTrade` maps a notification id to its trade's number), or an exchange or fault
 * whose path, bodies or detail carry the number (a gateway call names the trade only in its body).
 */
export function concernsTrade(entry: JournalEntry, outTradeNo: string, notificationTrade: (notificationId: string) => string | undefined): boolean {
  switch (entry.type) {
    case 'notify.scheduled':
    case 'notify.attempted':
    case 'notify.exhausted':
      return notificationTrade(entry.notificationId) === outTradeNo;
    case 'http.exchange':
      return [entry.exchange.path, entry.exchange.requestBody, entry.exchange.responseBody].some((text) => text.includes(outTradeNo));
    case 'fault.injected':
      return entry.detail?.includes(outTradeNo) ?? false;
    case 'interceptor.failed':
    case 'sim.reset':
      return false;
    default:
      return entry.outTradeNo === outTradeNo;
  }
}
