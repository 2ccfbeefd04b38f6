import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'expiry-while-close-unreachable',
  title: "An order expires while the channel's close is down; the buyer comes back later and cannot pay",
  why:
    'From seed 001 (支付产品与业务流程) — the pay timeout sent to the channel is derived from the order\'s own expiry, so even when ' +
    'the close call fails the channel stops taking money in time; a fixed timeout lets the buyer pay an expired order.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.close' }, fault: { type: 'http_error', status: 503 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '36.00', expireInSec: 300 },
    { step: 'pay', order: 'A' },
    { step: 'advance', by: '8m' },
    { step: 'buyerPays', order: 'A', expectCode: 'NOT_PAYABLE' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00', automaticRefunds: 0 } }, faultsFire: false },
});
