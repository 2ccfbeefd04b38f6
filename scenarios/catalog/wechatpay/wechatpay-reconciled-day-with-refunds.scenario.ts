// The Alipay scenario reconciled-day-with-refunds, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/reconciled-day-with-refunds.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
