import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'query-answers-5xx',
  title: 'Notifications are lost and the first queries get HTTP 502; the core keeps asking',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): without a notification, query the channel from time to time through a delay queue or a timed job. seed 002 (订单视角看支付: 清结算与资损防控) (最大努力通知): a failed try is retried at growing intervals until the order reaches a final state.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }, { match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 502 }, timesMax: 4 }],
  steps: [
    ...paidOrders({ A: '77.70' }),
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '77.70' } } },
});
