import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'buyer-abandons',
  title: 'The buyer walks away at the cashier; the order expires and is closed in time',
  why:
    'Timeliness (时效核对, seed 002 (订单视角看支付: 清结算与资损防控)): an unpaid payment must be closed on time after it expires. The core closes at the channel first and tells the business system the order is closed.',
  channel: 'alipay',
  faults: [{ match: { api: 'buyer' }, fault: { type: 'abandon' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '23.00', expireInSec: 600 },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00' } }, businessNotifications: { 'order.closed': 1 } },
});
