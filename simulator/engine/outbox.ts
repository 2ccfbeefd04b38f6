// The notification outbox: each notification is stored in the same commit as the event it reports,
// before its first attempt, and delivered on the channel's retry schedule until the merchant
// acknowledges it or the schedule is exhausted. Attempts and their outcomes are stored, so a restart
// resumes where it stopped.
import { Poster } from '../../lib/http.ts';
import { put, type Mutation } from '../../lib/store/store.ts';
import { collections, dialectOf, persist, type ChannelDialect, type EngineContext } from './context.ts';
import { outTradeNoOf, type App, type Notification, type NotificationAttempt, type NotificationKind, type Refund, type Trade } from './types.ts';

/** A notification built for an event, and the write that stores it. */
export interface PreparedNotification {
  readonly notification: Notification;
  readonly mutation: Mutation;
}

/** Of a merchant's answer, this much is read (and its first 2,048 characters kept). */
const responseBytesKept = 8 * 1024;

export class Outbox {
  private readonly timers = new Map<string, ReturnType<EngineContext['clock']['schedule']>>();
  /** Attempts between their start and their landing, and who waits for there to be none. */
  private attemptsInFlight = 0;
  private settledWaiters: (() => void)[] = [];
  private readonly random;
  private readonly poster = new Poster();

  constructor(private readonly ctx: EngineContext) {
    this.random = ctx.random.fork('outbox');
  }

  /**
   * Builds the notification for an event without storing it: the caller commits `mutation` in the same
   * commit as the state change it reports, so that no crash can keep the one without the other, and
   * calls `arm` once that commit is durable. Undefined when the channel sends nothing for the event.
   */
  prepare(kind: NotificationKind, trade: Trade, app: App, refund?: Refund): PreparedNotification | undefined {
    const dialect = dialectOf(this.ctx, trade.channel);
    const url = refund?.notifyUrl ?? trade.notifyUrl;
    if (!url) return undefined;
    const fields = dialect.fieldsFor(kind, trade, app, refund);
    if (!fields) return undefined;
    if (this.ctx.store.count(collections.notifications) >= this.ctx.config.limits.notificationsMax) {
      throw new RangeError(`notification limit of ${this.ctx.config.limits.notificationsMax} reached`);
    }
    const nowMs = this.ctx.clock.now();
    const notification: Notification = {
      id: this.freshId(dialect, nowMs),
      channel: trade.channel,
      appId: trade.appId,
      kind,
      tradeKey: trade.key,
      ...(refund ? { refundKey: refund.key } : {}),
      url,
      fields,
      createdAtMs: nowMs,
      state: 'pending',
      attempts: [],
      nextAttemptAtMs: nowMs,
    };
    return { notification, mutation: put(collections.notifications, notification.id, notification) };
  }

  all(): Notification[] {
    return this.ctx.store.all<Notification>(collections.notifications);
  }

  get(id: string): Notification | undefined {
    return this.ctx.store.get<Notification>(collections.notifications, id);
  }

  /** Re-arms every pending notification: used at start-up. */
  resume(): void {
    for (const notification of this.all()) if (notification.state === 'pending') this.arm(notification);
  }

