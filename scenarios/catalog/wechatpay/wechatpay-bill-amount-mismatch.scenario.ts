// The Alipay scenario bill-amount-mismatch, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-amount-mismatch.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
