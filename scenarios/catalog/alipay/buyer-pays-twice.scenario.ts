import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'buyer-pays-twice',
  title: 'The buyer opens two checkouts for one order and (a QR code and a web page) and both are paid; one is refunded',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (重复支付退款): the order number with its PaymentNo is the unique key of repeat-payment checks; an order is credited by exactly one payment and the other payment is refunded automatically.',
  channel: 'alipay',
  faults: [{ match: { api: 'buyer' }, fault: { type: 'pay_twice' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '52.00' },
    { step: 'pay', order: 'A', method: 'alipay.qr', payment: 'A-qr' },
    { step: 'pay', order: 'A', method: 'alipay.page', payment: 'A-page' },
    { step: 'buyerOpens', order: 'A', payment: 'A-page' },
    { step: 'buyerPays', order: 'A', payment: 'A-qr' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '52.00', payments: 2, automaticRefunds: 1 } }, businessNotifications: { 'order.paid': 1 } },
});
