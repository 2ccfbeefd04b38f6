// Bill faults change a day's bill file, not one download of it: the decision is taken the first time
// the day's file is built and kept, so every download of that day shows the same discrepancy, as a
// real channel's bill would.
import type { Random } from '../../lib/random.ts';
import type { ChannelName } from '../engine/types.ts';
import type { FaultBook } from './book.ts';
import type { Fault } from './rule.ts';

/** The row facts a bill fault needs, whatever the channel's format. */
export interface BillRowFacts {
  readonly outTradeNo: string;
  readonly outRequestNo?: string;
  readonly amountFen: number;
  readonly subject: string;
}

export interface BillFaultPlan {
  /** Faults for each row, by index into the day's rows. */
  readonly rowFaults: ReadonlyMap<number, readonly Fault[]>;
  readonly extraRow: boolean;
  readonly corrupt: boolean;
}

const rowFaultTypes = ['bill_missing_row', 'bill_amount_mismatch', 'bill_status_mismatch', 'bill_duplicate_row'] as const;

export class BillFaults {
  private readonly plans = new Map<string, BillFaultPlan>();

  constructor(private readonly book: FaultBook) {
    // A reset forgets the trades a day's plan was decided for; the next bill is decided afresh.
  }

  /** Whether the day's bill is "not ready" for this query (asked on every query). */
  notReady(channel: ChannelName, apis: readonly string[]): boolean {
    return this.book.fire({ layer: 'bill', channel, apis: ['bill', ...apis], faultTypes: ['bill_not_ready'] }).length > 0;
  }

  /** The day's faults, decided once per (channel, account, day). */
  plan(channel: ChannelName, account: string, billDate: string, rows: readonly BillRowFacts[]): BillFaultPlan {
    const key = `${channel}|${account}|${billDate}`;
    const known = this.plans.get(key);
    if (known) return known;
    const rowFaults = new Map<number, Fault[]>();
    rows.forEach((row, index) => {
      const firings = this.book.fire({
        layer: 'bill', channel, apis: ['bill'], outTradeNo: row.outTradeNo, amountFen: row.amountFen, subject: row.subject,
        ...(row.outRequestNo ? { outRequestNo: row.outRequestNo } : {}), faultTypes: rowFaultTypes,
      });
      if (firings.length > 0) rowFaults.set(index, firings.map((firing) => firing.fault));
    });
    const fileFaults = this.book.fire({ layer: 'bill', channel, apis: ['bill'], faultTypes: ['bill_extra_row', 'bill_corrupt'] }).map((firing) => firing.fault.type);
    const plan: BillFaultPlan = { rowFaults, extraRow: fileFaults.includes('bill_extra_row'), corrupt: fileFaults.includes('bill_corrupt') };
    this.plans.set(key, plan);
    return plan;
  }

  clear(): void {
    this.plans.clear();
  }
}

/** Spoils a zip so that no reader can open it: the central directory is cut off and bytes are flipped. */
export function corruptFile(file: Buffer, random: Random): Buffer {
  const cut = Buffer.from(file.subarray(0, Math.max(8, Math.floor(file.length * 0.6))));
  for (let index = 0; index < 8; index++) {
    const at = random.int(4, cut.length - 1);
    cut[at] = cut[at]! ^ 0xff;
  }
  return cut;
}
