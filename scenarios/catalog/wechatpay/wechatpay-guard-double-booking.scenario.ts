// The Alipay scenario guard-double-booking, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-double-booking.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
