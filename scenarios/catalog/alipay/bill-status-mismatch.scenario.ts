import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-status-mismatch',
  title: 'The bill shows a payment as a refund; the status mismatch goes to a person',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): compare each transaction\'s status with the bill; seed 002 (订单视角看支付: 清结算与资损防控) (顺序性核对): a reverse document without its forward one is a broken sequence.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_status_mismatch' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '30.00', B: '20.00' }), ...throughNextReconciliation],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { STATUS_MISMATCH: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
