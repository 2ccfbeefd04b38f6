import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-refund-before-pay',
  title: 'A broken core rewrites a payment\'s time to after its refund; the sequence check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (顺序性核对): a business flow runs in order, so check that no step is missing or out of order; every reverse document must hold its forward one — no refund before the payment it returns. This core breaks it, to prove the check catches it.',
  channel: 'alipay',
  core: { components: brokenCores.refundBeforePay.components },
  faults: [],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '60.00' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '60.00' } }, checks: { noRefundBeforePay: 'fires' } },
});
