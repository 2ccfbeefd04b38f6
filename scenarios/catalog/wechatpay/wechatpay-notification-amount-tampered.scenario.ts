// The Alipay scenario notification-amount-tampered, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-amount-tampered.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
