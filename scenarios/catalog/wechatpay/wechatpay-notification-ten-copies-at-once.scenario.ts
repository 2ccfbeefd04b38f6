// The Alipay scenario notification-ten-copies-at-once, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-ten-copies-at-once.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
