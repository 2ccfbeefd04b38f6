import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-stuck-two-days',
  title: 'A refund stays processing for two days; it is flagged past its SLA and never closed by the core',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): a refund is an application — the channel\'s link (a bank) may need approval, so it completes late. seed 002 (订单视角看支付: 清结算与资损防控) (时效核对): the refund must be reported once it passes its time limit, and the core must never close one in flight.',
  channel: 'alipay',
  faults: [{ match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 172_800_000 } }],
  steps: [
    ...paidOrders({ A: '200.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '200.00' },
    { step: 'advance', by: '25h' },
    { step: 'checkpoint', name: 'after-a-day' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '200.00' } }, refunds: { R1: { status: 'SUCCESS' } }, checkpoints: { 'after-a-day': { refundsNotStuck: 'fires' } } },
});
