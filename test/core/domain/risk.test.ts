import { describe, expect, it } from 'vitest';
import { assessRisk, defaultRiskRules, validateRiskRules, type RiskContext, type RiskRule } from '../../../core/domain/index.ts';
import { minuteMs, startMs } from './fixtures.ts';

const context = (overrides: Partial<RiskContext> = {}): RiskContext => ({
  buyerKey: 'buyer-1',
  amountFen: 8880,
  method: 'alipay.qr',
  nowMs: startMs,
  recentPayments: [],
  ...overrides,
});

const rules: RiskRule[] = [
  { kind: 'blocklist', id: 'known-fraud', buyerKeys: ['buyer-bad'], action: 'block' },
  { kind: 'amountLimit', id: 'big-h5', amountFenMax: 100_000, methods: ['wechatpay.h5'], action: 'block' },
  { kind: 'amountLimit', id: 'big', amountFenMax: 500_000, action: 'stepUp' },
  { kind: 'velocity', id: 'burst', windowMs: 10 * minuteMs, countMax: 3, action: 'stepUp' },
  { kind: 'velocity', id: 'spend', windowMs: 60 * minuteMs, amountFenMax: 1_000_000, action: 'block' },
];

const recent = (count: number, amountFen = 100, ageMs = minuteMs) =>
  Array.from({ length: count }, () => ({ buyerKey: 'buyer-1', amountFen, atMs: startMs - ageMs }));

describe('risk', () => {
  it('passes an ordinary payment', () => {
    expect(assessRisk(context(), rules)).toEqual({ decision: 'pass' });
  });

  it('blocks a buyer on the blocklist and names the rule', () => {
    expect(assessRisk(context({ buyerKey: 'buyer-bad' }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud' });
  });

  it('steps up a large amount and passes the amount at the limit', () => {
    expect(assessRisk(context({ amountFen: 500_001 }), rules)).toMatchObject({ decision: 'stepUp', ruleId: 'big' });
    expect(assessRisk(context({ amountFen: 500_000 }), rules)).toEqual({ decision: 'pass' });
  });

  it('applies a method-specific limit only to that method', () => {
    expect(assessRisk(context({ amountFen: 200_000, method: 'wechatpay.h5' }), rules)).toMatchObject({ decision: 'block', ruleId: 'big-h5' });
    expect(assessRisk(context({ amountFen: 200_000, method: 'wechatpay.native' }), rules)).toEqual({ decision: 'pass' });
  });

  it('counts this payment with the buyer’s recent ones inside the window only', () => {
    expect(assessRisk(context({ recentPayments: recent(2) }), rules)).toEqual({ decision: 'pass' });
    expect(assessRisk(context({ recentPayments: recent(3) }), rules)).toMatchObject({ decision: 'stepUp', ruleId: 'burst' });
    expect(assessRisk(context({ recentPayments: recent(3, 100, 10 * minuteMs) }), rules)).toEqual({ decision: 'pass' });
    const others = recent(5).map((payment) => ({ ...payment, buyerKey: 'buyer-2' }));
    expect(assessRisk(context({ recentPayments: others }), rules)).toEqual({ decision: 'pass' });
  });

  it('lets block win over an earlier step-up', () => {
    const decision = assessRisk(context({ amountFen: 600_000, recentPayments: recent(1, 500_000, 30 * minuteMs) }), rules);
    expect(decision).toMatchObject({ decision: 'block', ruleId: 'spend' });
  });

  it('skips buyer rules when the buyer is unknown', () => {
    expect(assessRisk(context({ buyerKey: undefined, recentPayments: recent(10) }), rules)).toEqual({ decision: 'pass' });
  });

  it('steps up above 50,000 yuan with the default rules', () => {
    expect(assessRisk(context({ amountFen: 5_000_001 }))).toMatchObject({ decision: 'stepUp', ruleId: 'large-amount-step-up' });
    expect(assessRisk(context({ amountFen: 5_000_000 }))).toEqual({ decision: 'pass' });
  });

  it('accepts the default rules and names the problems of bad ones', () => {
    expect(validateRiskRules(defaultRiskRules)).toEqual([]);
    expect(validateRiskRules(rules)).toEqual([]);
    const bad = [
      { kind: 'velocity', id: 'v', windowMs: 0, action: 'block' },
      { kind: 'velocity', id: 'v', windowMs: 1000, countMax: 1, action: 'deny' },
    ] as unknown as RiskRule[];
    expect(validateRiskRules(bad)).toEqual([
      expect.stringContaining('windowMs'),
      expect.stringContaining('countMax or amountFenMax'),
      expect.stringContaining('used twice'),
      expect.stringContaining('action'),
    ]);
  });
});
