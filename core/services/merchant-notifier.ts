// Messages to the business system (`--merchant-webhook`): stored in the same commit as the change they
// report, then sent best-effort with growing intervals (the domain's schedule), acknowledged only by
// HTTP 200 and the body `success`; when the schedule runs out they wait in the manual queue.
import { Poster } from '../../lib/http.ts';
import type { Mutation } from '../../lib/store/index.ts';
import {
  createMerchantNotification,
  isAcknowledgement,
  notificationBody,
  recordAttemptFailed,
  recordDelivered,
  resendFromManual,
  notificationId,
  type MerchantNotification,
  type MerchantNotificationType,
} from '../domain/index.ts';
import type { ServiceContext } from './context.ts';
import { collections, writeNotification } from './records.ts';
import { SingleFlight } from './scheduler.ts';

export interface NotificationEvent {
  readonly type: MerchantNotificationType;
  readonly orderNo: string;
  readonly refundNo?: string;
  readonly paymentNo?: string;
  readonly amountFen: number;
}

export type ResendOutcome =
  | { readonly outcome: 'resent'; readonly notification: MerchantNotification }
  | { readonly outcome: 'notFound' }
  | { readonly outcome: 'notManual'; readonly notification: MerchantNotification };

export interface MerchantNotifier {
  /** The mutation storing the notification of `event`; none when that event was already stored (same id). */
  stage(event: NotificationEvent): { readonly id: string; readonly mutations: Mutation[] };
  /** Schedules delivery of a stored PENDING notification at its next attempt time. */
  arm(id: string): void;
  /** One delivery attempt now; concurrent calls for one id share it. */
  deliver(id: string): Promise<MerchantNotification | undefined>;
  resend(id: string): Promise<ResendOutcome>;
  manualQueue(): MerchantNotification[];
  resume(): void;
}

const responseBytesMax = 4096;
const timerKey = (id: string) => `notification:${id}`;

export function createMerchantNotifier(context: ServiceContext): MerchantNotifier {
  const { records, clock, config } = context;
  const flights = new SingleFlight<MerchantNotification | undefined>();
  const poster = new Poster();

  const notifier: MerchantNotifier = {
    stage(event) {
      const id = notificationId(event.type, event);
      if (records.notification(id)) return { id, mutations: [] };
      return { id, mutations: [writeNotification(createMerchantNotification({ ...event, occurredAtMs: clock.now() }))] };
    },

    arm(id) {
      const notification = records.notification(id);
      if (notification?.status !== 'PENDING') return;
      context.scheduler.arm(timerKey(id), notification.nextAttemptAtMs, async () => {
        await notifier.deliver(id);
      });
    },

    deliver: (id) => flights.run(id, () => attempt(id)),

    async resend(id) {
      const notification = records.notification(id);
      if (!notification) return { outcome: 'notFound' };
      const change = resendFromManual(notification, clock.now());
      if (!change.ok) return { outcome: 'notManual', notification };
      await context.commit([writeNotification(change.notification)]);
      const after = await notifier.deliver(id);
      return { outcome: 'resent', notification: after ?? change.notification };
    },

    manualQueue: () => records.all<MerchantNotification>(collections.notifications).filter((notification) => notification.status === 'MANUAL'),

    resume() {
      for (const notification of records.all<MerchantNotification>(collections.notifications)) notifier.arm(notification.id);
    },
  };

  async function attempt(id: string): Promise<MerchantNotification | undefined> {
    const before = records.notification(id);
    if (before?.status !== 'PENDING') return before;
    const failure = await post(before);
    // Re-read: the record is only changed here (single flight), but a resend may have raced a timer.
    const current = records.notification(id);
    if (current?.status !== 'PENDING') return current;
    const nowMs = clock.now();
    const change = failure === undefined ? recordDelivered(current, nowMs) : recordAttemptFailed(current, { nowMs, error: failure }, config.policy.notification);
    if (!change.ok) return current;
    await context.commit([writeNotification(change.notification)]);
    context.events.emit({ type: 'notification.attempted', atMs: nowMs, id, delivered: failure === undefined, ...(failure ? { error: failure } : {}) });
    notifier.arm(id);
    return change.notification;
  }

  /** Undefined when acknowledged; otherwise why the attempt failed. */
  async function post(notification: MerchantNotification): Promise<string | undefined> {
    const url = config.merchantWebhookUrl;
    if (url === undefined) return 'no merchant webhook is configured (--merchant-webhook URL)';
    // Real time on purpose, not the injected clock: this bounds how long a socket to the receiver is
    // held, which is not a business delay. Under a virtual clock nothing would ever advance it, and a
    // receiver that hangs would hold the attempt (and its single flight) for good. The retry
    // schedule between attempts, which is business time, runs on the injected clock.
    const answer = await poster.post(url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(notificationBody(notification)) }, { timeoutMs: config.webhookTimeoutMs, keepBytes: responseBytesMax });
    if ('error' in answer) return answer.error;
    const body = answer.body.slice(0, responseBytesMax);
    return isAcknowledgement(answer.status, body) ? undefined : `answered HTTP ${answer.status} ${JSON.stringify(body.slice(0, 100))}, not 200 "success"`;
  }

  return notifier;
}
