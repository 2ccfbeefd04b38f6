// The Alipay scenario guard-overstated-payment, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-overstated-payment.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
