// The Alipay scenario every-notification-lost, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/every-notification-lost.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
