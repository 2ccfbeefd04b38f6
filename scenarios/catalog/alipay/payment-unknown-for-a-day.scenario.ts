import { defineScenario } from '../../define.ts';

export default defineScenario({
  name: 'payment-unknown-for-a-day',
  title: 'The channel cannot be queried for a day and every notification is lost; the payment is flagged for a person',
  why:
    'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): an unknown outcome is resolved by query, never assumed failed. seed 002 (订单视角看支付: 清结算与资损防控) (时效核对, 人工处理): when the retries are spent and the document is still not final, it is persisted and handed to a person; here the flag is raised while the channel is down, and the reconciliation the next morning (seed 000: pull the bill regularly and compare) cannot confirm the row of the bill either, so it is left for a person too.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }, { match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 504 } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '300.00', expireInSec: 86_400 },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '26h' },
    { step: 'checkpoint', name: 'a-day-later' },
  ],
  expect: {
    orders: { A: { status: 'PAID', paidAmount: '300.00' } },
    checkpoints: { 'a-day-later': { paymentsResolved: 'fires' } },
    // The daily reconciliation ran during the outage: it could not ask the channel about the payment the
    // bill shows, so it left the row for a person, and a rerun is a person's decision.
    checks: { twoWayConsistency: 'fires' },
    invariants: { ledgerMatchesBill: 'breaks' },
  },
});
