import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-system-error',
  title: 'The channel answers ACQ.SYSTEM_ERROR to the first refund call',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (最大努力通知, 幂等): a system error is retried with the same refund number until the refund reaches a final state; seed 000 (支付系统设计: 支付、通知、查询、退款、对账): a refund is an application completed later.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.refund' }, fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' }, timesMax: 1 }],
  steps: [
    ...paidOrders({ A: '50.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '25.00' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '25.00' } } },
});
