// The Alipay scenario guard-unbalanced-ledger, channel-neutral, on WeChat Pay's wire.
import scenario from '../alipay/guard-unbalanced-ledger.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
