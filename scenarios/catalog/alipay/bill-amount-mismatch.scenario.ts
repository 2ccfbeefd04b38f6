import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'bill-amount-mismatch',
  title: 'The bill shows a payment at 1.00 that was 88.80; the difference goes to a person with both sides',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): reconciliation checks that each transaction\'s amount, time and status are all correct; seed 002 (订单视角看支付: 清结算与资损防控) (一致性核对, 总分校验): the amounts along the chain must agree.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_amount_mismatch', amount: '1.00' }, timesMax: 1 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '88.80' },
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
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { AMOUNT_MISMATCH: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
