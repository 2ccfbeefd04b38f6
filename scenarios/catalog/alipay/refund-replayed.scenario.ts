import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-replayed',
  title: 'The business system retries a refund after a timeout, and once more with another amount',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等的可重入): a full refund of 200 that succeeded and is retried on the same payment number after a timeout must return success, not a validation error; the same key with another amount is a conflict, and the refund happens once.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'refund_succeeded' }, fault: { type: 'duplicate', copies: 3 } }],
  steps: [
    ...paidOrders({ A: '200.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '200.00' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '200.00' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '150.00', expectCode: 'REFUND_CONFLICT' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '200.00' } }, refunds: { R1: { status: 'SUCCESS' } }, businessNotifications: { 'refund.succeeded': 1 } },
});
