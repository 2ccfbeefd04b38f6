import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-forged',
  title: 'Every notification is signed with a key the merchant does not trust',
  why:
    'seed 001 (支付产品与业务流程) (验证签名) and seed 000 (支付系统设计: 支付、通知、查询、退款、对账): check the signature first to prevent fraudulent requests. A forged notification is not acknowledged and credits nothing; the real payment is still found by query.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'forge_signature' } }],
  steps: [
    ...paidOrders({ A: '45.60' }),
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '45.60' } } },
});
