import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-overstated-refund',
  title: 'A broken core adds each refund to the order twice; the refunds-within-paid check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (总分校验): the parts must add up to the whole — the sum of refunds never exceeds the paid amount, and the order\'s refunded amount equals its refunds. This core breaks it, to prove the check and the invariant catch it.',
  channel: 'alipay',
  core: { components: brokenCores.overstatesRefunded.components },
  faults: [],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '60.00' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '120.00' } }, checks: { refundsWithinPaid: 'fires' }, invariants: { refundsWithinPaid: 'breaks' } },
});
