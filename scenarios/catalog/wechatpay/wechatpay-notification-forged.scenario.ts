// The Alipay scenario notification-forged, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-forged.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
