// The Alipay scenario notification-names-another-app, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/notification-names-another-app.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
