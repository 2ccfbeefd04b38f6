import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'precreate-response-lost',
  title: 'The channel creates the trade but the answer is lost; a retry of the same order finds it',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等的可重入): a retry after a timeout under the same key must return the result, not a validation error. The channel keeps the same out_trade_no, the core resolves the lost answer by query, and the buyer pays once.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.precreate' }, fault: { type: 'response_lost' }, timesMax: 2 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '31.00' },
    { step: 'pay', order: 'A', expectCode: 'CHANNEL_ERROR' },
    { step: 'advance', by: '2m' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '31.00' } }, businessNotifications: { 'order.paid': 1 } },
});
