// The Alipay scenario bill-status-mismatch, channel-neutral, on WeChat Pay's wire: there the fault lists
// the payment as REVOKED (交易状态), a status WeChat's bills really carry, and the core reports it against
// the payment it has as paid.
import scenario from '../alipay/bill-status-mismatch.scenario.ts';
import { onChannel } from '../on-channel.ts';

export default onChannel(scenario, 'wechatpay');
