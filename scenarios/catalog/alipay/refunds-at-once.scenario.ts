import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'refunds-at-once',
  title: 'Two refunds of 60.00 on a 100.00 order arrive at the same moment; one is refused',
  why:
    'From seed 002 (支付系统、清结算与资损防控) — sum of parts: refunds never exceed the paid amount, and the check is made in the same ' +
    'atomic write as the refund, so two requests at once cannot both pass it.',
  channel: 'alipay',
  faults: [],
  steps: [
    ...paidOrders({ A: '100.00' }),
    { step: 'advance', by: '1m' },
    { step: 'refundsAtOnce', order: 'A', refunds: [{ refund: 'R1', amount: '60.00' }, { refund: 'R2', amount: '60.00' }] },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: 'PAID', refundedAmount: '60.00' } }, businessNotifications: { 'refund.succeeded': 1, 'refund.failed': 0 } },
});
