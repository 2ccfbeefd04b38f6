import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'reconciled-day-with-refunds',
  title: 'A day of payments, refunds and a lost notification reconciles clean the next morning',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): only after reconciliation is the transaction complete; seed 002 (订单视角看支付: 清结算与资损防控) (清结算, 一致性核对): the ledger\'s clearing account must equal the bill\'s net, fees included, refunds returning their fee pro rata.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'drop' } }],
  steps: [
    ...paidOrders({ A: '100.00' }),
    ...paidOrders({ B: '20.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '30.00' },
    { step: 'refund', order: 'B', refund: 'R2', amount: '20.00' },
    // to 10:00 the next morning, when the core reconciles the day; then an hour for its retries
    { step: 'advance', by: '25h' },
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '30.00' }, B: { status: 'PAID', refundedAmount: '20.00' } }, reconciliations: { '2026-01-01': { status: 'MATCHED' } } },
});
