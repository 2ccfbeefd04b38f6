// The Alipay scenario notification-before-queryable, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-before-queryable.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
