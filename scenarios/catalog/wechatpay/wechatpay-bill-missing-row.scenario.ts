// The Alipay scenario bill-missing-row, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-missing-row.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
