// What every engine module is handed: injected time, randomness, storage, events, config and the
// channel dialects' hooks. Built once in createEngine.
import type { Faker } from '@faker-js/faker';
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Random } from '../../lib/random.ts';
import type { Mutation, Store } from '../../lib/store/store.ts';
import type { EngineConfig } from './config.ts';
import type { SimEvent } from './events.ts';
import type { App, ChannelName, Notification, NotificationKind, Refund, Trade } from './types.ts';

/** What a channel dialect tells the engine about its notifications. */
export interface NotificationDialect {
  /** Offsets from the first attempt, one per attempt (Alipay: 0, 4m, 14m, …). */
  readonly scheduleOffsetsMs: readonly number[];
  /** The business fields of a notification, or undefined when this channel sends none for the event. */
  fieldsFor(kind: NotificationKind, trade: Trade, app: App, refund?: Refund): Record<string, string> | undefined;
  /**
   * The request of one attempt: this channel's body, headers and signature over it. `fields` replaces
   * the stored fields (a tampered notification); `forge` signs with a key the merchant does not trust.
   */
  renderAttempt(notification: Notification, app: App, nowMs: number, options?: { fields?: Readonly<Record<string, string>>; forge?: boolean }): Promise<{ headers: Record<string, string>; body: string }>;
  /** The fields with the paid amount replaced, as a tampering middlebox would. */
  tamperAmount(fields: Readonly<Record<string, string>>, amountFen: number): Record<string, string>;
  /** Whether the merchant's answer acknowledges the notification. */
  isAcknowledged(status: number, body: string): boolean;
}

/** How fault injection changes one delivery attempt. */
export interface NotificationPlan {
  readonly drop?: boolean;
  /** Move this scheduled attempt later; it is not counted as an attempt. */
  readonly postponeUntilMs?: number;
  /** Deliver this many extra copies at the same instant. */
  readonly extraCopies?: number;
  readonly fields?: Readonly<Record<string, string>>;
  readonly forge?: boolean;
}

/** A seam for fault injection: it may change or suppress one delivery attempt. */
export interface NotificationInterceptor {
  plan(notification: Notification, attempt: number, extra: boolean): NotificationPlan;
}

export interface EngineContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly faker: Faker;
  readonly events: EventBus<SimEvent>;
  readonly config: EngineConfig;
  readonly dialects: Map<ChannelName, NotificationDialect>;
  notificationInterceptor?: NotificationInterceptor;
  /** What a merchant's query sees of a trade; fault injection can make it lag behind the truth. */
  tradeView?: (trade: Trade) => Trade;
  /** Set when the engine stops: attempts still on the wire are not recorded (they are resent after a restart). */
  stopped?: boolean;
}

export const collections = {
  apps: 'apps',
  trades: 'trades',
  refunds: 'refunds',
  notifications: 'notifications',
} as const;

/**
 * Commits without making a caller wait: for the engine's own bookkeeping (attempt records), which no
 * client is told about. A failure here means the store is closed or broken, so it is reported loudly.
 */
export function persist(ctx: EngineContext, mutations: Mutation[]): void {
  if (ctx.stopped) return;
  ctx.store.commit(mutations).catch((error: unknown) => {
    process.emitWarning(`simulator store write failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
