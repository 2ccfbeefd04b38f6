// The Alipay scenario notifications-reordered, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notifications-reordered.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
