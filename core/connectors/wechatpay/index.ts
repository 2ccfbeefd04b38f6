// The core's WeChat Pay connector module: the Channel interface on top of the official
// wechatpay-axios-plugin (API v3, every answer's signature verified), the pay methods it serves
// (wechatpay.native, wechatpay.h5), and its options. It never imports the simulator: the two sides
// implement the protocol independently.
import { defaultRoutingTable } from '../../domain/routing.ts';
import type { Channel, NotifyVerdict, NotifyWireReply } from '../channel.ts';
import { lazyChannel } from '../lazy.ts';
import type { ConnectorModule } from '../module.ts';
import { wechatpayMethods } from './methods.ts';
import { resolveOptions, type ResolvedOptions, type WechatpayConnectorOptions } from './options.ts';
import { textField } from './wire.ts';

export type { WechatpayConnectorOptions } from './options.ts';
export { WechatpayRequestRefusedError } from './errors.ts';
export { readWechatpayBill } from './bill-rows.ts';

/**
 * WeChat Pay takes HTTP 200 or 204 as the acknowledgement (no body needed); anything else, with a JSON
 * {code, message}, is a failure it resends on its schedule (docs/wechatpay-protocol.md §8.2).
 */
const notifyReplies: Record<NotifyVerdict, NotifyWireReply> = {
  acknowledged: { status: 204, body: '', contentType: 'application/json; charset=utf-8' },
  rejected: { status: 400, body: JSON.stringify({ code: 'FAIL', message: '通知验证失败' }), contentType: 'application/json; charset=utf-8' },
  unconfirmed: { status: 500, body: JSON.stringify({ code: 'FAIL', message: '处理中，请稍后重试' }), contentType: 'application/json; charset=utf-8' },
};

/** Builds the connector; throws a TypeError at once when an option (key, id, URL, timeout) is wrong. */
export function createWechatpayChannel(options: WechatpayConnectorOptions): Channel {
  return channelOf(resolveOptions(options));
}

function channelOf(resolved: ResolvedOptions): Channel {
  return lazyChannel(
    {
      name: 'wechatpay',
      // Notifications must claim this app and this merchant.
      appId: resolved.appid,
      sellerId: resolved.mchid,
      notifyReply: (verdict) => notifyReplies[verdict],
      // H5's redirect_url is ours (payments.ts withRedirect): it names the payment for a query, nothing more.
      paymentNoOfReturn: (params) => textField(params.out_trade_no),
    },
    // wechatpay-axios-plugin is imported on the first call, not when the core starts.
    async () => (await import('./live.ts')).liveChannel(resolved),
  );
}

export const wechatpayConnector: ConnectorModule<ResolvedOptions> = {
  name: 'wechatpay',
  // The public surface's WeChat Pay methods, as the default routing table has them.
  routes: wechatpayMethods.map((method) => defaultRoutingTable[method]),
  parseOptions: (input) => resolveOptions(input as WechatpayConnectorOptions),
  create: channelOf,
};