  /** Schedules an extra delivery of a notification at a given time (duplicates, delays). */
  scheduleExtraAttempt(id: string, atMs: number): void {
    this.ctx.clock.schedule(atMs, () => this.attempt(id, { extra: true }), `notify ${id} (extra)`, { key: id });
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) this.ctx.clock.cancel(timer);
    this.timers.clear();
    // Idle kept-alive connections to merchants go with the timers (the agents make new ones if needed).
    this.poster.closeIdle();
  }

  /** Schedules the next attempt of a stored notification. */
  arm(notification: Notification): void {
    if (notification.nextAttemptAtMs === undefined) return;
    this.ctx.clock.cancel(this.timers.get(notification.id));
    this.ctx.events.emit({ type: 'notify.scheduled', atMs: this.ctx.clock.now(), channel: notification.channel, notificationId: notification.id, kind: notification.kind, outTradeNo: outTradeNoOf(notification), dueAtMs: notification.nextAttemptAtMs });
    // Keyed by the notification: attempts of different notifications due at one instant are independent.
    const timer = this.ctx.clock.schedule(notification.nextAttemptAtMs, () => this.attempt(notification.id, { extra: false }), `notify ${notification.id}`, { key: notification.id });
    this.timers.set(notification.id, timer);
  }

  /**
   * Sends a notification once more, now, outside its schedule (a person or a script resending it, as
   * Stripe's CLI resends an event), freshly signed. Like every attempt outside the schedule it is not
   * faulted: the rules act on the channel's own attempts. The schedule is unchanged; an acknowledgement
   * ends it. Resolves with the notification and its new attempt, undefined if there is no such one.
   */
  async resend(id: string): Promise<Notification | undefined> {
    if (!this.get(id)) return undefined;
    await this.attempt(id, { extra: true, resent: true });
    return this.get(id);
  }

  /**
   * One delivery. Everything up to the signing runs when the clock starts the task, in the clock's order;
   * signing and the POST may overlap with other notifications' attempts due at the same instant; what the
   * attempt leaves behind (its journal events, the stored attempt, the next attempt's timer) is applied
   * in its clock turn, so in the order the attempts started whatever order the merchant answered in.
   */
  /** Resolves once no attempt is on its way (at once when none is): each has landed, its journal entry written. */
  settled(): Promise<void> {
    if (this.attemptsInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private async attempt(id: string, options: { extra: boolean; resent?: boolean }): Promise<void> {
    this.attemptsInFlight += 1;
    try {
      await this.attemptOnce(id, options);
    } finally {
      this.attemptsInFlight -= 1;
      if (this.attemptsInFlight === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    }
  }

  private async attemptOnce(id: string, options: { extra: boolean; resent?: boolean }): Promise<void> {
    const turn = this.ctx.clock.turn();
    if (!options.extra) this.timers.delete(id);
    const notification = this.get(id);
    if (!notification) return;
    if (!options.extra && notification.state !== 'pending') return;
    const dialect = this.ctx.dialects.get(notification.channel);
    const app = this.ctx.store.get<App>(collections.apps, `${notification.channel}:${notification.appId}`);
    if (!dialect || !app) return;
    const attemptNumber = notification.attempts.length + 1;
    const plan = this.ctx.notificationInterceptor?.plan(notification, attemptNumber, options.extra) ?? {};
    const startedAtMs = this.ctx.clock.now();
    if (!options.extra && plan.postponeUntilMs !== undefined && plan.postponeUntilMs > startedAtMs) {
      const postponed: Notification = { ...notification, nextAttemptAtMs: plan.postponeUntilMs };
      persist(this.ctx, [put(collections.notifications, id, postponed)]);
      this.arm(postponed);
      return;
    }
    const request = await dialect.renderAttempt(notification, app, startedAtMs, {
      ...(plan.fields ? { fields: plan.fields } : {}),
      ...(plan.forge ? { forge: true } : {}),
      ...(plan.probe ? { probe: true } : {}),
      wallMs: this.ctx.wallClock(),
    });
    const copies = plan.drop ? 1 : 1 + (plan.extraCopies ?? 0);
    const outcomes = await Promise.all(
      Array.from({ length: copies }, async (_, copy): Promise<NotificationAttempt> => {
        const attempt = plan.drop
          ? { atMs: startedAtMs, error: 'dropped by fault injection', acknowledged: false }
          : await this.post(notification.url, request, (status, body) => dialect.isAcknowledged(status, body), startedAtMs, dialect.attemptTimeoutMs ?? this.ctx.config.notifyAttemptTimeoutMs);
        const marked = options.extra || copy > 0 ? { ...attempt, extra: true } : attempt;
        return options.resent && copy === 0 ? { ...marked, resent: true } : marked;
      }),
    );
    await turn.run(() => this.land(id, notification, attemptNumber, startedAtMs, request.body, outcomes, dialect.scheduleOffsetsMs));
  }

  /** An attempt's effects, one per copy: the journal event, the interceptor's bookkeeping, the stored attempt. */
  private land(id: string, notification: Notification, attemptNumber: number, startedAtMs: number, requestBody: string, outcomes: NotificationAttempt[], offsetsMs: readonly number[]): void {
    for (const [copy, attempt] of outcomes.entries()) {
      this.ctx.events.emit({
        type: 'notify.attempted', atMs: startedAtMs, channel: notification.channel, notificationId: id, attempt: attemptNumber + copy,
        url: notification.url, requestBody, acknowledged: attempt.acknowledged,
        ...(attempt.status !== undefined ? { status: attempt.status } : {}),
        ...(attempt.responseBody !== undefined ? { responseBody: attempt.responseBody } : {}),
        ...(attempt.error !== undefined ? { error: attempt.error } : {}),
        ...(attempt.resent ? { resent: true } : {}),
      });
      this.ctx.notificationInterceptor?.afterAttempt(notification);
      this.record(id, attempt, offsetsMs, attempt.extra === true);
    }
  }

  /** Moves a pending notification's next attempt (fault injection releasing a held notification). */
  postpone(id: string, atMs: number): void {
    const notification = this.get(id);
    if (!notification || notification.state !== 'pending') return;
    const updated: Notification = { ...notification, nextAttemptAtMs: atMs };
    persist(this.ctx, [put(collections.notifications, id, updated)]);
    this.arm(updated);
  }

  private record(id: string, attempt: NotificationAttempt, offsetsMs: readonly number[], extra: boolean): void {
    // Re-read: another attempt (a duplicate) may have finished while this one was on the wire.
    const current = this.get(id)!;
    const attempts = [...current.attempts, attempt];
    let state = current.state;
    let nextAttemptAtMs = current.nextAttemptAtMs;
    if (attempt.acknowledged || state === 'acknowledged') {
      state = 'acknowledged';
      nextAttemptAtMs = undefined;
    } else if (!extra && state === 'pending') {
      const scheduled = attempts.filter((item) => !item.extra).length;
      const nextOffset = offsetsMs[scheduled];
      if (nextOffset === undefined) {
        state = 'exhausted';
        nextAttemptAtMs = undefined;
      } else {
        nextAttemptAtMs = current.createdAtMs + nextOffset;
      }
    }
    const updated: Notification = { ...current, attempts, state, ...(nextAttemptAtMs !== undefined ? { nextAttemptAtMs } : { nextAttemptAtMs: undefined }) };
    persist(this.ctx, [put(collections.notifications, id, updated)]);
    if (state === 'exhausted') this.ctx.events.emit({ type: 'notify.exhausted', atMs: this.ctx.clock.now(), channel: current.channel, notificationId: id });
    if (state === 'pending' && !extra) this.arm(updated);
    if (state !== 'pending') this.ctx.clock.cancel(this.timers.get(id));
  }

  /**
   * A notification id is the record's key: one drawn again after a restart (the random source starts
   * over from the seed) must not overwrite an older notification, so a taken id is drawn again.
   */
  private freshId(dialect: ChannelDialect, nowMs: number): string {
    for (;;) {
      const id = dialect.notificationId(this.random, nowMs);
      if (!this.get(id)) return id;
    }
  }

  /** POSTs one attempt (lib/http.ts: kept-alive connections, bounded by the channel's attempt timeout in real time). */
  private async post(
    url: string,
    request: { headers: Record<string, string>; body: string },
    acknowledged: (status: number, body: string) => boolean,
    atMs: number,
    timeoutMs: number,
  ): Promise<NotificationAttempt> {
    const answer = await this.poster.post(url, request, { timeoutMs, keepBytes: responseBytesKept });
    if ('error' in answer) return { atMs, error: answer.error, acknowledged: false };
    const responseBody = answer.body.slice(0, 2048);
    return { atMs, status: answer.status, responseBody, acknowledged: acknowledged(answer.status, responseBody) };
  }
}
