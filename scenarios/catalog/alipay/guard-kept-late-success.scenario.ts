import { brokenCores } from '../../broken/corrupting-notifier.ts';
import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'guard-kept-late-success',
  title: 'A broken core marks the automatic refund of a late success as failed; the kept-money check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控): when a payment succeeds after the order was cancelled, the order system does not ship, so the money must go back; the sequence check (顺序性核对) must flag any success kept after close. This core breaks it, to prove the check catches it.',
  channel: 'alipay',
  core: { components: brokenCores.keepsLateSuccess.components },
  faults: [{ match: { api: 'notify' }, fault: { type: 'late_success', ms: 1000 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '75.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'close', order: 'A' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'CLOSED' } }, checks: { noSuccessKeptAfterClose: 'fires', ledgerCoversRecords: 'fires', twoWayConsistency: 'fires' },
    invariants: { channelSuccessEndsAsOnePaidOrder: 'breaks', refundsMatchChannel: 'breaks', ledgerMatchesBill: 'breaks' }, },
});
