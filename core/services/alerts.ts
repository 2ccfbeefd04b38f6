// Alerts: evidence that something is wrong and a person should look (a tampered or forged notify, a
// success after close, a refund the channel contradicts). One record per (kind, subject), counted, so
// a notify resent for 25 hours is one alert with a count, not thousands of records.
import { put, type Mutation } from '../../lib/store/index.ts';
import type { ServiceContext } from './context.ts';
import type { AlertKind } from './events.ts';
import { collections, type Alert } from './records.ts';

export interface AlertInput {
  readonly kind: AlertKind;
  readonly detail: string;
  readonly orderNo?: string | null;
  readonly paymentNo?: string | null;
  readonly refundNo?: string | null;
}

/** The mutation recording the alert (none past the limit), and the event announcing it. */
export function alertMutation(context: ServiceContext, input: AlertInput): Mutation[] {
  const nowMs = context.clock.now();
  const subject = input.refundNo ?? input.paymentNo ?? input.orderNo ?? '-';
  const id = `${input.kind}:${subject}`;
  context.events.emit({ type: 'alert.raised', atMs: nowMs, kind: input.kind, subject, detail: input.detail });
  const existing = context.store.get<Alert>(collections.alerts, id);
  if (!existing && context.store.count(collections.alerts) >= context.config.alertsMax) return [];
  const alert: Alert = {
    id,
    kind: input.kind,
    subject,
    orderNo: input.orderNo ?? existing?.orderNo ?? null,
    paymentNo: input.paymentNo ?? existing?.paymentNo ?? null,
    refundNo: input.refundNo ?? existing?.refundNo ?? null,
    detail: input.detail.slice(0, 500),
    count: (existing?.count ?? 0) + 1,
    firstAtMs: existing?.firstAtMs ?? nowMs,
    lastAtMs: nowMs,
  };
  return [put(collections.alerts, id, alert)];
}

/** Records an alert on its own (when no state change goes with it). */
export function raiseAlert(context: ServiceContext, input: AlertInput): Promise<void> {
  const mutations = alertMutation(context, input);
  return mutations.length > 0 ? context.commit(mutations) : Promise.resolve();
}
