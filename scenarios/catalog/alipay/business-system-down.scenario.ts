import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'business-system-down',
  title: 'The business system\'s webhook is down for a day; the message waits in the manual queue and is resent',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (最大努力通知): retry at growing intervals, and when the retries are spent persist the message and hand it to a person. seed 001 (支付产品与业务流程) (发送消息): the business system must learn of every order change — nothing is exhausted silently.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'duplicate', copies: 1 } }],
  steps: [
    { step: 'businessSystem', answers: 'down' },
    ...paidOrders({ A: '150.00' }),
    { step: 'advance', by: '26h' },
    { step: 'checkpoint', name: 'retries-spent' },
    { step: 'businessSystem', answers: 'success' },
    { step: 'resendManualQueue' },
    { step: 'advance', by: '1m' },
  ],
  expect: { orders: { A: { status: 'PAID' } }, businessNotifications: { 'order.paid': 1 }, checkpoints: { 'retries-spent': { notificationsDelivered: 'fires' } } },
});
