import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-missing-row',
  title: 'The day\'s bill leaves out a payment we were paid; it waits, local-only, in the aging pool (bills lag)',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): pull the bill regularly and compare both ways, or finance finds the difference later; seed 002 (订单视角看支付: 清结算与资损防控) (双向一致性核对): a one-way check cannot find a record missing on one side. Bills lag, so a local-only record waits its aging days before a person looks.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_missing_row' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '25.00', B: '20.00' }), ...throughNextReconciliation],
  expect: { orders: { A: { status: 'PAID' }, B: { status: 'PAID' } }, reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { LOCAL_ONLY: 1 } } } },
});
