import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-amount-tampered',
  title: 'A validly signed notification claims the buyer paid 0.01; the core believes the query, not the message',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): verify the notification\'s signature and key fields such as the amount, and do not fully trust the message — query the channel to confirm. A notification whose amount disagrees changes nothing and raises an alert.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'tamper_amount', amount: '0.01' } }],
  steps: [
    ...paidOrders({ A: '99.00' }),
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '99.00' } }, businessNotifications: { 'order.paid': 1 } },
});
