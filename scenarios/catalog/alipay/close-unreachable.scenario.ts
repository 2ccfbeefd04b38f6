import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'close-unreachable',
  title: 'The business closes an order while the channel\'s close and query answer 503 for an hour',
  why:
    'seed 001 (支付产品与业务流程) (取消订单) and seed 002 (订单视角看支付: 清结算与资损防控) (时效核对): an order is closed at the channel before it is closed locally, so a close the channel cannot confirm stays pending and is retried; past its expiry the unclosed order is reported, and it ends closed once the channel answers.',
  channel: 'alipay',
  faults: [
    { match: { api: 'alipay.trade.close' }, fault: { type: 'http_error', status: 503 } },
    { match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 503 } },
  ],
  steps: [
    { step: 'createOrder', order: 'A', amount: '33.00', expireInSec: 300 },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'close', order: 'A', expectCode: 'ORDER_CLOSE_PENDING' },
    { step: 'advance', by: '1h' },
    { step: 'checkpoint', name: 'an-hour-later' },
  ],
  expect: { orders: { A: { status: 'CLOSED', paidAmount: '0.00' } }, checkpoints: { 'an-hour-later': { unpaidOrdersClosedInTime: 'fires' } } },
});
