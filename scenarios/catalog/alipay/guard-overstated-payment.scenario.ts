import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-overstated-payment',
  title: 'A broken core records an order as paid 1.00 more than it costs; the sum-of-parts check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (一致性核对): the amount a trading order was actually paid corresponds to the payment\'s amount, and a consistency check must verify it. This core breaks it, to prove the check and the invariant catch it.',
  channel: 'alipay',
  core: { components: brokenCores.overstatesPaid.components },
  faults: [],
  steps: [
    ...paidOrders({ A: '20.00' }),
    { step: 'advance', by: '5m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '21.00' } }, checks: { paidOrdersMatchPayments: 'fires' }, invariants: { duplicatesChangeNothing: 'breaks' } },
});
