// The Alipay scenario late-success-after-close, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/late-success-after-close.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
