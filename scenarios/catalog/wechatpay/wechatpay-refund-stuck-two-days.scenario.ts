import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

// WeChat Pay's side of refund-stuck-two-days: the same attack, but WeChat Pay's bill lists a refund on the
// day it was asked for, with its status then (PROCESSING), and never again once it succeeds.
export default defineScenario({
  name: 'wechatpay-refund-stuck-two-days',
  title: "A refund stays processing for two days: flagged past its SLA, never closed by the core, and WeChat Pay's bill listing it in flight is no mismatch",
  why:
    "seed 000 (支付系统设计: 支付、通知、查询、退款、对账): a refund is an application — the channel's link (a bank) may need approval, so it completes late. " +
    'seed 002 (订单视角看支付: 清结算与资损防控) (时效核对, 两边核对): the refund must be reported once it passes its time limit, the core must never close one ' +
    "in flight, and reconciliation must tell a refund the bill lists as PROCESSING (as ours is) from a difference: the day it was asked for matches, " +
    'and the day it succeeds matches it against that earlier row instead of waiting for a person.',
  channel: 'wechatpay',
  faults: [{ match: { api: 'refund' }, fault: { type: 'refund_stuck', ms: 172_800_000 } }],
  steps: [
    ...paidOrders({ A: '200.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '200.00' },
    { step: 'advance', by: '25h' },
    { step: 'checkpoint', name: 'after-a-day' },
  ],
  expect: {
    orders: { A: { status: 'PAID', refundedAmount: '200.00' } },
    refunds: { R1: { status: 'SUCCESS' } },
    checkpoints: { 'after-a-day': { refundsNotStuck: 'fires', twoWayConsistency: 'holds' } },
    reconciliations: { '2026-01-01': { status: 'MATCHED' }, '2026-01-03': { status: 'MATCHED' } },
  },
});
