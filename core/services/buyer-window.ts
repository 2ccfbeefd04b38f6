// The buyers' recent payment attempts, for the velocity risk rules: an in-memory index over the stored
// `buyer-payments` records, built on first use and kept only as far back as the widest rule looks.
import type { RiskRule } from '../domain/index.ts';
import { collections, type BuyerPayment, type Records } from './records.ts';

export class BuyerWindow {
  private index: Map<string, BuyerPayment[]> | undefined;
  private readonly windowMs: number;

  constructor(
    private readonly records: Records,
    rules: readonly RiskRule[],
  ) {
    this.windowMs = Math.max(0, ...rules.map((rule) => (rule.kind === 'velocity' ? rule.windowMs : 0)));
  }

  recent(buyerKey: string | undefined, nowMs: number): BuyerPayment[] {
    if (buyerKey === undefined || this.windowMs === 0) return [];
    const entries = (this.load().get(buyerKey) ?? []).filter((entry) => entry.atMs > nowMs - this.windowMs);
    this.load().set(buyerKey, entries);
    return entries;
  }

  add(entry: BuyerPayment): void {
    if (this.windowMs === 0) return;
    this.push(this.load(), entry);
  }

  private load(): Map<string, BuyerPayment[]> {
    if (this.index) return this.index;
    this.index = new Map();
    for (const entry of this.records.all<BuyerPayment>(collections.buyerPayments)) this.push(this.index, entry);
    return this.index;
  }

  private push(index: Map<string, BuyerPayment[]>, entry: BuyerPayment): void {
    const entries = index.get(entry.buyerKey);
    if (entries) entries.push(entry);
    else index.set(entry.buyerKey, [entry]);
  }
}
