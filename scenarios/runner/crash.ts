// What a crash must not lose: every notification the channel holds as acknowledged told it to stop
// resending, so the fact it carried must be in the restarted core's records. Read over HTTP from both
// sides right after the restart, before any time passes (no query has had a chance to repair a loss).
import type { NotificationKind } from '../../simulator/engine/types.ts';
import { call } from '../harness/http.ts';
import type { Labels } from './labels.ts';
import type { OrderView } from './observe.ts';

export interface CrashRecord {
  readonly atMs: number;
  /** Acknowledged notifications whose fact the restarted core does not hold, each said in a line. */
  readonly lost: readonly string[];
}

/** A notification as GET /_sim/notifications lists it (the fields this check reads). */
interface ChannelNotification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly tradeKey: string;
  readonly refundKey?: string;
  readonly state: string;
  readonly attempts: readonly { readonly atMs: number; readonly acknowledged: boolean }[];
}

const openPayment = new Set(['CREATED', 'PENDING', 'UNKNOWN']);

/** What the restarted core should show for a notification of `kind`, and whether `status` shows it. */
const holds: Record<NotificationKind, { readonly want: string; readonly shows: (status: string) => boolean }> = {
  trade_paid: { want: 'SUCCEEDED', shows: (status) => status === 'SUCCEEDED' },
  trade_finished: { want: 'SUCCEEDED', shows: (status) => status === 'SUCCEEDED' },
  trade_closed: { want: 'a terminal state', shows: (status) => !openPayment.has(status) },
  refund_succeeded: { want: 'SUCCESS', shows: (status) => status === 'SUCCESS' },
  refund_failed: { want: 'FAILED', shows: (status) => status === 'FAILED' },
};

export async function acknowledgedButLost(input: { readonly simulatorUrl: string; readonly coreUrl: string; readonly labels: Labels }): Promise<string[]> {
  const listed = await call<ChannelNotification[]>('GET', `${input.simulatorUrl}/_sim/notifications`);
  if (listed.status !== 200) throw new Error(`GET /_sim/notifications answered ${listed.status}`);
  const payments = new Map<string, OrderView['payments'][number]>();
  const refunds = new Map<string, OrderView['refunds'][number]>();
  for (const [, orderNo] of input.labels.orderLabels()) {
    const answer = await call<OrderView>('GET', `${input.coreUrl}/api/orders/${orderNo}`);
    if (answer.status !== 200) throw new Error(`the restarted core answered GET /api/orders/${orderNo} with ${answer.status}`);
    for (const payment of answer.body.payments) payments.set(payment.paymentNo, payment);
    for (const refund of answer.body.refunds) refunds.set(refund.refundNo, refund);
  }
  const lost: string[] = [];
  for (const notification of listed.body) {
    const acknowledged = notification.attempts.find((attempt) => attempt.acknowledged);
    if (!acknowledged) continue;
    const paymentNo = notification.tradeKey.split(':').slice(2).join(':');
    const payment = payments.get(paymentNo);
    const { want, shows } = holds[notification.kind];
    const subject = input.labels.knowsPayment(paymentNo) ? input.labels.paymentLabel(paymentNo) : paymentNo;
    if (notification.refundKey !== undefined) {
      const refundNo = notification.refundKey.slice(notification.tradeKey.length + 1);
      const refund = refunds.get(refundNo);
      const name = input.labels.refundLabel(refundNo) ?? refundNo;
      if (!refund || !shows(refund.status)) lost.push(`${notification.kind} of refund ${name} was acknowledged, yet after the crash the core shows it ${refund ? refund.status : 'not at all'} (want ${want})`);
      continue;
    }
    if (!payment || !shows(payment.status)) lost.push(`${notification.kind} of payment ${subject} was acknowledged, yet after the crash the core shows it ${payment ? payment.status : 'not at all'} (want ${want})`);
  }
  return lost;
}
