import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refund-fails-silently',
  title: 'The channel accepts a refund, then fails it without a word; the core keeps it in flight and flags it for a person',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): a refund is an application that the channel completes later, possibly not at all; ' +
    'Alipay reports a failure only to the caller and its query shows no refund_status. seed 002 (订单视角看支付: 清结算与资损防控, 时效核对): ' +
    'the core must never close a refund in flight on a guess (that could pay it twice) and must flag it past its SLA; the refunded ' +
    'amount stays reserved, so a second refund is refused.',
  channel: 'alipay',
  faults: [{ match: { api: 'refund' }, fault: { type: 'refund_fail' }, timesMax: 1 }],
  steps: [
    ...paidOrders({ A: '90.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '90.00' },
    { step: 'advance', by: '10m' },
    { step: 'refund', order: 'A', refund: 'R2', amount: '90.00', expectCode: 'REFUND_EXCEEDS_PAID' },
  ],
  expect: {
    orders: { A: { status: 'PAID', paidAmount: '90.00', refundedAmount: '0.00' } },
    refunds: { R1: { status: 'PROCESSING' } },
    checks: { refundsNotStuck: 'fires' },
    invariants: { everyOrderTerminal: 'breaks', quiesced: 'breaks' },
  },
});
