import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

export default defineScenario({
  name: 'bill-amount-mismatch',
  title: 'The bill shows a payment at 1.00 that was 88.80; the difference goes to a person with both sides',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): reconciliation checks that each transaction\'s amount, time and status are all correct; seed 002 (订单视角看支付: 清结算与资损防控) (一致性核对, 总分校验): the amounts along the chain must agree.',
  channel: 'alipay',
  faults: [{ match: { api: 'bill' }, fault: { type: 'bill_amount_mismatch', amount: '1.00' }, timesMax: 1 }],
  steps: [...paidOrders({ A: '88.80', B: '20.00' }), ...throughNextReconciliation],
  expect: {
    orders: { A: { status: 'PAID' }, B: { status: 'PAID' } },
    reconciliations: { '2026-01-01': { status: 'MISMATCHED', counts: { AMOUNT_MISMATCH: 1 } } },
    checks: { twoWayConsistency: 'fires', clearingMatchesBill: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
