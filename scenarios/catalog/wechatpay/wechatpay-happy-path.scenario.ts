// The Alipay scenario happy-path, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/happy-path.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
