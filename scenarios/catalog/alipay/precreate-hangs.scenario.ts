import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'precreate-hangs',
  title: 'Creating the QR code times out; the core records the outcome as unknown and never assumes it failed',
  why:
    'seed 001 (支付产品与业务流程) (调用渠道服务, 异步通知): a remote call\'s latency is not under our control, and a timeout is an unknown outcome, not a failure. The payment is stored before the call (seed 001 (支付产品与业务流程), 生成交易订单), resolved by query, and the order still ends terminal.',
  channel: 'alipay',
  faults: [{ match: { api: 'alipay.trade.precreate' }, fault: { type: 'hang' }, timesMax: 2 }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '40.00', expireInSec: 900 },
    { step: 'pay', order: 'A', expectCode: 'CHANNEL_ERROR' },
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'CLOSED' } } },
});
