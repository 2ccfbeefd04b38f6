import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'core-crashes-as-notification-arrives',
  title: "The core's process dies while it handles the paid notification; what it acknowledged must survive",
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): the asynchronous notification is answered with the agreed value only after the core has checked it and made the payment complete in its own records. An acknowledgement stops the channel resending for good, so a core that answers before its write is durable and then dies has lost a payment that only a query can still find. Here the disk stalls as the notification arrives and the process dies before the write lands: the reference core has not acknowledged, so the channel resends and the restarted core books it once.',
  channel: 'alipay',
  faults: [],
  steps: [
    { step: 'createOrder', order: 'A', amount: '88.00' },
    { step: 'pay', order: 'A' },
    { step: 'coreCrashes', during: { step: 'buyerPays', order: 'A' } },
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '88.00', payments: 1 } }, businessNotifications: { 'order.paid': 1 } },
});
