import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-known-only-by-polling',
  title: 'Refund notifications are lost and the refund succeeds only on the third query',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): if there is no asynchronous notification, request the refund result from time to time through a delay queue or a timed script. The core polls with backoff until the channel says it is done.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'drop' } }, { match: { api: 'refund' }, fault: { type: 'refund_after_queries', queries: 3 } }],
  steps: [
    ...paidOrders({ A: '42.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '10.00' },
    { step: 'advance', by: '2h' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '10.00' } }, refunds: { R1: { status: 'SUCCESS' } } },
});
