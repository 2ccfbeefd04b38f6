// Carries out a scenario's steps as the business system, the buyer and time: the core's HTTP API, the
// simulator's buyer and clock API, nothing else. Each step's answer becomes a timeline entry and, when
// it is not what the step expected, a named failure.
import { formatBeijingDate } from '../../lib/time-format.ts';
import { durationMs, type Step } from '../define.ts';
import { call, errorCode, type Answer } from '../harness/http.ts';
import type { TimelineEntry } from '../report/types.ts';
import { acknowledgedButLost, type CrashRecord } from './crash.ts';
import type { Labels } from './labels.ts';

export interface StepRecord {
  readonly index: number;
  readonly step: Step;
  readonly atMs: number;
  readonly status: number;
  readonly code?: string;
  /** Empty when the step went as it should; otherwise what went wrong. */
  readonly problem?: string;
}

export interface CheckSnapshot {
  readonly name: string;
  readonly atMs: number;
  readonly checks: readonly { readonly name: string; readonly passed: boolean }[];
}

export interface StepContext {
  readonly channel: string;
  readonly defaultMethod: string;
  readonly coreUrl: string;
  readonly simulatorUrl: string;
  readonly now: () => number;
  /** Runs whatever the step made due now (a notification at +0, a refund sent soon). */
  readonly settle: () => Promise<void>;
  readonly setBusinessSystem: (mode: 'success' | 'down' | 'wrongBody') => void;
  readonly labels: Labels;
  readonly timeline: TimelineEntry[];
  readonly checkpoints: CheckSnapshot[];
  /** Per-scenario counter: outOrderNo values differ between orders and stay the same between runs. */
  readonly outOrderNo: (label: string) => string;
  readonly stallCoreDisk: () => void;
  readonly waitingCoreWrites: () => number;
  /** Kills the core and starts it again on the same port from what was durable. */
  readonly crashCore: () => Promise<void>;
  /** Real ms a step interrupted by a crash may take before the core dies anyway (it may be waiting on its stalled disk). */
  readonly crashAfterRealMs: number;
  readonly crashes: CrashRecord[];
}

function describe(answer: Answer): string {
  const code = errorCode(answer);
  return code ? `${answer.status} ${code}` : String(answer.status);
}

/** Real ms the core's waiting writes must stay the same before it counts as stuck on its stalled disk. */
const stuckQuietMs = 300;

/**
 * Resolves once the core is stuck on its stalled disk (writes wait and none has been added for a while:
 * each flow is blocked at its first write, so waiting longer changes nothing durable), or at the latest
 * after `crashAfterRealMs`.
 */
async function stuckOnDisk(context: StepContext): Promise<undefined> {
  const deadline = performance.now() + context.crashAfterRealMs;
  let seen = context.waitingCoreWrites();
  let since = performance.now();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const waiting = context.waitingCoreWrites();
    if (waiting !== seen) {
      seen = waiting;
      since = performance.now();
    } else if (waiting > 0 && performance.now() - since >= stuckQuietMs) {
      return undefined;
    }
  }
  return undefined;
}

