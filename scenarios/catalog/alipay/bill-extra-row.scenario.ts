import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'bill-extra-row',
  title: 'The bill has a row we never saw; the channel\'s own query does not confirm it, so a person looks',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (双向一致性核对): two-way consistency finds records the channel has and we do not; seed 000 (支付系统设计: 支付、通知、查询、退款、对账): when a transaction does not match, go to the problem point. Nothing is booked on the bill\'s word alone.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_extra_row' }, timesMax: 1 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '30.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'createOrder', order: 'B', amount: '20.00' },
    { step: 'pay', order: 'B' },
    { step: 'buyerPays', order: 'B' },
    // to 10:00 the next morning, when the core reconciles the day; then an hour for its retries
    { step: 'advance', by: '25h' },
    { step: 'advance', by: '1h' },
  ],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { CHANNEL_ONLY: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
