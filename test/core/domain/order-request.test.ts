import { describe, expect, it } from 'vitest';
import { validateOrderRequest } from '../../../core/domain/index.ts';

const valid = { outOrderNo: 'BIZ-2026_0001', amount: '88.80', currency: 'CNY', subject: '一杯茶 tea', expireInSec: 900 };

describe('validateOrderRequest', () => {
  it('accepts a well-formed request and converts the amount to fen', () => {
    const check = validateOrderRequest(valid);
    expect(check).toEqual({ ok: true, request: { outOrderNo: 'BIZ-2026_0001', amountFen: 8880, currency: 'CNY', subject: '一杯茶 tea', expireInSec: 900, items: [] } });
  });

  it('defaults the currency and the expiry', () => {
    const check = validateOrderRequest({ outOrderNo: 'A1', amount: '1', subject: 'x' });
    expect(check.ok && check.request).toMatchObject({ amountFen: 100, currency: 'CNY', expireInSec: 1800 });
  });

  it('accepts a 0-amount order', () => {
    for (const amount of ['0', '0.00']) {
      const check = validateOrderRequest({ ...valid, amount });
      expect(check.ok && check.request.amountFen).toBe(0);
    }
  });

  it.each([
    ['more than two decimals', '88.888'],
    ['a negative amount', '-1.00'],
    ['an exponent', '1e3'],
    ['a leading zero', '01.00'],
    ['spaces', ' 1.00'],
    ['an amount above the limit', '100000000.01'],
    ['an empty string', ''],
  ])('rejects %s as INVALID_AMOUNT', (_label, amount) => {
    const check = validateOrderRequest({ ...valid, amount });
    expect(check).toMatchObject({ ok: false, code: 'INVALID_AMOUNT', field: 'amount' });
  });

  it('rejects an amount given as a number, which would invite float rounding', () => {
    expect(validateOrderRequest({ ...valid, amount: 88.8 })).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
  });

  it('rejects a missing amount', () => {
    const { amount: _amount, ...rest } = valid;
    expect(validateOrderRequest(rest)).toMatchObject({ ok: false, code: 'INVALID_AMOUNT', field: 'amount' });
  });

  it.each([
    ['empty', ''],
    ['with a space', 'BIZ 1'],
    ['with a slash', 'BIZ/1'],
    ['non-ASCII', '订单1'],
    ['65 characters long', 'A'.repeat(65)],
  ])('rejects an outOrderNo that is %s', (_label, outOrderNo) => {
    expect(validateOrderRequest({ ...valid, outOrderNo })).toMatchObject({ ok: false, code: 'INVALID_PARAMETER', field: 'outOrderNo' });
  });

  it('accepts an outOrderNo of exactly 64 characters', () => {
    expect(validateOrderRequest({ ...valid, outOrderNo: 'A'.repeat(64) }).ok).toBe(true);
  });

  it('counts subject length in characters, accepting 127 Chinese characters and refusing 128', () => {
    expect(validateOrderRequest({ ...valid, subject: '茶'.repeat(127) }).ok).toBe(true);
    expect(validateOrderRequest({ ...valid, subject: '茶'.repeat(128) })).toMatchObject({ ok: false, field: 'subject' });
  });

  it('rejects a blank subject or one with a line break', () => {
    expect(validateOrderRequest({ ...valid, subject: '   ' })).toMatchObject({ ok: false, field: 'subject' });
    expect(validateOrderRequest({ ...valid, subject: 'tea\nfor two' })).toMatchObject({ ok: false, field: 'subject' });
  });

  it('rejects expiries outside 120 s .. 24 h and non-integers', () => {
    for (const expireInSec of [119, 86_401, 600.5, '600', -1]) {
      expect(validateOrderRequest({ ...valid, expireInSec })).toMatchObject({ ok: false, code: 'INVALID_PARAMETER', field: 'expireInSec' });
    }
    expect(validateOrderRequest({ ...valid, expireInSec: 120 }).ok).toBe(true);
    expect(validateOrderRequest({ ...valid, expireInSec: 86_400 }).ok).toBe(true);
  });

  it('rejects a currency other than CNY', () => {
    expect(validateOrderRequest({ ...valid, currency: 'USD' })).toMatchObject({ ok: false, field: 'currency' });
  });

  it('rejects unknown fields loudly instead of ignoring them', () => {
    expect(validateOrderRequest({ ...valid, amountFen: 8880 })).toMatchObject({ ok: false, code: 'INVALID_PARAMETER', field: 'amountFen' });
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, [], 'x', 3]) expect(validateOrderRequest(body)).toMatchObject({ ok: false, field: 'body' });
  });

  it('accepts priced items that add up to the amount', () => {
    const check = validateOrderRequest({ ...valid, amount: '30.00', items: [{ name: 'tea', quantity: 2, unitPrice: '10.00' }, { name: 'cake', quantity: 1, unitPrice: '10.00' }] });
    expect(check.ok && check.request.items).toEqual([{ name: 'tea', quantity: 2, unitPriceFen: 1000 }, { name: 'cake', quantity: 1, unitPriceFen: 1000 }]);
  });

  it('refuses priced items whose sum differs from the amount', () => {
    const check = validateOrderRequest({ ...valid, amount: '30.00', items: [{ name: 'tea', quantity: 2, unitPrice: '10.00' }] });
    expect(check).toMatchObject({ ok: false, code: 'INVALID_AMOUNT', field: 'items' });
  });

  it('does not sum items when some have no price', () => {
    const check = validateOrderRequest({ ...valid, items: [{ name: 'tea', quantity: 2, unitPrice: '10.00' }, { name: 'gift', quantity: 1 }] });
    expect(check.ok).toBe(true);
  });

  it('rejects malformed items', () => {
    expect(validateOrderRequest({ ...valid, items: {} })).toMatchObject({ ok: false, field: 'items' });
    expect(validateOrderRequest({ ...valid, items: [{ name: 'tea', quantity: 0 }] })).toMatchObject({ ok: false, field: 'items[0].quantity' });
    expect(validateOrderRequest({ ...valid, items: [{ name: 'tea', quantity: 1, unitPrice: '1.001' }] })).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    expect(validateOrderRequest({ ...valid, items: [{ name: 'tea', quantity: 1, sku: 'x' }] })).toMatchObject({ ok: false, field: 'items[0].sku' });
    expect(validateOrderRequest({ ...valid, items: Array.from({ length: 101 }, () => ({ name: 'a', quantity: 1 })) })).toMatchObject({ ok: false, field: 'items' });
  });
});
