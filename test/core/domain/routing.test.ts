import { describe, expect, it } from 'vitest';
import { defaultRoutingTable, DomainInvariantError, feeFen, refundFeeReturnFen, routePayment, validateRoutingTable, type RoutingTable } from '../../../core/domain/index.ts';

describe('routing', () => {
  it('routes each pay method to its channel with the fee', () => {
    expect(routePayment('alipay.qr', 8880)).toMatchObject({ outcome: 'routed', route: { channel: 'alipay' }, feeFen: 53 });
    expect(routePayment('wechatpay.h5', 8880)).toMatchObject({ outcome: 'routed', route: { channel: 'wechatpay' }, feeFen: 53 });
    expect(routePayment('balance', 8880)).toMatchObject({ outcome: 'routed', route: { channel: 'balance' }, feeFen: 0 });
  });

  it('reports an unknown method', () => {
    const known = Object.keys(defaultRoutingTable);
    expect(routePayment('unionpay', 100)).toEqual({ outcome: 'unknownMethod', method: 'unionpay', known });
    expect(routePayment('toString', 100)).toEqual({ outcome: 'unknownMethod', method: 'toString', known });
  });

  it('reports a disabled method and a channel that is down', () => {
    const table: RoutingTable = { ...defaultRoutingTable, 'alipay.wap': { ...defaultRoutingTable['alipay.wap'], enabled: false } };
    expect(routePayment('alipay.wap', 100, table)).toEqual({ outcome: 'disabled', method: 'alipay.wap' });
    expect(routePayment('wechatpay.native', 100, table, new Set(['wechatpay']))).toEqual({ outcome: 'channelUnavailable', method: 'wechatpay.native', channel: 'wechatpay' });
  });

  it('never routes a 0-amount payment to a channel', () => {
    expect(routePayment('alipay.page', 0)).toMatchObject({ outcome: 'amountOutOfRange', amountFenMin: 1 });
  });

  it('rounds fees half up to the fen by default', () => {
    expect(feeFen(50, 60)).toBe(0); // 0.30 fen
    expect(feeFen(83, 60)).toBe(0); // 0.498 fen
    expect(feeFen(84, 60)).toBe(1); // 0.504 fen
    expect(feeFen(250, 60)).toBe(2); // 1.5 fen: half goes up
    expect(feeFen(8880, 60)).toBe(53); // 53.28 fen
    expect(feeFen(0, 60)).toBe(0);
  });

  it('rounds down or up when the route says so', () => {
    expect(feeFen(250, 60, 'floor')).toBe(1);
    expect(feeFen(251, 60, 'ceil')).toBe(2);
    expect(feeFen(10_000, 60, 'ceil')).toBe(60);
  });

  it('computes exact fees at the largest amount without float error', () => {
    expect(feeFen(10_000_000_000, 60)).toBe(60_000_000);
    expect(feeFen(9_999_999_999, 10_000)).toBe(9_999_999_999);
  });

  it('treats impossible fee inputs as bugs', () => {
    expect(() => feeFen(1.5, 60)).toThrow();
    expect(() => feeFen(-1, 60)).toThrow(DomainInvariantError);
    expect(() => feeFen(100, 10_001)).toThrow(DomainInvariantError);
  });

  it('gives back fee shares that add up to the whole fee for any split of a full refund', () => {
    const paymentAmountFen = 9_999;
    const paymentFeeFen = feeFen(paymentAmountFen, 60); // 60 fen
    for (const parts of [[9_999], [1, 9_998], [3_333, 3_333, 3_333], [5_000, 1, 1, 4_997], [17, 29, 9_953]]) {
      let refundedBeforeFen = 0;
      let returnedFen = 0;
      for (const refundFen of parts) {
        const share = refundFeeReturnFen({ paymentAmountFen, paymentFeeFen, refundedBeforeFen, refundFen });
        expect(share).toBeGreaterThanOrEqual(0);
        returnedFen += share;
        refundedBeforeFen += refundFen;
      }
      expect(returnedFen).toBe(paymentFeeFen);
    }
  });

  it('refuses fee shares for refunds beyond the payment', () => {
    expect(() => refundFeeReturnFen({ paymentAmountFen: 100, paymentFeeFen: 1, refundedBeforeFen: 60, refundFen: 41 })).toThrow(DomainInvariantError);
  });

  it('accepts the default table and names the problems of a bad one', () => {
    expect(validateRoutingTable(defaultRoutingTable)).toEqual([]);
    const bad = {
      ...defaultRoutingTable,
      'alipay.qr': { ...defaultRoutingTable['alipay.qr'], feeBasisPoints: -5 },
      balance: { ...defaultRoutingTable.balance, amountFenMin: 0 },
    } as RoutingTable;
    expect(validateRoutingTable(bad)).toEqual([expect.stringContaining('alipay.qr: feeBasisPoints'), expect.stringContaining('balance: amountFenMin')]);
  });
});
