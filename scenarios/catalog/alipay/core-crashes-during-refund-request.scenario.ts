import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'core-crashes-during-refund-request',
  title: 'The core dies while a refund request is on its way to disk; the business system, told nothing, asks again',
  why:
    'seed 002 (支付系统、清结算与资损防控): a refund is recorded before it is sent, and the refund number makes a repeat the same refund. A crash before the record is durable must leave nothing half done: no refund at the channel that the core does not know, and the same request sent again gives exactly one refund.',
  channel: 'alipay',
  faults: [],
  steps: [
    ...paidOrders({ A: '50.00' }),
    { step: 'advance', by: '1m' },
    { step: 'coreCrashes', during: { step: 'refund', order: 'A', refund: 'R1', amount: '20.00' } },
    { step: 'refund', order: 'A', refund: 'R1', amount: '20.00' },
    { step: 'advance', by: '1h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '50.00', refundedAmount: '20.00' } }, refunds: { R1: { status: 'SUCCESS' } }, businessNotifications: { 'refund.succeeded': 1 } },
});
