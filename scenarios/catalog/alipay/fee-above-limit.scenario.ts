import { defineScenario } from '../../define.ts';
import { paidOrders } from '../steps.ts';

export default defineScenario({
  name: 'fee-above-limit',
  title: 'The core is configured with a 35% fee on QR payments; the configuration check fires',
  why:
    'seed 002 (订单视角看支付: 清结算与资损防控) (配置核对): high-risk configuration and amount limits are checked — a split ratio above 30%, a negative commission, a marketing total above its daily cap. A wrong number in config loses money on every payment.',
  channel: 'alipay',
  core: { config: { routing: { 'alipay.qr': { method: 'alipay.qr', channel: 'alipay', enabled: true, feeBasisPoints: 3500, feeRounding: 'halfUp', amountFenMin: 1, amountFenMax: 100_000_000 } } } },
  faults: [],
  steps: [
    ...paidOrders({ A: '10.00' }),
    { step: 'advance', by: '5m' },
  ],
  expect: { orders: { A: { status: 'PAID' } }, checks: { configurationLimits: 'fires' } },
});
