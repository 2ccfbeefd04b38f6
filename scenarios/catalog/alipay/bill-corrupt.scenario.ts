import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-corrupt',
  title: 'The day\'s bill file is corrupt; every run fails with its reason and the day is left for a person',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): only after reconciliation is a transaction complete; a bill that cannot be read proves nothing, so the day stays unreconciled and is reported (seed 002, 核对 and 监控预警), never taken as matched. The channel serves the same file for the day every time, so the retries fail too and a person must ask for a new one.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_corrupt' } }],
  steps: [...paidOrders({ A: '60.00', B: '20.00' }), ...throughNextReconciliation],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'FAILED' } },
    checks: { twoWayConsistency: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
