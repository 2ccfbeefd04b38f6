import { describe, expect, it } from 'vitest';
import {
  applyChannelSuccess,
  autoRefundKey,
  closeOrder,
  DomainInvariantError,
  isRefundStuck,
  markRefundFailed,
  markRefundSucceeded,
  recordRefundPoll,
  refundPollDelayMs,
  requestAutoRefund,
  requestRefund,
  validateRefundRequest,
  type Order,
  type Payment,
  type Refund,
  type RefundRequest,
} from '../../../core/domain/index.ts';
import { evidenceFor, expectOk, hourMs, minuteMs, paidOrder, payingOrder, startMs } from './fixtures.ts';

const nowMs = startMs + hourMs;
const ask = (outRefundNo: string, amountFen: number): RefundRequest => ({ outRefundNo, amountFen, reason: 'customer return' });

function created(order: Order, payment: Payment, refunds: readonly Refund[], request: RefundRequest, refundNo: string): Refund {
  const outcome = requestRefund(order, payment, refunds, request, { refundNo, nowMs });
  if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
  return outcome.refund;
}

describe('refund', () => {
  it('creates a PROCESSING refund linked to the payment, with a first poll a minute later', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    expect(refund).toMatchObject({
      refundNo: 'R1',
      paymentNo: payment.paymentNo,
      orderNo: order.orderNo,
      channel: 'alipay',
      outRefundNo: 'RF-1',
      amountFen: 1000,
      kind: 'merchant',
      status: 'PROCESSING',
      nextPollAtMs: nowMs + minuteMs,
    });
  });

  it('returns the same refund when the same outRefundNo is replayed', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    expect(requestRefund(order, payment, [refund], ask('RF-1', 1000), { refundNo: 'R2', nowMs })).toEqual({ outcome: 'replay', refund });
  });

  it('returns the same refund on replay even once nothing is left to refund', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-ALL', 8880), 'R1');
    expect(requestRefund(order, payment, [refund], ask('RF-ALL', 8880), { refundNo: 'R2', nowMs })).toMatchObject({ outcome: 'replay', refund: { refundNo: 'R1' } });
  });

  it('reports a conflict when the same outRefundNo comes with a different amount', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    expect(requestRefund(order, payment, [refund], ask('RF-1', 1001), { refundNo: 'R2', nowMs })).toEqual({ outcome: 'conflict', refund });
  });

  it('rejects a refund that would exceed the paid amount counting refunds in flight', () => {
    const { order, payment } = paidOrder();
    const inFlight = created(order, payment, [], ask('RF-1', 8000), 'R1');
    expect(requestRefund(order, payment, [inFlight], ask('RF-2', 881), { refundNo: 'R2', nowMs })).toEqual({ outcome: 'exceedsRefundable', refundableFen: 880 });
    expect(requestRefund(order, payment, [inFlight], ask('RF-2', 880), { refundNo: 'R2', nowMs }).outcome).toBe('created');
  });

  it('frees the amount of a failed refund', () => {
    const { order, payment } = paidOrder();
    const failed = expectOk(markRefundFailed(created(order, payment, [], ask('RF-1', 8880), 'R1'), { nowMs, failure: 'ABNORMAL' })).refund;
    expect(requestRefund(order, payment, [failed], ask('RF-2', 8880), { refundNo: 'R2', nowMs }).outcome).toBe('created');
  });

  it('refuses to refund an order that is not paid', () => {
    const { order, payment } = payingOrder();
    expect(requestRefund(order, payment, [], ask('RF-1', 100), { refundNo: 'R1', nowMs })).toEqual({ outcome: 'notRefundable', reason: 'orderNotPaid' });
  });

  it('refuses a merchant refund of a success that is being given back', () => {
    const { order, payment } = payingOrder();
    const closedOrder = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    const late = applyChannelSuccess(payment, closedOrder, evidenceFor(payment), order.expiresAtMs + 1);
    if (late.outcome !== 'paidAfterClose') throw new Error(late.outcome);
    expect(requestRefund(closedOrder, late.payment, [], ask('RF-1', 100), { refundNo: 'R1', nowMs })).toMatchObject({ outcome: 'notRefundable' });
  });

  it('refuses more refunds than the per-payment limit', () => {
    const { order, payment } = paidOrder();
    const refunds: Refund[] = [];
    for (let index = 0; index < 50; index++) refunds.push(created(order, payment, refunds, ask(`RF-${index}`, 1), `R${index}`));
    expect(requestRefund(order, payment, refunds, ask('RF-50', 1), { refundNo: 'R50', nowMs })).toEqual({ outcome: 'tooManyRefunds', refundsMax: 50 });
  });

  it('treats refunds of another payment or a non-positive amount as bugs', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 100), 'R1');
    expect(() => requestRefund(order, { ...payment, paymentNo: 'P-other' }, [refund], ask('RF-2', 100), { refundNo: 'R2', nowMs })).toThrow(DomainInvariantError);
    expect(() => requestRefund(order, payment, [], ask('RF-2', 0), { refundNo: 'R2', nowMs })).toThrow(DomainInvariantError);
  });

  it('completes a merchant refund, adds it to the order and gives back its share of the fee', () => {
    const { order, payment } = paidOrder(); // 8880 fen, fee 53 fen
    const refund = created(order, payment, [], ask('RF-1', 4440), 'R1');
    const done = markRefundSucceeded(refund, { order, payment, refunds: [refund] }, { nowMs: nowMs + minuteMs, channelRefundNo: '503001' });
    expect(done).toMatchObject({
      ok: true,
      refund: { status: 'SUCCESS', succeededAtMs: nowMs + minuteMs, feeReturnedFen: 27, channelRefundNo: '503001', nextPollAtMs: null },
      order: { refundedFen: 4440 },
    });
  });

  it('gives back exactly the whole fee across partial refunds of the whole amount', () => {
    const { order: paid, payment } = paidOrder();
    let order = paid;
    const refunds: Refund[] = [];
    let feeReturnedFen = 0;
    for (const [index, amountFen] of [1, 4439, 3333, 1107].entries()) {
      const refund = created(order, payment, refunds, ask(`RF-${index}`, amountFen), `R${index}`);
      refunds.push(refund);
      const done = markRefundSucceeded(refund, { order, payment, refunds }, { nowMs });
      if (!done.ok) throw new Error(done.reason);
      refunds[refunds.length - 1] = done.refund;
      order = done.order;
      if (done.refund.status === 'SUCCESS') feeReturnedFen += done.refund.feeReturnedFen;
    }
    expect(order.refundedFen).toBe(8880);
    expect(feeReturnedFen).toBe(payment.feeFen);
  });

  it('completes a refund once when the success arrives twice', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    const done = markRefundSucceeded(refund, { order, payment, refunds: [refund] }, { nowMs });
    if (!done.ok) throw new Error(done.reason);
    expect(markRefundSucceeded(done.refund, { order: done.order, payment, refunds: [done.refund] }, { nowMs })).toMatchObject({ ok: false, reason: 'alreadySucceeded' });
  });

  it('reports a success after a recorded failure as a contradiction and changes nothing', () => {
    const { order, payment } = paidOrder();
    const failed = expectOk(markRefundFailed(created(order, payment, [], ask('RF-1', 1000), 'R1'), { nowMs, failure: 'CLOSED' })).refund;
    expect(markRefundSucceeded(failed, { order, payment, refunds: [failed] }, { nowMs })).toEqual({ ok: false, reason: 'wasFailed', refund: failed });
    const done = markRefundSucceeded(created(order, payment, [], ask('RF-2', 1000), 'R2'), { order, payment, refunds: [] }, { nowMs });
    if (!done.ok) throw new Error(done.reason);
    expect(markRefundFailed(done.refund, { nowMs, failure: 'ABNORMAL' })).toMatchObject({ ok: false, reason: 'wasSucceeded' });
    expect(markRefundFailed(failed, { nowMs, failure: 'again' })).toMatchObject({ ok: false, reason: 'alreadyFailed' });
  });

  it('polls with doubling delays capped at an hour and never closes a refund in flight', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((attempts) => refundPollDelayMs(attempts) / minuteMs)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    const { order, payment } = paidOrder();
    let refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    for (let poll = 0; poll < 200; poll++) refund = recordRefundPoll(refund, nowMs + poll * hourMs);
    expect(refund).toMatchObject({ status: 'PROCESSING', pollAttempts: 200, nextPollAtMs: nowMs + 199 * hourMs + hourMs });
  });

  it('is stuck only while PROCESSING past the SLA', () => {
    const { order, payment } = paidOrder();
    const refund = created(order, payment, [], ask('RF-1', 1000), 'R1');
    expect(isRefundStuck(refund, nowMs + 24 * hourMs)).toBe(false);
    expect(isRefundStuck(refund, nowMs + 24 * hourMs + 1)).toBe(true);
    const failed = expectOk(markRefundFailed(refund, { nowMs, failure: 'x' })).refund;
    expect(isRefundStuck(failed, nowMs + 48 * hourMs)).toBe(false);
  });

  it('creates one automatic refund of the whole amount for a success after close, and replays it', () => {
    const { order, payment } = payingOrder();
    const closedOrder = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    const late = applyChannelSuccess(payment, closedOrder, evidenceFor(payment), order.expiresAtMs + 1);
    if (late.outcome !== 'paidAfterClose') throw new Error(late.outcome);
    const first = requestAutoRefund(late.payment, [], { refundNo: 'R1', nowMs });
    expect(first).toMatchObject({ outcome: 'created', refund: { kind: 'afterClose', amountFen: 8880, outRefundNo: autoRefundKey(payment.paymentNo) } });
    expect(requestAutoRefund(late.payment, [first.refund], { refundNo: 'R2', nowMs })).toEqual({ outcome: 'replay', refund: first.refund });
    const done = markRefundSucceeded(first.refund, { order: closedOrder, payment: late.payment, refunds: [first.refund] }, { nowMs });
    expect(done).toMatchObject({ ok: true, order: { status: 'CLOSED', refundedFen: 0 }, refund: { feeReturnedFen: payment.feeFen } });
  });

  it('refuses to auto-refund a credited payment', () => {
    const { payment } = paidOrder();
    expect(() => requestAutoRefund(payment, [], { refundNo: 'R1', nowMs })).toThrow(DomainInvariantError);
  });
});

