// Risk assessment before a payment is created: rules are data, evaluated in order; the strongest
// action wins (block over stepUp over pass), and the first rule with that action is named as the
// one that decided, so the answer can be explained and the rule tuned.
//
// Who pays: the business system's buyer id when it sends one, else the address the request came
// from, so leaving `buyerId` out does not slip past the buyer rules. Velocity counts under that one
// key (`buyerKeyOf`); a blocklist names buyer ids and addresses, and both are checked, so a listed
// address is refused whatever buyer id comes with it.
import { assertFen } from '../../lib/money.ts';
import { assertNever } from './assert.ts';
import type { PayMethod } from './routing.ts';

export type RiskAction = 'stepUp' | 'block';

export type RiskRule =
  /** Payments above `amountFenMax` (optionally only for some methods). */
  | { readonly kind: 'amountLimit'; readonly id: string; readonly amountFenMax: number; readonly methods?: readonly PayMethod[]; readonly action: RiskAction }
  /** More than `countMax` payments, or more than `amountFenMax` in total, by one buyer key within `windowMs` (this one included). */
  | {
      readonly kind: 'velocity';
      readonly id: string;
      readonly windowMs: number;
      readonly countMax?: number;
      readonly amountFenMax?: number;
      readonly action: RiskAction;
    }
  /** Buyers named by the business system's buyer id, or by client address (IPv4 or IPv6, as the core sees it). */
  | { readonly kind: 'blocklist'; readonly id: string; readonly buyerIds?: readonly string[]; readonly addresses?: readonly string[]; readonly action: RiskAction };

/** What the core knows of who pays; either part may be missing (a service called in-process has no address). */
export interface BuyerIdentity {
  readonly buyerId: string | undefined;
  readonly clientAddress: string | undefined;
}

export interface RiskContext extends BuyerIdentity {
  readonly amountFen: number;
  readonly method: PayMethod;
  readonly nowMs: number;
  /** The earlier payment attempts (any age; the window is applied here), each under its `buyerKeyOf`. */
  readonly recentPayments: readonly { readonly buyerKey: string; readonly amountFen: number; readonly atMs: number }[];
  /** The buyer passed a step-up challenge of this order: step-up rules are satisfied, block rules still apply. */
  readonly stepUpVerified?: boolean;
}

export type RiskDecision =
  /** `steppedUpRuleId`: a step-up rule fired and a verified challenge satisfied it (the challenge is then used up). */
  | { readonly decision: 'pass'; readonly steppedUpRuleId?: string }
  | { readonly decision: 'stepUp'; readonly ruleId: string; readonly reason: string }
  | { readonly decision: 'block'; readonly ruleId: string; readonly reason: string };

const minuteMs = 60_000;

export const defaultRiskRules: readonly RiskRule[] = [
  { kind: 'amountLimit', id: 'large-amount-step-up', amountFenMax: 5_000_000, action: 'stepUp' },
  { kind: 'velocity', id: 'buyer-burst', windowMs: 10 * minuteMs, countMax: 20, action: 'block' },
];

/**
 * The key velocity counts under: the buyer id when given, else the client address. The prefixes keep
 * a buyer id from ever colliding with an address; undefined when neither is known.
 */
