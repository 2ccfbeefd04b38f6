// The Alipay scenario buyer-insufficient-then-pays, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/buyer-insufficient-then-pays.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
