// The Alipay scenario refunds-sum-of-parts, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/refunds-sum-of-parts.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
