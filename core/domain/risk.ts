// Risk assessment before a payment is created: rules are data, evaluated in order; the strongest
// action wins (block over stepUp over pass), and the first rule with that action is named as the
// one that decided, so the answer can be explained and the rule tuned.
import { assertFen } from '../../lib/money.ts';
import { assertNever } from './assert.ts';
import type { PayMethod } from './routing.ts';

export type RiskAction = 'stepUp' | 'block';

export type RiskRule =
  /** Payments above `amountFenMax` (optionally only for some methods). */
  | { readonly kind: 'amountLimit'; readonly id: string; readonly amountFenMax: number; readonly methods?: readonly PayMethod[]; readonly action: RiskAction }
  /** More than `countMax` payments, or more than `amountFenMax` in total, by one buyer within `windowMs` (this one included). */
  | {
      readonly kind: 'velocity';
      readonly id: string;
      readonly windowMs: number;
      readonly countMax?: number;
      readonly amountFenMax?: number;
      readonly action: RiskAction;
    }
  | { readonly kind: 'blocklist'; readonly id: string; readonly buyerKeys: readonly string[]; readonly action: RiskAction };

export interface RiskContext {
  /** Who pays, as the service can tell (a buyer id, else the client address); velocity and blocklist need it. */
  readonly buyerKey: string | undefined;
  readonly amountFen: number;
  readonly method: PayMethod;
  readonly nowMs: number;
  /** The buyer's earlier payment attempts (any age; the window is applied here). */
  readonly recentPayments: readonly { readonly buyerKey: string; readonly amountFen: number; readonly atMs: number }[];
}

export type RiskDecision =
  | { readonly decision: 'pass' }
  | { readonly decision: 'stepUp'; readonly ruleId: string; readonly reason: string }
  | { readonly decision: 'block'; readonly ruleId: string; readonly reason: string };

const minuteMs = 60_000;

export const defaultRiskRules: readonly RiskRule[] = [
  { kind: 'amountLimit', id: 'large-amount-step-up', amountFenMax: 5_000_000, action: 'stepUp' },
  { kind: 'velocity', id: 'buyer-burst', windowMs: 10 * minuteMs, countMax: 20, action: 'block' },
];

/** Why `rule` fires for `context`, or undefined when it does not. */
function firing(rule: RiskRule, context: RiskContext): string | undefined {
  switch (rule.kind) {
    case 'amountLimit':
      if (rule.methods && !rule.methods.includes(context.method)) return undefined;
      return context.amountFen > rule.amountFenMax ? `amount ${context.amountFen} fen is above ${rule.amountFenMax} fen` : undefined;
    case 'velocity': {
      if (context.buyerKey === undefined) return undefined;
      const windowStartMs = context.nowMs - rule.windowMs;
      const inWindow = context.recentPayments.filter((payment) => payment.buyerKey === context.buyerKey && payment.atMs > windowStartMs);
      const count = inWindow.length + 1;
      const totalFen = inWindow.reduce((sum, payment) => sum + payment.amountFen, context.amountFen);
      if (rule.countMax !== undefined && count > rule.countMax) return `${count} payments within ${rule.windowMs} ms, limit ${rule.countMax}`;
      if (rule.amountFenMax !== undefined && totalFen > rule.amountFenMax) return `${totalFen} fen within ${rule.windowMs} ms, limit ${rule.amountFenMax}`;
      return undefined;
    }
    case 'blocklist':
      return context.buyerKey !== undefined && rule.buyerKeys.includes(context.buyerKey) ? 'buyer is on the blocklist' : undefined;
    default:
      return assertNever(rule, 'risk rule');
  }
}

export function assessRisk(context: RiskContext, rules: readonly RiskRule[] = defaultRiskRules): RiskDecision {
  assertFen(context.amountFen);
  let stepUp: RiskDecision | undefined;
  for (const rule of rules) {
    const reason = firing(rule, context);
    if (reason === undefined) continue;
    if (rule.action === 'block') return { decision: 'block', ruleId: rule.id, reason };
    stepUp ??= { decision: 'stepUp', ruleId: rule.id, reason };
  }
  return stepUp ?? { decision: 'pass' };
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
  }
  return problems;
}
