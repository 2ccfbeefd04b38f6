import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'buyer-pays-after-merchant-close',
  title: 'The business closes an order while the buyer is still on the cashier; the buyer cannot pay it',
  why:
    'From seed 001 (支付产品与业务流程) — an order is closed at the channel before it is closed locally, so a trade the core calls ' +
    'closed cannot take money; a core that closes locally first must refund what the buyer then pays.',
  channel: 'alipay',
  faults: [],
  steps: [
    { step: 'createOrder', order: 'A', amount: '41.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerOpens', order: 'A' },
    { step: 'close', order: 'A' },
    { step: 'buyerPays', order: 'A', expectCode: 'NOT_PAYABLE' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00', automaticRefunds: 0 } }, businessNotifications: { 'order.closed': 1 } },
});
