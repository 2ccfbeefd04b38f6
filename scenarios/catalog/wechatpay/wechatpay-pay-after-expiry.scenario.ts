// The Alipay scenario pay-after-expiry, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/pay-after-expiry.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
