import { describe, expect, it } from 'vitest';
import { Random } from '../../../lib/random.ts';
import {
  applyChannelSuccess,
  closeOrder,
  DomainInvariantError,
  journalEntry,
  markRefundFailed,
  markRefundSucceeded,
  postingsForAutoRefund,
  postingsForPayment,
  postingsForReconciliationFix,
  postingsForRefund,
  requestAutoRefund,
  requestRefund,
  trialBalance,
  type JournalEntry,
  type Refund,
} from '../../../core/domain/index.ts';
import { addPayment, evidenceFor, expectOk, hourMs, minuteMs, newOrder, paidOrder, payingOrder, startMs } from './fixtures.ts';

const nowMs = startMs + hourMs;

describe('ledger', () => {
  it('books a credited payment as clearing less fee, fee expense and revenue', () => {
    const { payment } = paidOrder(); // 8880 fen, fee 53
    const [entry] = postingsForPayment(payment);
    expect(entry).toMatchObject({ id: `payment:${payment.paymentNo}`, kind: 'payment', paymentNo: payment.paymentNo });
    expect(entry!.postings).toEqual([
      { account: 'channel_clearing:alipay', side: 'debit', amountFen: 8827 },
      { account: 'channel_fees', side: 'debit', amountFen: 53 },
      { account: 'merchant_revenue', side: 'credit', amountFen: 8880 },
    ]);
  });

  it('refuses to book a payment that was not credited', () => {
    expect(() => postingsForPayment(payingOrder().payment)).toThrow(DomainInvariantError);
  });

  it('throws on an unbalanced entry: that can only be a bug', () => {
    const base = { id: 'x', kind: 'payment', atMs: 0, orderNo: null, paymentNo: null, refundNo: null } as const;
    expect(() =>
      journalEntry({ ...base, postings: [{ account: 'merchant_revenue', side: 'credit', amountFen: 100 }, { account: 'channel_fees', side: 'debit', amountFen: 99 }] }),
    ).toThrow(/does not balance/);
    expect(() => journalEntry({ ...base, postings: [{ account: 'merchant_revenue', side: 'credit', amountFen: -1 }, { account: 'channel_fees', side: 'debit', amountFen: -1 }] })).toThrow(
      DomainInvariantError,
    );
    expect(() => journalEntry({ ...base, postings: [{ account: 'channel_fees', side: 'debit', amountFen: 0.5 }, { account: 'merchant_revenue', side: 'credit', amountFen: 0.5 }] })).toThrow();
  });

  it('drops 0-fen lines, so a fee-free payment has two postings', () => {
    const { order, payment } = paidOrder();
    const free = { ...payment, feeFen: 0 };
    expect(postingsForPayment(free)[0]!.postings).toHaveLength(2);
    expect(order.status).toBe('PAID');
  });

  it('books a refund as accepted, then completed, each entry under a stable id', () => {
    const { order, payment } = paidOrder();
    const outcome = requestRefund(order, payment, [], { outRefundNo: 'RF-1', amountFen: 4440, reason: '' }, { refundNo: 'R1', nowMs });
    if (outcome.outcome !== 'created') throw new Error(outcome.outcome);
    const accepted = postingsForRefund(outcome.refund);
    expect(accepted.map((entry) => entry.id)).toEqual(['refund:R1:requested']);
    const done = markRefundSucceeded(outcome.refund, { order, payment, refunds: [outcome.refund] }, { nowMs });
    if (!done.ok) throw new Error(done.reason);
    const completed = postingsForRefund(done.refund);
    expect(completed.map((entry) => entry.id)).toEqual(['refund:R1:requested', 'refund:R1:succeeded']);
    expect(completed[0]).toEqual(accepted[0]);
    expect(completed[1]!.postings).toEqual([
      { account: 'refunds_payable', side: 'debit', amountFen: 4440 },
      { account: 'channel_clearing:alipay', side: 'credit', amountFen: 4413 },
      { account: 'channel_fees', side: 'credit', amountFen: 27 },
    ]);
  });

  it('reverses a failed refund back into revenue', () => {
    const { order, payment } = paidOrder();
    const outcome = requestRefund(order, payment, [], { outRefundNo: 'RF-1', amountFen: 1000, reason: '' }, { refundNo: 'R1', nowMs });
    if (outcome.outcome !== 'created') throw new Error(outcome.outcome);
    const failed = expectOk(markRefundFailed(outcome.refund, { nowMs, failure: 'ABNORMAL' })).refund;
    const entries = [...postingsForPayment(payment), ...postingsForRefund(failed)];
    const balance = trialBalance(entries);
    expect(balance.accounts.merchant_revenue?.balanceFen).toBe(-8880);
    expect(balance.accounts.refunds_payable?.balanceFen).toBe(0);
  });

  it('books a success after close as a late receipt, never revenue, and owes it back', () => {
    const { order, payment } = payingOrder();
    const closedOrder = expectOk(closeOrder(order, { nowMs: order.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order;
    const late = applyChannelSuccess(payment, closedOrder, evidenceFor(payment), order.expiresAtMs + 1);
    if (late.outcome !== 'paidAfterClose') throw new Error(late.outcome);
    const refund = requestAutoRefund(late.payment, [], { refundNo: 'R1', nowMs }).refund;
    const entries = postingsForAutoRefund(late.payment, refund);
    expect(entries.map((entry) => entry.id)).toEqual([`late-receipt:${payment.paymentNo}`, 'refund:R1:requested']);
    const balance = trialBalance(entries);
    expect(balance.accounts.merchant_revenue).toBeUndefined();
    expect(balance.accounts.late_receipts?.balanceFen).toBe(0);
    expect(balance.accounts.refunds_payable?.balanceFen).toBe(-8880);
    expect(() => postingsForPayment(late.payment)).toThrow(DomainInvariantError);
  });

  it('books reconciliation differences in both directions against a suspense account', () => {
    const more = postingsForReconciliationFix({ fixId: 'F1', channel: 'wechatpay', differenceFen: 100, atMs: nowMs, paymentNo: 'P1' });
    expect(more[0]!.postings).toEqual([
      { account: 'channel_clearing:wechatpay', side: 'debit', amountFen: 100 },
      { account: 'reconciliation_differences', side: 'credit', amountFen: 100 },
    ]);
    const less = postingsForReconciliationFix({ fixId: 'F2', channel: 'wechatpay', differenceFen: -100, atMs: nowMs });
    expect(trialBalance([...more, ...less]).accounts['channel_clearing:wechatpay']?.balanceFen).toBe(0);
    expect(() => postingsForReconciliationFix({ fixId: 'F3', channel: 'alipay', differenceFen: 0, atMs: nowMs })).toThrow(DomainInvariantError);
  });

  it('reports a stored entry that does not balance', () => {
    const [entry] = postingsForPayment(paidOrder().payment);
    const tampered: JournalEntry = { ...entry!, postings: [...entry!.postings.slice(0, 2), { account: 'merchant_revenue', side: 'credit', amountFen: 9999 }] };
    const balance = trialBalance([tampered]);
    expect(balance).toMatchObject({ balanced: false, unbalancedEntryIds: [entry!.id] });
  });

  it('always balances over random payments, refunds, failures and late successes', () => {
    const random = new Random(20260101);
    for (let run = 0; run < 30; run++) {
      const entries: JournalEntry[] = [];
      let expectedRevenueFen = 0;
      let expectedPayableFen = 0;
      for (let orderIndex = 0; orderIndex < 10; orderIndex++) {
        const amount = `${random.int(0, 5000)}.${String(random.int(0, 99)).padStart(2, '0')}`;
        const order = newOrder(amount, { orderNo: `O${run}-${orderIndex}` });
        if (order.amountFen === 0) continue;
        const channel = random.pick(['alipay', 'wechatpay'] as const);
        const { order: paying, payment } = addPayment(order, `P${run}x${orderIndex}`, startMs + minuteMs, channel);
        const lateSuccess = random.chance(0.2);
        const target = lateSuccess ? expectOk(closeOrder(paying, { nowMs: paying.expiresAtMs, reason: 'expired', openPaymentNos: [] })).order : paying;
        const result = applyChannelSuccess(payment, target, evidenceFor(payment), startMs + 2 * minuteMs);
        if (result.outcome === 'paidAfterClose') {
          const refund = requestAutoRefund(result.payment, [], { refundNo: `R${run}x${orderIndex}a`, nowMs }).refund;
          entries.push(...postingsForAutoRefund(result.payment, refund));
          expectedPayableFen += refund.amountFen;
          continue;
        }
        if (result.outcome !== 'credited') throw new Error(result.outcome);
        entries.push(...postingsForPayment(result.payment));
        expectedRevenueFen += result.payment.amountFen;
        let current = result.order;
        const refunds: Refund[] = [];
        for (let refundIndex = 0; refundIndex < random.int(0, 4); refundIndex++) {
          const outcome = requestRefund(
            current,
            result.payment,
            refunds,
            { outRefundNo: `RF${refundIndex}`, amountFen: random.int(1, result.payment.amountFen), reason: '' },
            { refundNo: `R${run}x${orderIndex}x${refundIndex}`, nowMs },
          );
          if (outcome.outcome !== 'created') continue;
          let refund = outcome.refund;
          const fate = random.int(0, 2);
          if (fate === 1) {
            const done = markRefundSucceeded(refund, { order: current, payment: result.payment, refunds: [...refunds, refund] }, { nowMs });
            if (!done.ok) throw new Error(done.reason);
            refund = done.refund;
            current = done.order;
            expectedRevenueFen -= refund.amountFen;
          } else if (fate === 2) {
            refund = expectOk(markRefundFailed(refund, { nowMs, failure: 'CLOSED' })).refund;
          } else {
            expectedRevenueFen -= refund.amountFen;
            expectedPayableFen += refund.amountFen;
          }
          refunds.push(refund);
          entries.push(...postingsForRefund(refund));
        }
      }
      const balance = trialBalance(entries);
      expect(balance.balanced).toBe(true);
      expect(balance.debitFen).toBe(balance.creditFen);
      expect(-(balance.accounts.merchant_revenue?.balanceFen ?? 0)).toBe(expectedRevenueFen);
      expect(-(balance.accounts.refunds_payable?.balanceFen ?? 0)).toBe(expectedPayableFen);
    }
  });
});
