import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-not-ready',
  title: 'The bill is not ready at 10:00; the core tries again later and the day matches',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): the bill is pulled regularly, and seed 002 (订单视角看支付: 清结算与资损防控) (离线核对, T+1): an offline check comes late by nature; a bill that is not there yet is retried, not skipped.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_not_ready' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '50.00', B: '20.00' }), ...throughNextReconciliation],
  expect: { orders: { A: { status: 'PAID' }, B: { status: 'PAID' } }, reconciliations: { '2026-01-01': { status: 'MATCHED' } } },
});
