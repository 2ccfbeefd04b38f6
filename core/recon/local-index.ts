// The day's local records, indexed by the key a bill row carries. Held as columns (typed arrays and
// one map from key to position) rather than an object per record, so a day of a million records costs
// tens of megabytes, not hundreds.
import { recordKey, type LocalRecord } from './types.ts';

export class LocalIndex {
  private readonly positions = new Map<string, number>();
  private readonly paymentNos: string[] = [];
  private readonly refundNos: (string | undefined)[] = [];
  private kinds: Uint8Array;
  private amounts: Float64Array;
  private fees: Float64Array;
  private times: Float64Array;
  /** 0: not seen in the bill yet; 1: matched by a row. */
  private seen: Uint8Array;
  /** The amount of the first row that matched, to tell a duplicate from a second, different row. */
  private rowAmounts: Float64Array;
  private length = 0;

  constructor(capacity = 1024) {
    this.kinds = new Uint8Array(capacity);
    this.amounts = new Float64Array(capacity);
    this.fees = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
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
    const key = recordKey(record);
    if (this.positions.has(key)) throw new Error(`bug: two local records under ${key}`);
    if (this.length === this.kinds.length) this.grow();
    const at = this.length++;
    this.positions.set(key, at);
    this.paymentNos.push(record.paymentNo);
    this.refundNos.push(record.refundNo);
    this.kinds[at] = record.kind === 'payment' ? 0 : 1;
    this.amounts[at] = record.amountFen;
    this.fees[at] = record.feeFen;
    this.times[at] = record.atMs;
  }

  positionOf(key: string): number | undefined {
    return this.positions.get(key);
  }

  record(at: number): LocalRecord {
    const refundNo = this.refundNos[at];
    return {
      kind: this.kinds[at] === 0 ? 'payment' : 'refund',
      paymentNo: this.paymentNos[at]!,
      ...(refundNo !== undefined ? { refundNo } : {}),
      amountFen: this.amounts[at]!,
      feeFen: this.fees[at]!,
      atMs: this.times[at]!,
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
    this.times = grown(this.times, (size) => new Float64Array(size));
    this.rowAmounts = grown(this.rowAmounts, (size) => new Float64Array(size));
  }
}
