import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'pay-after-expiry',
  title: 'The order expires, yet the buyer still pays at the channel; the money goes back',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控): the payment\'s expiry must follow the order\'s, or a buyer can pay an order the business has already cancelled. When a channel takes the money anyway, the success after close is refunded automatically.',
  channel: 'alipay',
  faults: [{ match: { api: 'buyer' }, fault: { type: 'pay_after_expiry' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '66.00', expireInSec: 300 },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'cancel' },
    { step: 'advance', by: '10m' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00', automaticRefunds: 1 } } },
});
