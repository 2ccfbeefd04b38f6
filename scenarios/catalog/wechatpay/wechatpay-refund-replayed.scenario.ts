// The Alipay scenario refund-replayed, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/refund-replayed.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
