// The Alipay scenario bill-extra-row, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/bill-extra-row.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
