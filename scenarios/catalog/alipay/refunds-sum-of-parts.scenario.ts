import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refunds-sum-of-parts',
  title: 'Three partial refunds, the last one more than is left; refunds never exceed the payment',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (总分校验): the parts add up to at most the whole — every reverse document holds its forward one, refunds link to the original payment, and refunds in flight count against what is left.',
  channel: 'alipay',
  faults: [{ match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 600_000 } }],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '40.00' },
    { step: 'refund', order: 'A', refund: 'R2', amount: '50.00' },
    { step: 'refund', order: 'A', refund: 'R3', amount: '10.01', expectCode: 'REFUND_EXCEEDS_PAID' },
    { step: 'refund', order: 'A', refund: 'R4', amount: '10.00' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '100.00' } }, refunds: { R1: { status: 'SUCCESS' }, R2: { status: 'SUCCESS' }, R4: { status: 'SUCCESS' } } },
});
