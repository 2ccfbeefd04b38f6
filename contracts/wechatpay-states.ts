// The provider states of the core ↔ WeChat Pay contracts, each a sentence defined once here and named by
// both sides: consumer tests `given(state.name)`, and the provider verification sets each one up through
// the simulator's public engine API. The numbers a sentence names (out_trade_no, out_refund_no, amounts
// in fen as on this wire) are fields beside it, so requests and set-up cannot drift from the sentence.

export interface WechatTradeState {
  readonly name: string;
  readonly outTradeNo: string;
  readonly totalFen: number;
}

export interface WechatRefundState extends WechatTradeState {
  readonly outRefundNo: string;
  readonly refundFen: number;
}

export interface WechatBillState {
  readonly name: string;
  readonly billDate: string;
}

const trade = (outTradeNo: string, totalFen: number, situation: string): WechatTradeState => ({ name: `a WeChat Pay order ${outTradeNo} of ${totalFen} fen ${situation}`, outTradeNo, totalFen });
const nothing = (outTradeNo: string): WechatTradeState => ({ name: `no WeChat Pay order ${outTradeNo} exists`, outTradeNo, totalFen: 8880 });
const refund = (outRefundNo: string, refundFen: number, outTradeNo: string, totalFen: number, situation: string): WechatRefundState => ({
  name: `WeChat Pay refund ${outRefundNo} of ${refundFen} fen on paid order ${outTradeNo} of ${totalFen} fen ${situation}`,
  outTradeNo,
  totalFen,
  outRefundNo,
  refundFen,
});

/** States of the HTTP contract (API v3 and the bill download). */
export const wechatApiStates = {
  nativeNotCreated: nothing('W-PACT-NATIVE'),
  h5NotCreated: nothing('W-PACT-H5'),
  missing: nothing('W-PACT-MISSING'),
  waiting: trade('W-PACT-WAITING', 8880, 'awaits payment'),
  paid: trade('W-PACT-PAID', 8880, 'is paid'),
  closedUnpaid: trade('W-PACT-CLOSED', 8880, 'was closed unpaid'),
  partlyRefunded: trade('W-PACT-REFUNDED', 8880, 'was paid and 2000 fen of it refunded'),
  refundable: trade('W-PACT-REFUNDABLE', 8880, 'is paid and nothing is refunded yet'),
  queryFailing: trade('W-PACT-BUSY', 8880, 'cannot be queried: the channel answers SYSTEM_ERROR'),
  refundFailing: trade('W-PACT-REFUND-BUSY', 8880, 'is paid, and the channel answers SYSTEM_ERROR to its refunds'),
  refundSucceeded: refund('WR-PACT-DONE', 2000, 'W-PACT-REFUND-DONE', 8880, 'has succeeded'),
  refundProcessing: refund('WR-PACT-PENDING', 2000, 'W-PACT-REFUND-PENDING', 8880, 'is still processing'),
  refundUnknown: { ...trade('W-PACT-REFUND-UNKNOWN', 8880, 'is paid, and no refund WR-PACT-UNKNOWN was ever asked of it'), outRefundNo: 'WR-PACT-UNKNOWN', refundFen: 0 } satisfies WechatRefundState,
  billReady: { name: 'the WeChat Pay trade bill of 2025-12-31 is ready', billDate: '2025-12-31' } satisfies WechatBillState,
} as const;

/** States of the message contract (the notifications the channel sends). */
export const wechatNotifyStates = {
  paid: trade('W-PACT-NOTIFY-PAID', 8880, "is paid by the buyer, with the core's notify_url"),
  refunded: refund('WR-PACT-NOTIFY', 2000, 'W-PACT-NOTIFY-REFUND', 8880, "succeeds, with the core's notify_url"),
  tampered: trade('W-PACT-NOTIFY-TAMPERED', 8880, 'is paid by the buyer, and its notification is rewritten to say 1 fen, validly signed'),
  forged: trade('W-PACT-NOTIFY-FORGED', 8880, "is paid by the buyer, and its notification is signed with a key that is not WeChat Pay's"),
} as const;

/** The amount the tampered notification claims. */
export const wechatTamperedFen = 1;

export const allWechatStateNames: readonly string[] = [...Object.values(wechatApiStates), ...Object.values(wechatNotifyStates)].map((state) => state.name);
