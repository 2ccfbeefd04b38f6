import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'guard-double-booking',
  title: 'A broken core books a duplicated notification\'s payment twice; the idempotency check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (幂等性核对): check that no business was processed twice by mistake, such as a repeated refund or credit. This scenario runs a core with that bug, to prove the check and the invariant catch it.',
  channel: 'alipay',
  core: { components: brokenCores.booksPaymentTwice.components },
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'duplicate', copies: 2 } }],
  steps: [
    ...paidOrders({ A: '88.80' }),
    { step: 'advance', by: '5m' },
  ],
  expect: { orders: { A: { status: 'PAID' } }, checks: { noDoubleCredit: 'fires', clearingMatchesBill: 'fires' }, invariants: { duplicatesChangeNothing: 'breaks' } },
});
