import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'notification-an-hour-late',
  title: 'Every notification attempt goes out an hour late; the query gets there first',
  why:
    'Notifications are asynchronous and their delay is not under the merchant\'s control (seed 001 (支付产品与业务流程), 异步通知). The core must not wait for one: seed 000 (支付系统设计: 支付、通知、查询、退款、对账) — query the channel; when the late notification does arrive it must change nothing.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'notify_delay', ms: 3_600_000 } }],
  steps: [
    ...paidOrders({ A: '35.00' }),
    { step: 'advance', by: '2h' },
  ],
  expect: { orders: { A: { status: 'PAID', paidAmount: '35.00' } }, businessNotifications: { 'order.paid': 1 } },
});
