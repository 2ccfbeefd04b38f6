// The Alipay scenario guard-overstated-refund, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-overstated-refund.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
