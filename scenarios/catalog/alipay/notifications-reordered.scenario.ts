import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notifications-reordered',
  title: 'The payment notification is held back until the refund notification has gone out',
  why:
    'Reordering must change nothing (seed 002 (订单视角看支付: 清结算与资损防控), 顺序性核对: no refund before pay): a refund\'s notification that overtakes the payment\'s must not be applied to an unpaid order, and the late payment notification must not undo the refund.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify', notifyKind: 'trade_paid' }, fault: { type: 'reorder' } }],
  steps: [
    ...paidOrders({ A: '60.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refund', order: 'A', refund: 'R1', amount: '20.00' },
    { step: 'advance', by: '15m' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '60.00', refundedAmount: '20.00' } }, refunds: { R1: { status: 'SUCCESS' } } },
});
