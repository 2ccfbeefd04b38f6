import { describe, expect, it } from 'vitest';
import { assessRisk, buyerKeyOf, defaultRiskRules, normalizeAddress, validateRiskRules, type RiskContext, type RiskRule } from '../../../core/domain/index.ts';
import { minuteMs, startMs } from './fixtures.ts';

const context = (overrides: Partial<RiskContext> = {}): RiskContext => ({
  buyerId: 'buyer-1',
  clientAddress: '203.0.113.7',
  amountFen: 8880,
  method: 'alipay.qr',
  nowMs: startMs,
  recentPayments: [],
  ...overrides,
});

const rules: RiskRule[] = [
  { kind: 'blocklist', id: 'known-fraud', buyerIds: ['buyer-bad'], addresses: ['198.51.100.66', '2001:DB8::66'], action: 'block' },
  { kind: 'amountLimit', id: 'big-h5', amountFenMax: 100_000, methods: ['wechatpay.h5'], action: 'block' },
  { kind: 'amountLimit', id: 'big', amountFenMax: 500_000, action: 'stepUp' },
  { kind: 'velocity', id: 'burst', windowMs: 10 * minuteMs, countMax: 3, action: 'stepUp' },
  { kind: 'velocity', id: 'spend', windowMs: 60 * minuteMs, amountFenMax: 1_000_000, action: 'block' },
];

const recent = (count: number, amountFen = 100, ageMs = minuteMs, buyerKey = 'buyer:buyer-1') =>
  Array.from({ length: count }, () => ({ buyerKey, amountFen, atMs: startMs - ageMs }));

describe('risk', () => {
  it('passes an ordinary payment', () => {
    expect(assessRisk(context(), rules)).toEqual({ decision: 'pass' });
  });

  it('blocks a buyer on the blocklist and names the rule', () => {
    expect(assessRisk(context({ buyerId: 'buyer-bad' }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud' });
  });

  it('blocks a listed client address with or without a buyer id, in either IP notation', () => {
    expect(assessRisk(context({ buyerId: undefined, clientAddress: '198.51.100.66' }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud', reason: expect.stringContaining('198.51.100.66') });
    expect(assessRisk(context({ buyerId: 'fresh-id', clientAddress: '::ffff:198.51.100.66' }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud' });
    expect(assessRisk(context({ buyerId: undefined, clientAddress: '2001:db8::66' }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud' });
    expect(assessRisk(context({ buyerId: undefined, clientAddress: '198.51.100.67' }), rules)).toEqual({ decision: 'pass' });
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

  it('keys velocity on the buyer id when given, else on the client address', () => {
    expect(buyerKeyOf({ buyerId: 'b-1', clientAddress: '203.0.113.7' })).toBe('buyer:b-1');
    expect(buyerKeyOf({ buyerId: undefined, clientAddress: '::ffff:203.0.113.7' })).toBe('address:203.0.113.7');
    expect(buyerKeyOf({ buyerId: undefined, clientAddress: undefined })).toBeUndefined();
    const fromAddress = recent(3, 100, minuteMs, 'address:203.0.113.7');
    expect(assessRisk(context({ buyerId: undefined, recentPayments: fromAddress }), rules)).toMatchObject({ decision: 'stepUp', ruleId: 'burst' });
    // A buyer id, when given, is the key: the address's history does not count against it.
    expect(assessRisk(context({ recentPayments: fromAddress }), rules)).toEqual({ decision: 'pass' });
  });

  it('does not let a buyer id that looks like an address share its key', () => {
    expect(buyerKeyOf({ buyerId: '203-0-113-7', clientAddress: undefined })).not.toBe(buyerKeyOf({ buyerId: undefined, clientAddress: '203-0-113-7' }));
    expect(normalizeAddress(' 2001:DB8::1 ')).toBe('2001:db8::1');
  });

  it('skips buyer rules only when neither a buyer id nor an address is known', () => {
    expect(assessRisk(context({ buyerId: undefined, clientAddress: undefined, recentPayments: recent(10) }), rules)).toEqual({ decision: 'pass' });
  });

  it('passes a step-up rule once the buyer is verified, naming the rule it satisfied', () => {
    expect(assessRisk(context({ amountFen: 500_001, stepUpVerified: true }), rules)).toEqual({ decision: 'pass', steppedUpRuleId: 'big' });
    expect(assessRisk(context({ stepUpVerified: true }), rules)).toEqual({ decision: 'pass' });
  });

  it('lets block win over a passed step-up', () => {
    expect(assessRisk(context({ buyerId: 'buyer-bad', amountFen: 500_001, stepUpVerified: true }), rules)).toMatchObject({ decision: 'block', ruleId: 'known-fraud' });
    expect(assessRisk(context({ amountFen: 200_000, method: 'wechatpay.h5', stepUpVerified: true }), rules)).toMatchObject({ decision: 'block', ruleId: 'big-h5' });
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
      { kind: 'blocklist', id: 'old-shape', buyerKeys: ['x'], action: 'block' },
    ] as unknown as RiskRule[];
    expect(validateRiskRules(bad)).toEqual([
      expect.stringContaining('windowMs'),
      expect.stringContaining('countMax or amountFenMax'),
      expect.stringContaining('used twice'),
      expect.stringContaining('action'),
      expect.stringContaining('a blocklist needs buyerIds and/or addresses'),
    ]);
  });
});
