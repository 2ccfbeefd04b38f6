import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-answer-bad-signature',
  title: 'The refund is accepted but its answer does not verify',
  why:
    'seed 001 (支付产品与业务流程) (验证签名): an answer whose signature does not verify is not believed. The refund is an application (seed 000 (支付系统设计: 支付、通知、查询、退款、对账), 退款申请): its outcome is learnt later by notification or query, and it is never sent twice under different numbers.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.refund' }, fault: { type: 'bad_signature' }, timesMax: 1 }],
  steps: [
    ...paidOrders({ A: '80.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '80.00' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '80.00' } } },
});
