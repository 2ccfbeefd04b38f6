// The journal of every exchange the simulator took part in: HTTP requests and responses, notification
// attempts, injected faults, state changes. A bounded ring in memory, fed only by events; its entries
// carry only clock time and sequence numbers, so the same seed and requests give the same journal.
import type { EventBus } from '../../lib/events.ts';
import type { SimEvent } from './events.ts';

export type JournalEntry = SimEvent & { readonly seq: number };

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
    this.entries.push({ ...event, seq: ++this.seq });
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
