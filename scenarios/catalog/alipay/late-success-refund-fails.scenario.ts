import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'late-success-refund-fails',
  title: 'A payment arrives after close and the channel fails its automatic refund without a word: the money is kept and flagged',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (顺序性核对: no success kept after close unless refunded): a success after close must go back. When the channel fails the automatic refund silently (Alipay reports refund failures only to the caller), the refund stays in flight, is flagged past its SLA, and the invariant names the money kept, so that a person returns it.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'late_success', ms: 1000 } }, { match: { api: 'refund' }, fault: { type: 'refund_fail' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '88.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'close', order: 'A' },
    { step: 'advance', by: '10m' },
  ],
  expect: { orders: { A: { status: 'CLOSED' } }, checks: { refundsNotStuck: 'fires' }, invariants: { channelSuccessEndsAsOnePaidOrder: 'breaks', everyOrderTerminal: 'breaks', quiesced: 'breaks' } },
});
