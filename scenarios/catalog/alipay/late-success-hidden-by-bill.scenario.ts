import { defineScenario } from '../../define.ts';

// Found by `paysim swarm` (seed 277 of the first 1,000, shrunk from 3 orders and 7 fault rules).
export default defineScenario({
  name: 'late-success-hidden-by-bill',
  title: "A success after close whose every notify is lost, and the day's bill misstates that row: a person must act",
  why:
    'From seed 002 (支付系统、清结算与资损防控) — a success after close must be refunded; when the channel never says so ' +
    '(every notify dropped, the trade closed when the core asked) the bill is the last evidence (seed 000, 对账), and a bill ' +
    'row that contradicts the channel leaves the money for a person rather than a guess. The invariant breaks, by design, ' +
    'and the core says so: reconciliation leaves a MANUAL mismatch and the checks fire.',
  channel: 'alipay',
  seed: 277,
  faults: [
    { match: { api: 'notify' }, fault: { type: 'drop' } },
    { match: { api: 'notify' }, fault: { type: 'late_success', ms: 942 }, timesMax: 1 },
    { match: { api: 'bill' }, fault: { type: 'bill_status_mismatch' }, timesMax: 1 },
  ],
  steps: [
    { step: 'createOrder', order: 'A', amount: '66.66', expireInSec: 900 },
    { step: 'pay', order: 'A', method: 'alipay.page' },
    { step: 'buyerOpens', order: 'A' },
    { step: 'close', order: 'A' },
    { step: 'advance', by: '26h' },
  ],
  expect: {
    orders: { A: { status: 'CLOSED', paidAmount: '0.00' } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { channelSuccessEndsAsOnePaidOrder: 'breaks', ledgerMatchesBill: 'breaks' },
  },
});
