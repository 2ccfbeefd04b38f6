import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'bill-missing-row',
  title: 'The day\'s bill leaves out a payment we were paid; it waits, local-only, in the aging pool (bills lag)',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): pull the bill regularly and compare both ways, or finance finds the difference later; seed 002 (订单视角看支付: 清结算与资损防控) (双向一致性核对): a one-way check cannot find a record missing on one side. Bills lag, so a local-only record waits its aging days before a person looks.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_missing_row' }, timesMax: 1 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '25.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'createOrder', order: 'B', amount: '20.00' },
    { step: 'pay', order: 'B' },
    { step: 'buyerPays', order: 'B' },
    // to 10:00 the next morning, when the core reconciles the day; then an hour for its retries
    { step: 'advance', by: '25h' },
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID' }, B: { status: 'PAID' } }, reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { LOCAL_ONLY: 1 } } } },
});
