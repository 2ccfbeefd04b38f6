// The Alipay scenario core-crashes-during-refund-request, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/core-crashes-during-refund-request.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
