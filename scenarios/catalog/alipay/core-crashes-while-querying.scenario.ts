import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'core-crashes-while-querying',
  title: 'No notification comes; the core dies while it books what its own query found, and the restarted core queries again',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): without a notification the merchant queries the channel on a schedule. That schedule is the core\'s own work, kept in its records: a process that dies as it books a query\'s answer must, once restarted, take the query up again from what is on disk, and book the payment once.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' }, timesMax: 4 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '12.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'coreCrashes', during: { step: 'advance', by: '10m' } },
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '12.00', payments: 1 } }, businessNotifications: { 'order.paid': 1 } },
});
