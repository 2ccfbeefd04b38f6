import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-before-queryable',
  title: 'The success notification arrives while the query still says WAIT_BUYER_PAY',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): the merchant confirms a notification by query before it moves the order. When the channel\'s query lags its notification, the core must neither credit on the message alone nor drop it: it retries until the query agrees.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'early_notify', ms: 120_000 } }],
  steps: [
    ...paidOrders({ A: '18.00' }),
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '18.00' } }, businessNotifications: { 'order.paid': 1 } },
});
