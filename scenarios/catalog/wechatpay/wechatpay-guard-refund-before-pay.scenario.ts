// The Alipay scenario guard-refund-before-pay, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-refund-before-pay.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
