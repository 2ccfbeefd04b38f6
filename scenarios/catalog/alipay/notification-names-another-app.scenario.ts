import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-names-another-app',
  title: 'A validly signed notification for the right order names another app; the core does not take it as its own',
  why:
    "seed 000 (支付系统设计: 支付、通知、查询、退款、对账): after the signature, check the key fields: the app, the seller and the amount. A notification about another merchant's trade is not this payment's word, however well it is signed: it is not acknowledged, it raises an alert, and the core learns the truth by query.",
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'tamper_identity' } }],
  steps: [
    ...paidOrders({ A: '66.60' }),
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '66.60', alerts: ['notify.identityMismatch'] } }, businessNotifications: { 'order.paid': 1 } },
});
