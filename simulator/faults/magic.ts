// Magic values: outcomes a developer can trigger with no control API, as a payment provider's test
// cards do. The amount's last two digits (fen) select a fault; a subject tag `[paysim:<fault>]`
// selects any fault that takes no parameters. Both can be switched off (`--no-magic`).
import type { Exchange, Firing } from './book.ts';
import { faultLayer, type Fault, type FaultType } from './rule.ts';

/** Amounts ending in these fen values carry a fault. Chosen to be rare in ordinary test amounts. */
export const magicAmounts: ReadonlyArray<{ readonly fenSuffix: number; readonly fault: Fault; readonly meaning: string }> = [
  { fenSuffix: 4, fault: { type: 'drop' }, meaning: 'every notification is lost (ends in .04)' },
  { fenSuffix: 14, fault: { type: 'duplicate', copies: 3 }, meaning: 'each notification arrives 4 times at once (.14)' },
  { fenSuffix: 24, fault: { type: 'tamper_amount', amount: '0.01' }, meaning: 'notifications say total_amount 0.01, validly signed (.24)' },
  { fenSuffix: 34, fault: { type: 'forge_signature' }, meaning: 'notifications carry a bad signature (.34)' },
  { fenSuffix: 44, fault: { type: 'notify_delay', ms: 3_600_000 }, meaning: 'each notification attempt is an hour late (.44)' },
  { fenSuffix: 54, fault: { type: 'refund_stuck', ms: 48 * 3_600_000 }, meaning: 'refunds stay processing for 48 hours (.54)' },
  { fenSuffix: 64, fault: { type: 'refund_fail' }, meaning: 'refunds fail after being accepted (.64)' },
  { fenSuffix: 74, fault: { type: 'response_lost' }, meaning: 'create/pay calls are processed but their response is lost (.74)' },
  { fenSuffix: 94, fault: { type: 'late_success' }, meaning: 'the buyer pays even after the trade is closed (.94)' },
];

const tagPattern = /\[paysim:([a-z_]+)\]/g;

/** Faults a subject tag can select: those without required parameters. */
const taggable = new Set<FaultType>([
  'hang', 'reset', 'malformed_body', 'response_lost', 'bad_signature', 'rate_limit', 'drop', 'reorder', 'forge_signature',
  'late_success', 'early_notify', 'refund_fail', 'bill_missing_row', 'bill_extra_row', 'bill_status_mismatch', 'bill_duplicate_row',
  'pay_after_expiry', 'pay_twice', 'abandon',
]);

export function magicFaults(exchange: Exchange): Firing[] {
  const firings: Firing[] = [];
  if (exchange.amountFen !== undefined && exchange.amountFen >= 100) {
    const suffix = exchange.amountFen % 100;
    for (const magic of magicAmounts) {
      if (magic.fenSuffix === suffix && faultLayer[magic.fault.type] === exchange.layer && appliesTo(magic.fault, exchange)) {
        firings.push({ ruleId: `magic:amount.${String(suffix).padStart(2, '0')}`, fault: magic.fault });
      }
    }
  }
  for (const match of exchange.subject?.matchAll(tagPattern) ?? []) {
    const type = match[1] as FaultType;
    if (taggable.has(type) && faultLayer[type] === exchange.layer && appliesTo({ type } as Fault, exchange)) {
      firings.push({ ruleId: `magic:subject.${type}`, fault: { type } as Fault });
    }
  }
  return firings;
}

/** Gateway magic applies only to the calls that create or pay a trade, so queries still work. */
function appliesTo(fault: Fault, exchange: Exchange): boolean {
  if (exchange.layer !== 'gateway') return true;
  return exchange.apis.some((api) => /\.(precreate|create|pay)$|trade\/(precreate|create|pay)$/.test(api)) || fault.type === 'hang';
}
