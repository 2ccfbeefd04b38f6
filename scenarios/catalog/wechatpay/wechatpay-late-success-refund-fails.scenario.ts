import { defineScenario } from '../../define.ts';

// WeChat Pay's side of late-success-refund-fails: the same attack (a success after close, and the
// automatic refund of it failed by the channel), but the failure is ABNORMAL and visible, so the refund
// ends FAILED at once instead of staying in flight: the core raises an alert and the check names the money kept.
export default defineScenario({
  name: 'wechatpay-late-success-refund-fails',
  title: 'A payment arrives after close and WeChat Pay fails its automatic refund (ABNORMAL): the money kept is flagged at once',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (顺序性核对: no success kept after close unless refunded): a success after close must go back. ' +
    'When WeChat Pay fails the automatic refund (REFUND.ABNORMAL, visible to notify and query), the core records it failed, raises an alert on the ' +
    'order, and noSuccessKeptAfterClose names the money kept, so that a person returns it; the bill lists the refund as ABNORMAL and agrees.',
  channel: 'wechatpay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'late_success', ms: 1000 } }, { match: { api: 'refund' }, fault: { type: 'refund_fail' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '88.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A', outcome: 'insufficient' },
    { step: 'close', order: 'A' },
    { step: 'advance', by: '10m' },
  ],
  expect: {
    orders: { A: { status: 'CLOSED', automaticRefunds: 1, alerts: ['refund.autoFailed'] } },
    checks: { noSuccessKeptAfterClose: 'fires' },
    invariants: { channelSuccessEndsAsOnePaidOrder: 'breaks' },
    reconciliations: { '2026-01-01': { status: 'MATCHED' } },
  },
});
