import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-extra-row',
  title: 'The bill has a row we never saw; the channel\'s own query does not confirm it, so a person looks',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (双向一致性核对): two-way consistency finds records the channel has and we do not; seed 000 (支付系统设计: 支付、通知、查询、退款、对账): when a transaction does not match, go to the problem point. Nothing is booked on the bill\'s word alone.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_extra_row' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '30.00', B: '20.00' }), ...throughNextReconciliation],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { CHANNEL_ONLY: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
