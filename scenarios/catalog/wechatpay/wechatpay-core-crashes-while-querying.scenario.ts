// The Alipay scenario core-crashes-while-querying, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/core-crashes-while-querying.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