export function buyerKeyOf(identity: BuyerIdentity): string | undefined {
  if (identity.buyerId !== undefined) return `buyer:${identity.buyerId}`;
  if (identity.clientAddress !== undefined && identity.clientAddress !== '') return `address:${normalizeAddress(identity.clientAddress)}`;
  return undefined;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`; IPv6 is compared in lower case. */
export function normalizeAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}

function blocklisted(rule: Extract<RiskRule, { kind: 'blocklist' }>, context: RiskContext): string | undefined {
  if (context.buyerId !== undefined && rule.buyerIds?.includes(context.buyerId)) return `buyer ${context.buyerId} is on the blocklist`;
  if (context.clientAddress === undefined) return undefined;
  const address = normalizeAddress(context.clientAddress);
  return rule.addresses?.some((listed) => normalizeAddress(listed) === address) ? `address ${address} is on the blocklist` : undefined;
}

/** Why `rule` fires for `context`, or undefined when it does not. */
function firing(rule: RiskRule, context: RiskContext): string | undefined {
  switch (rule.kind) {
    case 'amountLimit':
      if (rule.methods && !rule.methods.includes(context.method)) return undefined;
      return context.amountFen > rule.amountFenMax ? `amount ${context.amountFen} fen is above ${rule.amountFenMax} fen` : undefined;
    case 'velocity': {
      const buyerKey = buyerKeyOf(context);
      if (buyerKey === undefined) return undefined;
      const windowStartMs = context.nowMs - rule.windowMs;
      const inWindow = context.recentPayments.filter((payment) => payment.buyerKey === buyerKey && payment.atMs > windowStartMs);
      const count = inWindow.length + 1;
      const totalFen = inWindow.reduce((sum, payment) => sum + payment.amountFen, context.amountFen);
      if (rule.countMax !== undefined && count > rule.countMax) return `${count} payments within ${rule.windowMs} ms, limit ${rule.countMax}`;
      if (rule.amountFenMax !== undefined && totalFen > rule.amountFenMax) return `${totalFen} fen within ${rule.windowMs} ms, limit ${rule.amountFenMax}`;
      return undefined;
    }
    case 'blocklist':
      return blocklisted(rule, context);
    default:
      return assertNever(rule, 'risk rule');
  }
}

export function assessRisk(context: RiskContext, rules: readonly RiskRule[] = defaultRiskRules): RiskDecision {
  assertFen(context.amountFen);
  let stepUp: Extract<RiskDecision, { decision: 'stepUp' }> | undefined;
  for (const rule of rules) {
    const reason = firing(rule, context);
    if (reason === undefined) continue;
    if (rule.action === 'block') return { decision: 'block', ruleId: rule.id, reason };
    stepUp ??= { decision: 'stepUp', ruleId: rule.id, reason };
  }
  if (stepUp === undefined) return { decision: 'pass' };
  return context.stepUpVerified === true ? { decision: 'pass', steppedUpRuleId: stepUp.ruleId } : stepUp;
}

/** Problems with configured rules; checked at start so a typo fails loudly rather than passing everyone. */
export function validateRiskRules(rules: readonly RiskRule[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const rule of rules) {
    if (!rule.id) problems.push('every risk rule needs an id');
    if (ids.has(rule.id)) problems.push(`risk rule id ${rule.id} is used twice`);
    ids.add(rule.id);
    if (!['amountLimit', 'velocity', 'blocklist'].includes(rule.kind)) problems.push(`risk rule ${rule.id}: unknown kind ${String(rule.kind)}`);
    if (rule.action !== 'block' && rule.action !== 'stepUp') problems.push(`risk rule ${rule.id}: action must be block or stepUp`);
    if (rule.kind === 'amountLimit' && !(Number.isSafeInteger(rule.amountFenMax) && rule.amountFenMax >= 0)) problems.push(`risk rule ${rule.id}: amountFenMax must be fen`);
    if (rule.kind === 'velocity') {
      if (!(rule.windowMs > 0)) problems.push(`risk rule ${rule.id}: windowMs must be positive`);
      if (rule.countMax === undefined && rule.amountFenMax === undefined) problems.push(`risk rule ${rule.id}: needs countMax or amountFenMax`);
    }
    if (rule.kind === 'blocklist') {
      const lists = [rule.buyerIds, rule.addresses].filter((list) => list !== undefined);
      if (lists.length === 0 || lists.some((list) => !Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry === ''))) {
        problems.push(`risk rule ${rule.id}: a blocklist needs buyerIds and/or addresses, lists of non-empty strings`);
      }
    }
  }
  return problems;
}
