import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-ten-copies-at-once',
  title: 'The payment notification arrives ten times at the same instant; the order is credited once',
  why:
    'Idempotency (幂等) by unique key, seed 002 (订单视角看支付: 清结算与资损防控): a notification may be delivered many times, even concurrently; the payment is updated only from a non-terminal state, so one credit, one ledger booking and one business message.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'duplicate', copies: 9 } }],
  steps: [
    ...paidOrders({ A: '120.00' }),
    { step: 'advance', by: '5m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '120.00' } }, businessNotifications: { 'order.paid': 1 } },
});
