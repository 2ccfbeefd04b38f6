// The Alipay scenario guard-kept-late-success, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-kept-late-success.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
