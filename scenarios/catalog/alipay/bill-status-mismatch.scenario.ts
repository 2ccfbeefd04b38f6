import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'bill-status-mismatch',
  title: 'The bill shows a payment as a refund; the status mismatch goes to a person',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): compare each transaction\'s status with the bill; seed 002 (订单视角看支付: 清结算与资损防控) (顺序性核对): a reverse document without its forward one is a broken sequence.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_status_mismatch' }, timesMax: 1 }],
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
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { STATUS_MISMATCH: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
