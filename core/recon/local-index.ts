// The day's local records, indexed by the number a bill row carries. Held as columns (typed arrays, and
// an open-addressing hash table of positions) rather than an object and a Map entry per record, so a day
// of a million records costs tens of megabytes and no per-record allocation beyond its number.
import { recordKey, type LocalRecord } from './types.ts';

type Kind = 'payment' | 'refund';

/** FNV-1a over the number's UTF-16 code units, with the kind mixed in: payments and refunds never collide. */
function hashOf(kind: Kind, number: string): number {
  let hash = kind === 'payment' ? 0x811c9dc5 : 0x050c5d1f;
  for (let index = 0; index < number.length; index++) hash = Math.imul(hash ^ number.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export class LocalIndex {
  /** position + 1 of each record, at its hash slot or the next free one (0: free); at most half full. */
  private slots = new Int32Array(2048);
  private readonly paymentNos: string[] = [];
  private readonly refundNos: (string | undefined)[] = [];
  private kinds: Uint8Array;
  private amounts: Float64Array;
  private fees: Float64Array;
  /** 0: not seen in the bill yet; 1: matched by a row. */
  private seen: Uint8Array;
  /** The amount of the first row that matched, to tell a duplicate from a second, different row. */
  private rowAmounts: Float64Array;
  private length = 0;

  constructor(capacity = 1024) {
    this.kinds = new Uint8Array(capacity);
    this.amounts = new Float64Array(capacity);
    this.fees = new Float64Array(capacity);
    this.seen = new Uint8Array(capacity);
    this.rowAmounts = new Float64Array(capacity);
  }

  static of(records: Iterable<LocalRecord>): LocalIndex {
    const index = new LocalIndex();
    for (const record of records) index.add(record);
    return index;
  }

  get size(): number {
    return this.length;
  }

  /** Adds a record; a second record under the same key is a bug in the caller (keys are unique numbers). */
  add(record: LocalRecord): void {
    if (this.positionOf(record) !== undefined) throw new Error(`bug: two local records under ${recordKey(record)}`);
    if (this.length === this.kinds.length) this.grow();
    if ((this.length + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const at = this.length++;
    this.place(at, hashOf(record.kind, numberOf(record)));
    this.paymentNos.push(record.paymentNo);
    this.refundNos.push(record.refundNo);
    this.kinds[at] = record.kind === 'payment' ? 0 : 1;
    this.amounts[at] = record.amountFen;
    this.fees[at] = record.feeFen;
  }

  /** Where the record a bill row (or any record) names is, if the day has it. */
  positionOf(record: { readonly kind: Kind; readonly paymentNo: string; readonly refundNo?: string }): number | undefined {
    const number = numberOf(record);
    const kindCode = record.kind === 'payment' ? 0 : 1;
    const mask = this.slots.length - 1;
    for (let slot = hashOf(record.kind, number) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) return undefined;
      const at = stored - 1;
      if (this.kinds[at] === kindCode && (kindCode === 0 ? this.paymentNos[at] : this.refundNos[at]) === number) return at;
    }
  }

  private place(at: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = at + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let at = 0; at < this.length; at++) {
      const kind: Kind = this.kinds[at] === 0 ? 'payment' : 'refund';
      this.place(at, hashOf(kind, kind === 'payment' ? this.paymentNos[at]! : this.refundNos[at]!));
    }
  }

  record(at: number): LocalRecord {
    const refundNo = this.refundNos[at];
    return {
      kind: this.kinds[at] === 0 ? 'payment' : 'refund',
      paymentNo: this.paymentNos[at]!,
      ...(refundNo !== undefined ? { refundNo } : {}),
      amountFen: this.amounts[at]!,
      feeFen: this.fees[at]!,
    };
  }

  amountOf(at: number): number {
    return this.amounts[at]!;
  }

  feeOf(at: number): number {
    return this.fees[at]!;
  }

  /** Marks the record seen by a row of `rowAmountFen`; false when a row had already matched it. */
  markSeen(at: number, rowAmountFen: number): boolean {
    if (this.seen[at] === 1) return false;
    this.seen[at] = 1;
    this.rowAmounts[at] = rowAmountFen;
    return true;
  }

  firstRowAmountOf(at: number): number {
    return this.rowAmounts[at]!;
  }

  *unseen(): Generator<LocalRecord> {
    for (let at = 0; at < this.length; at++) if (this.seen[at] === 0) yield this.record(at);
  }

  netTotalFen(): number {
    let total = 0;
    for (let at = 0; at < this.length; at++) total += (this.kinds[at] === 0 ? this.amounts[at]! : -this.amounts[at]!) - this.fees[at]!;
    return total;
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const grown = <T extends Uint8Array | Float64Array>(old: T, make: (size: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.kinds = grown(this.kinds, (size) => new Uint8Array(size));
    this.seen = grown(this.seen, (size) => new Uint8Array(size));
    this.amounts = grown(this.amounts, (size) => new Float64Array(size));
    this.fees = grown(this.fees, (size) => new Float64Array(size));
    this.rowAmounts = grown(this.rowAmounts, (size) => new Float64Array(size));
  }
}

function numberOf(record: { readonly kind: Kind; readonly paymentNo: string; readonly refundNo?: string }): string {
  return record.kind === 'payment' ? record.paymentNo : (record.refundNo ?? '');
}
