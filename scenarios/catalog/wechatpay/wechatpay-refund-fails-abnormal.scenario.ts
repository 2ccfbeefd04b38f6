import { defineScenario } from '../../define.ts';
import { paidOrders, throughNextReconciliation } from '../steps.ts';

// WeChat Pay's side of refund-fails-silently: the same attack (the channel accepts a refund, then fails
// it), but WeChat Pay says so (REFUND.ABNORMAL notification, ABNORMAL on query, 退款状态 ABNORMAL on the bill).
export default defineScenario({
  name: 'wechatpay-refund-fails-abnormal',
  title: 'WeChat Pay accepts a refund, then fails it (ABNORMAL); the core marks it failed, tells the business, and a new refund goes through once',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): a refund is an application that the channel completes later, possibly not at all; ' +
    'WeChat Pay reports the failure (REFUND.ABNORMAL), so the core must record it as failed, release the amount it reserved and tell the ' +
    'business system (refund.failed, resent until acknowledged, then the manual queue), never drop it. seed 002 (订单视角看支付: 清结算与资损防控, ' +
    '总分核对、两边核对): the buyer is refunded exactly once in all, and the bill, which lists the failed refund as ABNORMAL, agrees with the books.',
  channel: 'wechatpay',
  faults: [{ match: { api: 'refund' }, fault: { type: 'refund_fail' }, timesMax: 1 }],
  steps: [
    ...paidOrders({ A: '90.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '90.00' },
    { step: 'advance', by: '10m' },
    { step: 'checkpoint', name: 'after-the-failure' },
    // The business system, told refund.failed, asks again under a new number: the amount is free again.
    { step: 'refund', order: 'A', refund: 'R2', amount: '90.00' },
    { step: 'advance', by: '10m' },
    { step: 'refund', order: 'A', refund: 'R3', amount: '0.01', expectCode: 'REFUND_EXCEEDS_PAID' },
    ...throughNextReconciliation,
  ],
  expect: {
    orders: { A: { status: 'PAID', paidAmount: '90.00', refundedAmount: '90.00' } },
    refunds: { R1: { status: 'FAILED' }, R2: { status: 'SUCCESS' } },
    businessNotifications: { 'refund.failed': 1, 'refund.succeeded': 1 },
    checkpoints: { 'after-the-failure': { refundsNotStuck: 'holds' } },
    reconciliations: { '2026-01-01': { status: 'MATCHED' } },
  },
});
