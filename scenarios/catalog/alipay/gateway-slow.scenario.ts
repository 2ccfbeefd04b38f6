import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'gateway-slow',
  title: 'Notifications are lost and every query answer is slow (lognormal, median 2 s of channel time)',
  why:
    'seed 001 (支付产品与业务流程) (异步通知): remote calls have uncontrolled latency; the flow must stay correct when every answer is late, not only when it is lost.',
  channel: 'alipay',
  faults: [
    { match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'drop' } },
    { match: { api: 'alipay.trade.query' }, fault: { type: 'delay', distribution: { kind: 'lognormal', medianMs: 2000, sigma: 0.5 } } },
  ],
  steps: [
    ...paidOrders({ A: '64.00' }),
    { step: 'advance', by: '10m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '64.00' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '64.00' } }, refunds: { R1: { status: 'SUCCESS' } } },
});
