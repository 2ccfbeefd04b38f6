import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-connection-reset',
  title: 'The refund call\'s connection is reset twice; the refund is sent again under the same number',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等的可重入): a refund retried after a failure under the same key must be the same refund — the channel refunds once, and the refunds never exceed the paid amount (总分校验).',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.refund' }, fault: { type: 'reset' }, timesMax: 2 }],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '30.00' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '30.00' } } },
});
