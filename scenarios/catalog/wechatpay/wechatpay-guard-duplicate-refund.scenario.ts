// The Alipay scenario guard-duplicate-refund, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-duplicate-refund.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