describe('validateRefundRequest', () => {
  it('accepts a refund request and converts the amount to fen', () => {
    expect(validateRefundRequest({ outRefundNo: 'RF-1', amount: '10.50', reason: '退货' })).toEqual({ ok: true, request: { outRefundNo: 'RF-1', amountFen: 1050, reason: '退货' } });
    expect(validateRefundRequest({ outRefundNo: 'RF-1', amount: '0.01' })).toMatchObject({ ok: true, request: { reason: '' } });
  });

  it('rejects a zero, malformed or missing amount as INVALID_AMOUNT', () => {
    for (const amount of ['0.00', '1.234', '-1', 5, undefined]) {
      expect(validateRefundRequest({ outRefundNo: 'RF-1', amount })).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    }
  });

  it('rejects a malformed outRefundNo, an overlong reason and unknown fields', () => {
    expect(validateRefundRequest({ outRefundNo: 'RF 1', amount: '1.00' })).toMatchObject({ ok: false, field: 'outRefundNo' });
    expect(validateRefundRequest({ outRefundNo: 'RF-1', amount: '1.00', reason: 'x'.repeat(81) })).toMatchObject({ ok: false, field: 'reason' });
    expect(validateRefundRequest({ outRefundNo: 'RF-1', amount: '1.00', reason: 7 })).toMatchObject({ ok: false, field: 'reason' });
    expect(validateRefundRequest({ outRefundNo: 'RF-1', amount: '1.00', paymentNo: 'P1' })).toMatchObject({ ok: false, field: 'paymentNo' });
  });
});
