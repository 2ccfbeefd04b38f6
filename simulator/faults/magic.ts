// Magic values: outcomes a developer can trigger with no control API, as a payment provider's test
// cards do. Amounts from 4000.00 to 4999.99 are the magic range (as Braintree keeps its test amounts in
// one range): there, the last two digits (fen) select a fault. Outside it an amount is only an amount,
// so 12.34 in an ordinary test is never silently forged. A subject tag `[paysim:<fault>]` selects any
// fault that takes no parameters. Both can be switched off (`--no-magic`).
import type { Exchange, Firing } from './book.ts';
import { faultLayer, type Fault, type FaultType } from './rule.ts';

/** The magic range, in fen: 4000.00 to 4999.99 yuan. */
export const magicAmountFenMin = 400_000;
export const magicAmountFenMax = 499_999;

/** Amounts in the magic range ending in these fen values carry a fault. */
export const magicAmounts: ReadonlyArray<{ readonly fenSuffix: number; readonly fault: Fault; readonly meaning: string }> = [
  { fenSuffix: 4, fault: { type: 'drop' }, meaning: 'every notification is lost (4000.04)' },
  { fenSuffix: 14, fault: { type: 'duplicate', copies: 3 }, meaning: 'each notification arrives 4 times at once (4000.14)' },
  { fenSuffix: 24, fault: { type: 'tamper_amount', amount: '0.01' }, meaning: 'notifications say total_amount 0.01, validly signed (4000.24)' },
  { fenSuffix: 34, fault: { type: 'forge_signature' }, meaning: 'notifications carry a bad signature (4000.34)' },
  { fenSuffix: 44, fault: { type: 'notify_delay', ms: 3_600_000 }, meaning: 'each notification attempt is an hour late (4000.44)' },
  { fenSuffix: 54, fault: { type: 'refund_stuck', ms: 48 * 3_600_000 }, meaning: 'refunds stay processing for 48 hours (4000.54)' },
  { fenSuffix: 64, fault: { type: 'refund_fail' }, meaning: 'refunds fail after being accepted (4000.64)' },
  { fenSuffix: 74, fault: { type: 'response_lost' }, meaning: 'create/pay calls are processed but their response is lost (4000.74)' },
  { fenSuffix: 84, fault: { type: 'tamper_identity' }, meaning: 'notifications name another app, validly signed (4000.84)' },
  { fenSuffix: 94, fault: { type: 'late_success' }, meaning: 'the buyer pays even after the trade is closed (4000.94)' },
];

export function isMagicAmount(amountFen: number): boolean {
  return amountFen >= magicAmountFenMin && amountFen <= magicAmountFenMax;
}

const tagPattern = /\[paysim:([a-z_]+)\]/g;

/** Faults a subject tag can select: those without required parameters. */
const taggable = new Set<FaultType>([
  'hang', 'reset', 'malformed_body', 'response_lost', 'bad_signature', 'rate_limit', 'drop', 'reorder', 'tamper_identity', 'forge_signature',
  'late_success', 'early_notify', 'refund_fail', 'bill_missing_row', 'bill_extra_row', 'bill_status_mismatch', 'bill_duplicate_row',
  'pay_after_expiry', 'pay_twice', 'abandon',
]);

export function magicFaults(exchange: Exchange): Firing[] {
  const firings: Firing[] = [];
  if (exchange.amountFen !== undefined && isMagicAmount(exchange.amountFen)) {
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

/** Gateway magic applies only to the calls that create or pay a trade (as the channel marks them), so queries still work. */
function appliesTo(fault: Fault, exchange: Exchange): boolean {
  if (exchange.layer !== 'gateway') return true;
  return exchange.createsTrade === true || fault.type === 'hang';
}
