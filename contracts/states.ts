// The provider states of the core ↔ Alipay-channel contracts, each a sentence defined once here and
// named by both sides: consumer tests `given(state.name)`, and the provider verification sets each one
// up through the simulator's public engine API. The numbers a sentence names (out_trade_no,
// out_request_no, amounts) are fields beside it, so the consumer's requests and the provider's setup
// cannot drift from the sentence.

export interface TradeState {
  readonly name: string;
  readonly outTradeNo: string;
  /** Yuan, as on the wire. */
  readonly amount: string;
}

export interface RefundState extends TradeState {
  readonly outRequestNo: string;
  readonly refundAmount: string;
}

/** A paid trade and a refund number that was never asked of it. */
export interface UnknownRefundState extends TradeState {
  readonly outRequestNo: string;
}

export interface BillState {
  readonly name: string;
  /** Beijing date, yyyy-MM-dd. */
  readonly billDate: string;
}

const trade = (outTradeNo: string, amount: string, situation: string): TradeState => ({
  name: `a trade ${outTradeNo} of ${amount} ${situation}`,
  outTradeNo,
  amount,
});

const refund = (outRequestNo: string, refundAmount: string, outTradeNo: string, amount: string, situation: string): RefundState => ({
  name: `refund ${outRequestNo} of ${refundAmount} on paid trade ${outTradeNo} of ${amount} ${situation}`,
  outTradeNo,
  amount,
  outRequestNo,
  refundAmount,
});

const nothing = (outTradeNo: string): TradeState => ({ name: `no trade ${outTradeNo} exists`, outTradeNo, amount: '88.80' });

/** States of the HTTP contract (the v2 gateway and the bill download). */
export const gatewayStates = {
  qrNotCreated: nothing('T-PACT-QR'),
  wapNotCreated: nothing('T-PACT-WAP'),
  missing: nothing('T-PACT-MISSING'),
  /** Precreate is refused: the out_trade_no is taken by a trade of another amount (ACQ.CONTEXT_INCONSISTENT). */
  reusedNumber: trade('T-PACT-REUSED', '66.60', 'awaits payment'),
  createFailing: {
    name: 'no trade T-PACT-QR-BUSY exists, and the channel answers ACQ.SYSTEM_ERROR to its precreate',
    outTradeNo: 'T-PACT-QR-BUSY',
    amount: '88.80',
  } satisfies TradeState,
  waiting: trade('T-PACT-WAITING', '88.80', 'awaits payment'),
  paid: trade('T-PACT-PAID', '88.80', 'is paid'),
  closedUnpaid: trade('T-PACT-CLOSED', '88.80', 'was closed unpaid'),
  fullyRefunded: trade('T-PACT-REFUNDED', '88.80', 'was paid and fully refunded'),
  finished: trade('T-PACT-FINISHED', '88.80', 'was paid and its refund window has ended'),
  refundable: trade('T-PACT-REFUNDABLE', '88.80', 'is paid and nothing is refunded yet'),
  queryFailing: trade('T-PACT-BUSY', '88.80', 'cannot be queried: the channel answers ACQ.SYSTEM_ERROR'),
  refundFailing: trade('T-PACT-REFUND-BUSY', '88.80', 'is paid, and the channel answers ACQ.SYSTEM_ERROR to its refunds'),
  refundUnknown: {
    name: 'a trade T-PACT-REFUND-UNKNOWN of 88.80 is paid, and no refund R-PACT-UNKNOWN was ever asked of it',
    outTradeNo: 'T-PACT-REFUND-UNKNOWN',
    amount: '88.80',
    outRequestNo: 'R-PACT-UNKNOWN',
  } satisfies UnknownRefundState,
  refundSucceeded: refund('R-PACT-DONE', '20.00', 'T-PACT-REFUND-DONE', '88.80', 'has succeeded'),
  refundProcessing: refund('R-PACT-PENDING', '20.00', 'T-PACT-REFUND-PENDING', '88.80', 'is still processing'),
  billReady: { name: 'the trade bill of 2025-12-31 is ready', billDate: '2025-12-31' } satisfies BillState,
  /** The request is signed with a private key whose public half the channel does not have. */
  foreignKey: { name: 'the merchant signs its requests with a key the channel does not know', outTradeNo: 'T-PACT-ANY', amount: '88.80' } satisfies TradeState,
} as const;

/** States of the message contract (asynchronous notifications the channel sends). */
export const notifyStates = {
  paid: trade('T-PACT-NOTIFY-PAID', '88.80', 'is paid by the buyer, with the core\'s notify_url'),
  refunded: refund('R-PACT-NOTIFY', '20.00', 'T-PACT-NOTIFY-REFUND', '88.80', 'succeeds, with the core\'s notify_url'),
  tampered: trade('T-PACT-NOTIFY-TAMPERED', '88.80', 'is paid by the buyer, and a middlebox rewrites its notification to say 0.01'),
  forged: trade('T-PACT-NOTIFY-FORGED', '88.80', 'is paid by the buyer, and its notification is signed with a key that is not the channel\'s'),
} as const;

/** The amount the tampered notification claims. */
export const tamperedAmount = '0.01';

/** Every state sentence; the provider must set up each one. */
export const allStateNames: readonly string[] = [...Object.values(gatewayStates), ...Object.values(notifyStates)].map((state) => state.name);
