import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'bill-duplicate-row',
  title: 'The bill lists one payment twice; the copy is a duplicate, the money counted once',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等性核对): check that nothing was processed twice; a duplicated bill row must not credit or count a payment twice.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_duplicate_row' }, timesMax: 1 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '40.00' },
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
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { DUPLICATE: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
