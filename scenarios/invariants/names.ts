// The invariants of DESIGN.md that every scenario (and later every swarm run) asserts after the
// faults-off phase. Each is a named result: it holds, or it breaks with a detail saying where.
export const invariantNames = [
  /** Every channel success ends as exactly one paid order, or is refunded in full (late success, second payment). */
  'channelSuccessEndsAsOnePaidOrder',
  /** Nothing is paid without a matching channel record of the same amount. */
  'nothingPaidWithoutChannelRecord',
  /** Refunds sum to at most the paid amount, at the core and at the channel. */
  'refundsWithinPaid',
  /** Every refund the core calls done is done at the channel, for the same amount. */
  'refundsMatchChannel',
  /** Duplicate or reordered notifications change nothing: one credit, one ledger booking, one business message per fact. */
  'duplicatesChangeNothing',
  /** Debits equal credits, in every entry and overall. */
  'ledgerBalanced',
  /** Every reconciled bill day matches the books, or the difference was fixed or is waiting its aging days. */
  'ledgerMatchesBill',
  /** Every order, payment and refund reached a terminal state. */
  'everyOrderTerminal',
  /** Nothing was still scheduled (notifications, queries, expiries, refunds, webhooks) when the checks ran. */
  'quiesced',
  /** What the core acknowledged to the channel was durable: a crash right after loses none of it. */
  'acknowledgedSurvivesCrash',
] as const;

export type InvariantName = (typeof invariantNames)[number];
