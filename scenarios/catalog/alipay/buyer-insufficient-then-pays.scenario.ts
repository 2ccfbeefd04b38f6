import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'buyer-insufficient-then-pays',
  title: 'The buyer\'s balance is short, then the buyer pays after all',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): whether or not the user\'s payment succeeds, the channel tells the merchant; a failed attempt is not the end of the order, which stays payable until it expires (seed 002 (订单视角看支付: 清结算与资损防控), 支付单过期时间).',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'notify_delay', ms: 300_000 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '27.50' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '27.50' } }, businessNotifications: { 'order.paid': 1 } },
});
