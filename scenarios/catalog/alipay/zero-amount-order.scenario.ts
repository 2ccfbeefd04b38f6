import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'zero-amount-order',
  title: 'A 0.00 order is paid at once and never reaches the channel',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控): the channel\'s smallest amount is 0.01, so a 0-amount order must not create a pre-payment; the right way is to create the merchant order and update its status directly, without faking a payment callback.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.precreate' }, fault: { type: 'http_error', status: 500 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '0.00' },
    { step: 'pay', order: 'A', expectCode: 'ORDER_NOT_PAYABLE' },
    { step: 'advance', by: '1m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '0.00', payments: 0 } }, faultsFire: false },
});
