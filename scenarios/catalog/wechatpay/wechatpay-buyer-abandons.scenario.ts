// The Alipay scenario buyer-abandons, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/buyer-abandons.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
