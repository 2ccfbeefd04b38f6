import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-duplicate-refund',
  title: 'A broken core stores a refund twice; the duplicate-refund check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等性核对, 重复退款): check that no business was processed twice, such as a repeated refund; the refund\'s unique key is (payment, out_refund_no). This core breaks it, to prove the check catches it.',
  channel: 'alipay',
  core: { components: brokenCores.duplicatesRefund.components },
  faults: [],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '60.00' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '60.00' } }, checks: { noDuplicateRefund: 'fires', refundsWithinPaid: 'fires' } },
});
