import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'query-rate-limited',
  title: 'The channel rate-limits the core\'s queries while notifications are lost',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): active query is the fallback of a lost notification, and seed 002 (订单视角看支付: 清结算与资损防控): retries must not be too frequent, the interval growing each time. A rate-limited query is an unknown outcome, asked again later.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }, { match: { api: 'alipay.trade.query' }, fault: { type: 'rate_limit' }, timesMax: 3 }],
  steps: [
    ...paidOrders({ A: '58.00' }),
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '58.00' } } },
});
