import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'late-success-after-close',
  title: 'The business closes an order, yet the channel pays it a second later; the money goes back',
  why:
    'Close at the channel first, then locally (seed 001 (支付产品与业务流程), 取消订单), and a success that still arrives after close is refunded automatically (seed 002 (订单视角看支付: 清结算与资损防控): 订单已取消, 系统不会进行后续发货). The order stays CLOSED and nothing is kept.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'late_success', ms: 1000 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '75.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'close', order: 'A' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00', automaticRefunds: 1 } }, businessNotifications: { 'payment.refunded_after_close': 1 } },
});
