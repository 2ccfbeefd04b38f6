// The Alipay scenario refund-known-only-by-polling, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/refund-known-only-by-polling.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
