import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'every-notification-lost',
  title: 'Every notification is lost; the core finds the payment by active query',
  why:
    'Best-effort notification can fail completely: seed 000 (支付系统设计: 支付、通知、查询、退款、对账) says that without a notification the merchant must query the channel for the order\'s state, and seed 002 (订单视角看支付: 清结算与资损防控) (最大努力通知) says retries are not enough on their own. The core\'s query schedule must credit the order once.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }],
  steps: [
    ...paidOrders({ A: '88.80' }),
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '88.80' } }, businessNotifications: { 'order.paid': 1 } },
});
