// The Alipay scenario business-system-down, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/business-system-down.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
