// The Alipay scenario core-crashes-as-notification-arrives, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/core-crashes-as-notification-arrives.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
