import { expect, it } from 'vitest';
import { fenMax, formatFen, parseYuan, yuanToFen } from '../../lib/money.ts';

it('parses yuan strings with up to two decimals into integer fen', () => {
  expect(parseYuan('88.80')).toEqual({ ok: true, fen: 8880 });
  expect(parseYuan('88.8')).toEqual({ ok: true, fen: 8880 });
  expect(parseYuan('0.01')).toEqual({ ok: true, fen: 1 });
  expect(parseYuan('100000000')).toEqual({ ok: true, fen: fenMax });
  expect(parseYuan('0')).toEqual({ ok: true, fen: 0 });
});

it('converts amounts that floats get wrong exactly', () => {
  // 0.29 * 100 is 28.999999999999996 in floating point.
  expect(yuanToFen('0.29')).toBe(29);
  expect(yuanToFen('1.15')).toBe(115);
  expect(yuanToFen('19.99')).toBe(1999);
});

it('rejects signs, exponents, spaces, leading zeros, three decimals and amounts above the maximum', () => {
  for (const bad of ['-1', '+1', '1e2', ' 1', '1 ', '01', '1.234', '1.', '.5', 'abc', '', '100000000.01', '1,000']) {
    const parsed = parseYuan(bad);
    expect(parsed.ok, bad).toBe(false);
  }
});

it('explains a rejected amount', () => {
  const parsed = parseYuan('1.234');
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.reason).toContain('at most 2 decimals');
});

it('says an amount is too large, not malformed, however many digits it has', () => {
  for (const [text, shown] of [['100000000.01', '100000000.01'], ['99999999999', '99999999999'], ['99999999999999999999.50', '99999999999999999999.50'], ['1'.repeat(40), `${'1'.repeat(32)}…`]]) {
    expect(parseYuan(text!), text).toEqual({ ok: false, reason: `${shown} exceeds the largest amount, 100000000.00`, tooLarge: true });
  }
});

it('formats fen with exactly two decimals, keeping the sign of negative amounts', () => {
  expect(formatFen(8880)).toBe('88.80');
  expect(formatFen(1)).toBe('0.01');
  expect(formatFen(0)).toBe('0.00');
  expect(formatFen(-300000)).toBe('-3000.00');
  expect(formatFen(-5)).toBe('-0.05');
});

it('refuses to format a value that is not an integer number of fen', () => {
  expect(() => formatFen(1.5)).toThrow(/integer number of fen/);
  expect(() => formatFen(Number.NaN)).toThrow();
});

it('round-trips every amount from 0.00 to 100.00', () => {
  for (let fen = 0; fen <= 10_000; fen++) expect(yuanToFen(formatFen(fen))).toBe(fen);
});
