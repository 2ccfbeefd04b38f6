// The journal of every exchange the simulator took part in: HTTP requests and responses, notification
// attempts, injected faults, state changes. A bounded ring in memory, fed only by events; its entries
// carry only clock time and sequence numbers, so the same seed and requests give the same journal.
import type { EventBus } from '../../lib/events.ts';
import type { SimEvent } from './events.ts';

export type JournalEntry = SimEvent & { readonly seq: number };

/** Bodies kept per exchange: the ring is bounded in entries, and this bounds each entry. */
export const journalBodyCharsMax = 64 * 1024;

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

export class Journal {
  private readonly entries: JournalEntry[] = [];
  private seq = 0;

  constructor(
    events: EventBus<SimEvent>,
    private readonly entriesMax: number,
  ) {
    events.on('*', (event) => this.append(event));
  }

  private append(event: SimEvent): void {
    this.entries.push({ ...kept(event), seq: ++this.seq });
    if (this.entries.length > this.entriesMax) this.entries.splice(0, this.entries.length - this.entriesMax);
  }

  list(filter: { sinceSeq?: number; type?: string; limit?: number } = {}): JournalEntry[] {
    const matching = this.entries.filter(
      (entry) => (filter.sinceSeq === undefined || entry.seq > filter.sinceSeq) && (filter.type === undefined || entry.type === filter.type),
    );
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
