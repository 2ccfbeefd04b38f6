// The Alipay dialect: plugs its notification rules into the engine and returns its routes and its
// cashier return behaviour. Adding a channel means adding a folder like this one.
import type { Router } from 'express';
import type { CashierReturn } from '../../cashier/routes.ts';
import type { Engine } from '../../engine/engine.ts';
import { defaultAlipayConfig, type AlipayConfig } from './config.ts';
import { alipayNotificationDialect, returnParameters } from './notify.ts';
import { alipayRoutes } from './routes.ts';

export interface AlipayDialect {
  readonly config: AlipayConfig;
  readonly router: Router;
  readonly cashierReturn: CashierReturn;
}

export function installAlipay(engine: Engine, config: Partial<AlipayConfig>, baseUrl: () => string): AlipayDialect {
  const fullConfig: AlipayConfig = { ...defaultAlipayConfig, ...config };
  engine.registerDialect('alipay', alipayNotificationDialect);
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
