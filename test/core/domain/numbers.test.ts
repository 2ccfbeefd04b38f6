import { describe, expect, it } from 'vitest';
import { Random } from '../../../lib/random.ts';
import { documentNo, isChannelSafeNo } from '../../../core/domain/index.ts';
import { startMs } from './fixtures.ts';

describe('document numbers', () => {
  it('builds numbers from the kind, the Beijing date and the random digits', () => {
    expect(documentNo('payment', startMs, '000000000042')).toBe('P20260101000000000042');
    expect(documentNo('refund', startMs - 1, '123456789012')).toBe('R20251231123456789012');
  });

  it('fits both channels’ out_trade_no rules with the seeded random source', () => {
    const random = new Random(7);
    for (let index = 0; index < 100; index++) {
      const number = documentNo('order', startMs, random.digits(16));
      expect(isChannelSafeNo(number)).toBe(true);
      expect(number.length).toBeLessThanOrEqual(32);
    }
  });

  it('refuses random parts that are too short or not digits', () => {
    expect(() => documentNo('payment', startMs, '123')).toThrow();
    expect(() => documentNo('payment', startMs, '12345678901x')).toThrow();
    expect(isChannelSafeNo('P-1')).toBe(false);
  });
});
