// The Alipay scenario notification-an-hour-late, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-an-hour-late.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
