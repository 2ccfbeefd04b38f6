// The Alipay scenario bill-corrupt, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-corrupt.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
