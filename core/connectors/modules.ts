// The core's connectors: one module per channel folder. Adding a channel is one line here.
import { alipayConnector } from './alipay/index.ts';
import type { ConnectorModule } from './module.ts';
import { wechatpayConnector } from './wechatpay/index.ts';

export const connectorModules: readonly ConnectorModule[] = [alipayConnector as ConnectorModule, wechatpayConnector as ConnectorModule];
