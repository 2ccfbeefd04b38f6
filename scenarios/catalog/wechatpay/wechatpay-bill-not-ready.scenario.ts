// The Alipay scenario bill-not-ready, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-not-ready.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
