// Until reconciliation's normalised bill rows are on main, their shape is declared here (the same as
// core/connectors/channel.ts will have it).
export interface BillRow {
  readonly kind: 'payment' | 'refund';
  readonly paymentNo: string;
  readonly refundNo?: string;
  readonly channelTradeNo: string;
  readonly amountFen: number;
  readonly feeFen: number;
  readonly atMs: number;
}

export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
}
