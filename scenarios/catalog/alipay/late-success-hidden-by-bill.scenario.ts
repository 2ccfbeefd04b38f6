import { defineScenario } from '../../define.ts';

// Found by `paysim swarm` (seed 277 of the first 1,000, shrunk from 3 orders and 7 fault rules).
export default defineScenario({
  name: 'late-success-hidden-by-bill',
  title: "A success after close whose every notify is lost, and the day's bill misstates that row: the close check finds the money, the bill goes to a person",
  why:
    'From seed 002 (支付系统、清结算与资损防控) — a success after close must be refunded; when the channel never says so ' +
    '(every notify dropped, the trade closed when the core asked) the core asks again after the close ' +
    '(policy.payment.closedCheckAfterMs), finds the success and refunds it. The bill (seed 000, 对账) then misstates that ' +
    'row: a row that contradicts the channel is left for a person rather than a guess, so reconciliation leaves a MANUAL ' +
    'mismatch and the checks fire, while no money is lost. Before the close check, the core never learnt of this money.',
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
    invariants: { channelSuccessEndsAsOnePaidOrder: 'holds', ledgerMatchesBill: 'breaks' },
  },
});
