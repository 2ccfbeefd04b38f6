// The Alipay scenario bill-duplicate-row, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-duplicate-row.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