/** Runs one step; returns its record (the caller collects problems as expectation results). */
export async function runStep(context: StepContext, step: Step, index: number): Promise<StepRecord> {
  const { labels } = context;
  const atMs = context.now();
  const note = (from: TimelineEntry['from'], to: TimelineEntry['to'], label: string) => context.timeline.push({ atMs: context.now(), from, to, label });
  const finish = (answer: Answer, okStatuses: readonly number[], label: string, from: TimelineEntry['from'] = 'business', to: TimelineEntry['to'] = 'core'): StepRecord => {
    note(from, to, `${label} → ${describe(answer)}`);
    const code = errorCode(answer);
    const expectCode = 'expectCode' in step ? step.expectCode : undefined;
    let problem: string | undefined;
    if (expectCode !== undefined && code !== expectCode) problem = `expected the refusal ${expectCode}, got ${describe(answer)}`;
    if (expectCode === undefined && !okStatuses.includes(answer.status)) problem = `answered ${describe(answer)}: ${JSON.stringify(answer.body).slice(0, 300)}`;
    return { index, step, atMs, status: answer.status, ...(code ? { code } : {}), ...(problem ? { problem } : {}) };
  };

  switch (step.step) {
    case 'createOrder': {
      const answer = await call('POST', `${context.coreUrl}/api/orders`, {
        outOrderNo: context.outOrderNo(step.order),
        amount: step.amount,
        currency: 'CNY',
        subject: step.subject ?? `scenario order ${step.order}`,
        ...(step.expireInSec !== undefined ? { expireInSec: step.expireInSec } : {}),
      });
      if (answer.status === 201 || answer.status === 200) labels.order(step.order, answer.body.orderNo);
      const result = finish(answer, [200, 201], `create order ${step.order} ${step.amount}`);
      await context.settle();
      return result;
    }
    case 'pay': {
      const orderNo = labels.orderNo(step.order);
      const method = step.method ?? context.defaultMethod;
      const answer = await call('POST', `${context.coreUrl}/api/orders/${orderNo}/pay`, { method });
      if (answer.status === 200) labels.payment(step.order, answer.body.paymentNo, step.payment, answer.body.payUrl ?? answer.body.qrCode);
      const result = finish(answer, [200], `pay order ${step.order} with ${method}`, 'buyer', 'core');
      await context.settle();
      return result;
    }
    case 'buyerOpens': {
      const paymentNo = labels.paymentNo(step.order, step.payment);
      const link = labels.linkOf(paymentNo);
      if (!link) return { index, step, atMs, status: 0, problem: `payment ${labels.paymentLabel(paymentNo)} has no pay URL or QR code` };
      const response = await fetch(link, { redirect: 'follow' });
      await response.arrayBuffer();
      const result = finish({ status: response.status, body: undefined }, [200], `buyer opens ${labels.paymentLabel(paymentNo)}`, 'buyer', 'channel');
      await context.settle();
      return result;
    }
    case 'buyerPays': {
      const paymentNo = labels.paymentNo(step.order, step.payment);
      const outcome = step.outcome ?? 'success';
      const answer = await call('POST', `${context.simulatorUrl}/_sim/buyer/pay`, { channel: context.channel, outTradeNo: paymentNo, outcome });
      const result = finish(answer, [200], `buyer ${outcome === 'success' ? 'pays' : outcome} ${labels.paymentLabel(paymentNo)}`, 'buyer', 'channel');
      await context.settle();
      return result;
    }
    case 'buyerReturns': {
      const paymentNo = labels.paymentNo(step.order, step.payment);
      const response = await fetch(`${context.coreUrl}/return/${context.channel}?out_trade_no=${encodeURIComponent(paymentNo)}`);
      await response.arrayBuffer();
      const result = finish({ status: response.status, body: undefined }, [200], `buyer returns from ${labels.paymentLabel(paymentNo)}`, 'buyer', 'core');
      await context.settle();
      return result;
    }
    case 'refundsAtOnce': {
      // Refused refunds are expected here (only what the order can give back may pass): a refusal is judged by expectations.
      const orderNo = labels.orderNo(step.order);
      const answers = await Promise.all(step.refunds.map((refund) =>
        call('POST', `${context.coreUrl}/api/orders/${orderNo}/refunds`, { outRefundNo: `${context.outOrderNo(step.order)}-${refund.refund}`, amount: refund.amount, reason: 'scenario refund' })));
      let problem: string | undefined;
      for (const [index, answer] of answers.entries()) {
        const refund = step.refunds[index]!;
        if (answer.status === 200 || answer.status === 201) labels.refund(refund.refund, answer.body.refundNo);
        else if (errorCode(answer) !== 'REFUND_EXCEEDS_PAID') problem ??= `refund ${refund.refund} answered ${describe(answer)}`;
        note('business', 'core', `refund ${refund.refund} of order ${step.order} at once: ${refund.amount} → ${describe(answer)}`);
      }
      await context.settle();
      return { index, step, atMs, status: 200, ...(problem ? { problem } : {}) };
    }
    case 'close': {
      const answer = await call('POST', `${context.coreUrl}/api/orders/${labels.orderNo(step.order)}/close`, {});
      const result = finish(answer, [200], `close order ${step.order}`);
      await context.settle();
      return result;
    }
    case 'refund': {
      const answer = await call('POST', `${context.coreUrl}/api/orders/${labels.orderNo(step.order)}/refunds`, {
        outRefundNo: `${context.outOrderNo(step.order)}-${step.refund}`,
        amount: step.amount,
        reason: step.reason ?? 'scenario refund',
      });
      if (answer.status === 200 || answer.status === 201) labels.refund(step.refund, answer.body.refundNo);
      const result = finish(answer, [200, 201], `refund ${step.refund} of order ${step.order}: ${step.amount}`);
      await context.settle();
      return result;
    }
    case 'advance': {
      const ms = durationMs(step.by);
      const answer = await call('POST', `${context.simulatorUrl}/_sim/clock/advance`, { ms });
      const record = { index, step, atMs, status: answer.status, ...(answer.status === 200 ? {} : { problem: `the clock did not advance: ${describe(answer)}` }) };
      return record;
    }
    case 'reconcile': {
      const billDate = step.day === undefined || step.day === 'yesterday' ? formatBeijingDate(context.now() - 86_400_000) : step.day;
      const answer = await call('POST', `${context.coreUrl}/api/reconciliations`, { channel: context.channel, billDate, ...(step.rerun ? { rerun: true } : {}) });
      const status = typeof answer.body?.status === 'string' ? ` ${answer.body.status}` : '';
      const result = finish(answer, [200, 201], `reconcile ${billDate}${status}`);
      await context.settle();
      return result;
    }
    case 'businessSystem': {
      context.setBusinessSystem(step.answers);
      note('business', 'business', `business system ${step.answers === 'success' ? 'acknowledges again' : step.answers === 'down' ? 'goes down' : 'answers the wrong body'}`);
      return { index, step, atMs, status: 200 };
    }
    case 'resendManualQueue': {
      const queue = await call('GET', `${context.coreUrl}/api/manual-queue`);
      if (queue.status !== 200) return finish(queue, [200], 'read the manual queue');
      let problem: string | undefined;
      for (const notification of queue.body.notifications as { id: string }[]) {
        const answer = await call('POST', `${context.coreUrl}/api/manual-queue/${notification.id}/resend`, {});
        note('business', 'core', `resend ${notification.id} from the manual queue → ${describe(answer)}`);
        if (answer.status !== 200) problem ??= `resend of ${notification.id} answered ${describe(answer)}`;
      }
      await context.settle();
      return { index, step, atMs, status: 200, ...(problem ? { problem } : {}) };
    }
    case 'coreCrashes': {
      context.stallCoreDisk();
      note('core', 'core', "the core's disk stalls: nothing it writes from now on becomes durable");
      const running = runStep(context, step.during, index).catch((error: unknown): StepRecord => ({ index, step: step.during, atMs, status: 0, problem: error instanceof Error ? error.message : String(error) }));
      const answered = await Promise.race([running, stuckOnDisk(context)]);
      if (!answered) note('business', 'core', `${step.during.step}${'order' in step.during ? ` of order ${step.during.order}` : ''} is cut off: the core dies first`);
      await context.crashCore();
      const lost = await acknowledgedButLost(context);
      context.crashes.push({ atMs: context.now(), lost });
      note('core', 'core', `the core crashes and restarts from its disk: ${lost.length === 0 ? 'everything it acknowledged is there' : `${lost.length} acknowledged fact(s) lost`}`);
      // A step cut off by the crash has no answer to judge: its client saw the connection drop, as it would.
      const during = answered ?? (await running);
      return { index, step, atMs, status: during.status, ...(answered && during.problem ? { problem: during.problem } : {}) };
    }
    case 'checkpoint': {
      const answer = await call('POST', `${context.coreUrl}/api/checks/run`, {});
      const checks = answer.status === 200 ? (answer.body.checks as { name: string; passed: boolean }[]).map(({ name, passed }) => ({ name, passed })) : [];
      context.checkpoints.push({ name: step.name, atMs: context.now(), checks });
      const failing = checks.filter((check) => !check.passed).map((check) => check.name);
      note('business', 'core', `checkpoint ${step.name}: ${failing.length === 0 ? 'every check holds' : `firing: ${failing.join(', ')}`}`);
      return { index, step, atMs, status: answer.status, ...(answer.status === 200 ? {} : { problem: `checks did not run: ${describe(answer)}` }) };
    }
  }
}
