import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'sync-return-without-payment',
  title: 'The buyer cancels at the cashier and lands on the return page; the order is not paid',
  why:
    'From seed 000 (支付系统设计: 支付、通知、查询、退款、对账) — the synchronous return only shows the buyer a result; the asynchronous ' +
    'notify, confirmed by query, is the truth. A core that credits on the return pays orders nobody paid.',
  channel: 'alipay',
  faults: [],
  steps: [
    { step: 'createOrder', order: 'A', amount: '58.00', expireInSec: 600 },
    { step: 'pay', order: 'A', method: 'alipay.page' },
    { step: 'buyerOpens', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'cancel' },
    { step: 'buyerReturns', order: 'A' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00' } }, businessNotifications: { 'order.paid': 0 } },
});
