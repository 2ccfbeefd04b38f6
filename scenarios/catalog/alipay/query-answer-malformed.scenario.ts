import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'query-answer-malformed',
  title: 'Query answers come back cut in half; the core treats them as unknown and asks again',
  why:
    'seed 001 (支付产品与业务流程) (验证签名) and seed 000 (支付系统设计: 支付、通知、查询、退款、对账): the merchant trusts only a complete, verified answer. A truncated body is not a "not paid"; the payment stays open until a readable answer arrives.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }, { match: { api: 'alipay.trade.query' }, fault: { type: 'malformed_body' }, timesMax: 3 }],
  steps: [
    ...paidOrders({ A: '12.34' }),
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '12.34' } } },
});
