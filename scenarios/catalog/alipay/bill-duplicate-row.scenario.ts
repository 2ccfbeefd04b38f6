import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-duplicate-row',
  title: 'The bill lists one payment twice; the copy is a duplicate, the money counted once',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等性核对): check that nothing was processed twice; a duplicated bill row must not credit or count a payment twice.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_duplicate_row' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '40.00', B: '20.00' }), ...throughNextReconciliation],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { DUPLICATE: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
