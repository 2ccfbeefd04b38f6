// One template per fault type for the dashboard's "add a fault" form: the rule a person starts from,
// with the fault's own fields filled with README's examples. Typed by fault type, so a new fault type
// does not compile until it has a template; a test decodes every template with the rule decoder.
import type { Fault, FaultLayer, FaultType } from '../faults/rule.ts';
import { faultLayer } from '../faults/rule.ts';

export interface FaultTemplate {
  readonly type: FaultType;
  readonly layer: FaultLayer;
  /** What it does, as README's fault table says. */
  readonly effect: string;
  /** The `match.api` the template starts with: the layer name where there is one. */
  readonly api?: string;
  readonly fault: Fault;
}

const examples: { readonly [T in FaultType]: { effect: string; fault: Extract<Fault, { type: T }> } } = {
  delay: { effect: 'the answer waits (on the simulator clock)', fault: { type: 'delay', ms: 3000 } },
  hang: { effect: 'no answer at all: the client times out', fault: { type: 'hang' } },
  reset: { effect: 'the connection is reset (TCP RST)', fault: { type: 'reset' } },
  http_error: { effect: 'an HTTP error page, nothing processed', fault: { type: 'http_error', status: 502 } },
  malformed_body: { effect: 'processed; the answer is cut in half', fault: { type: 'malformed_body' } },
  response_lost: { effect: 'processed; the connection drops before the answer', fault: { type: 'response_lost' } },
  bad_signature: { effect: "processed; the answer's signature does not verify", fault: { type: 'bad_signature' } },
  business_error: { effect: "the channel's own signed error", fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' } },
  rate_limit: { effect: 'call limited (40005 / HTTP 429)', fault: { type: 'rate_limit' } },
  drop: { effect: 'the notification attempt is lost (it counts as an attempt)', fault: { type: 'drop' } },
  notify_delay: { effect: 'each scheduled attempt goes out this much later', fault: { type: 'notify_delay', ms: 600000 } },
  duplicate: { effect: 'extra copies of the attempt, at the same instant', fault: { type: 'duplicate', copies: 9 } },
  reorder: { effect: "held until the trade's next notification has gone out", fault: { type: 'reorder' } },
  tamper_amount: { effect: 'the amount is changed and validly signed', fault: { type: 'tamper_amount', amount: '0.01' } },
  tamper_identity: { effect: 'names another app (or seller) and is validly signed', fault: { type: 'tamper_identity' } },
  forge_signature: { effect: 'signed with a key the merchant does not trust', fault: { type: 'forge_signature' } },
  late_success: { effect: 'a closed unpaid trade is paid anyway, and notified', fault: { type: 'late_success', ms: 1000 } },
  early_notify: { effect: 'success notified while query still says waiting', fault: { type: 'early_notify', ms: 60000 } },
  refund_stuck: { effect: 'the refund stays processing this long', fault: { type: 'refund_stuck', ms: 172800000 } },
  refund_fail: { effect: 'accepted, then fails', fault: { type: 'refund_fail' } },
  refund_after_queries: { effect: 'succeeds on the nth refund query', fault: { type: 'refund_after_queries', queries: 3 } },
  bill_missing_row: { effect: "a matching row is left out of the day's bill", fault: { type: 'bill_missing_row' } },
  bill_extra_row: { effect: 'a row for a trade that does not exist', fault: { type: 'bill_extra_row' } },
  bill_amount_mismatch: { effect: 'a matching row shows another amount', fault: { type: 'bill_amount_mismatch', amount: '1.00' } },
  bill_status_mismatch: { effect: 'a payment row shown as a refund and the reverse (WeChat Pay: REVOKED, ABNORMAL)', fault: { type: 'bill_status_mismatch' } },
  bill_duplicate_row: { effect: 'a matching row appears twice', fault: { type: 'bill_duplicate_row' } },
  bill_not_ready: { effect: 'the bill is not ready though the day is over', fault: { type: 'bill_not_ready' } },
  bill_corrupt: { effect: 'the downloaded zip does not open', fault: { type: 'bill_corrupt' } },
  pay_after_expiry: { effect: "the buyer's payment goes through on a closed trade", fault: { type: 'pay_after_expiry' } },
  pay_twice: { effect: 'paying one trade also pays the other open trades alike', fault: { type: 'pay_twice' } },
  abandon: { effect: 'the buyer walks away: nothing is paid', fault: { type: 'abandon' } },
};

/** The `match.api` a layer's template starts with; gateway faults start with none (every call). */
const layerApi: Record<FaultLayer, string | undefined> = { gateway: undefined, notify: 'notify', trade: 'notify', refund: 'refund', bill: 'bill', buyer: 'buyer' };

export const faultTemplates: readonly FaultTemplate[] = (Object.keys(examples) as FaultType[]).map((type) => {
  const layer = faultLayer[type];
  const api = layerApi[layer];
  return { type, layer, effect: examples[type].effect, fault: examples[type].fault, ...(api ? { api } : {}) };
});
