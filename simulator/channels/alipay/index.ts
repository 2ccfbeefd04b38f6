// The Alipay dialect: plugs its notification rules and identifier shapes into the engine and returns
// its routes and its cashier return behaviour. Adding a channel means adding a folder like this one.
import type { Router } from 'express';
import type { CashierReturn } from '../../cashier/routes.ts';
import type { ChannelDialect } from '../../engine/context.ts';
import type { Engine } from '../../engine/engine.ts';
import { defaultAlipayConfig, type AlipayConfig } from './config.ts';
import { alipayNotifyId, alipayTradeNo } from './ids.ts';
import { alipayNotificationDialect, returnParameters } from './notify.ts';
import { alipayMethods, alipayRoutes } from './routes.ts';
import { registerKnownApis } from '../../faults/known-apis.ts';

registerKnownApis('alipay', ['POST /gateway.do', 'GET /gateway.do', ...Object.keys(alipayMethods).flatMap((method) => [method, `${method.startsWith('alipay.data.') ? 'GET' : 'POST'} /v3/${method.replaceAll('.', '/')}`])]);

export interface AlipayDialect {
  readonly config: AlipayConfig;
  readonly router: Router;
  readonly cashierReturn: CashierReturn;
}

/** What the engine needs from Alipay: its notification rules and its identifier shapes. */
export const alipayChannelDialect: ChannelDialect = {
  ...alipayNotificationDialect,
  tradeNo: alipayTradeNo,
  notificationId: alipayNotifyId,
};

export function installAlipay(engine: Engine, config: Partial<AlipayConfig>, baseUrl: () => string): AlipayDialect {
  const fullConfig: AlipayConfig = { ...defaultAlipayConfig, ...config };
  engine.registerDialect('alipay', alipayChannelDialect);
  const cashierReturn: CashierReturn = {
    async afterPay(trade, app) {
      if (!trade.returnUrl) return undefined;
      const params = await returnParameters(trade, app, engine.clock.now());
      return `${trade.returnUrl}${trade.returnUrl.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
    },
    afterCancel(trade) {
      return trade.quitUrl ?? trade.returnUrl;
    },
  };
  return { config: fullConfig, router: alipayRoutes({ engine, config: fullConfig, baseUrl }), cashierReturn };
}

export { defaultAlipayConfig, type AlipayConfig };
