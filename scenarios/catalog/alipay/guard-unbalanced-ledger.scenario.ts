import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-unbalanced-ledger',
  title: 'A broken core books a one-sided fee adjustment; the ledger checks fire',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (一致性核对): every amount along the chain leaves a record — an order\'s paid amount, the payment, the clearing entry — and they must agree; double entry balances by construction. This core breaks it, to prove the checks and the invariant catch it.',
  channel: 'alipay',
  core: { components: brokenCores.booksUnbalancedEntry.components },
  faults: [],
  steps: [
    ...paidOrders({ A: '50.00' }),
    { step: 'advance', by: '5m' },
  ],
  expect: { orders: { A: { status: 'PAID' } }, checks: { ledgerBalanced: 'fires', ledgerCoversRecords: 'fires' }, invariants: { ledgerBalanced: 'breaks' } },
});
