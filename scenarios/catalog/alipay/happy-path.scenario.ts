import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'happy-path',
  title: 'A buyer pays an order; the notification arrives once and is acknowledged',
  why:
    'The baseline every other scenario departs from: seed 000 (支付系统设计: 支付、通知、查询、退款、对账) — the channel notifies the ' +
    'merchant asynchronously, the merchant verifies the signature and amount, confirms by query, and only then answers success; ' +
    'seed 001 (支付产品与业务流程) — update the order, then send the message to the business system.',
  channel: 'alipay',
  faults: [],
  steps: [
    ...paidOrders({ A: '88.80' }),
    { step: 'advance', by: '1m' },
  ],
  expect: {
    orders: { A: { status: 'PAID', paidAmount: '88.80', payments: 1 } },
    businessNotifications: { 'order.paid': 1 },
  },
});
