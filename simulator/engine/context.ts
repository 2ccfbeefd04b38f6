// What every engine module is handed: injected time, randomness, storage, events, config and the
// channel dialects' hooks. Built once in the Engine's constructor.
import type { Clock, WallClock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Random } from '../../lib/random.ts';
import { put, type Mutation, type Store } from '../../lib/store/store.ts';
import type { EngineConfig } from './config.ts';
import type { SimEvent } from './events.ts';
import type { Faker } from '@faker-js/faker';
import type { App, Buyer, ChannelName, CloseReason, Notification, NotificationKind, Refund, Trade } from './types.ts';

/** What a channel dialect tells the engine about its notifications. */
export interface NotificationDialect {
  /** Offsets from the first attempt, one per attempt (Alipay: 0, 4m, 14m, …). */
  readonly scheduleOffsetsMs: readonly number[];
  /** How long, in real ms, the merchant has to answer one attempt; absent: `engine.notifyAttemptTimeoutMs`. */
  readonly attemptTimeoutMs?: number;
  /** The business fields of a notification, or undefined when this channel sends none for the event. */
  fieldsFor(kind: NotificationKind, trade: Trade, app: App, refund?: Refund): Record<string, string> | undefined;
  /**
   * The request of one attempt: this channel's body, headers and signature over it. `fields` replaces
   * the stored fields (a tampered notification); `forge` signs with a key the merchant does not trust, or
   * (`probe`) with the channel's deliberate probe signature where it has one (WeChat Pay's SIGNTEST).
   * `wallMs` is real time, for channels whose receivers check signature timestamps against their clock.
   */
  renderAttempt(
    notification: Notification,
    app: App,
    nowMs: number,
    options?: { fields?: Readonly<Record<string, string>>; forge?: boolean; probe?: boolean; wallMs?: number },
  ): Promise<{ headers: Record<string, string>; body: string }>;
  /** The fields with the paid amount replaced, as a tampering middlebox would. */
  tamperAmount(fields: Readonly<Record<string, string>>, amountFen: number): Record<string, string>;
  /**
   * The fields naming another merchant: the app id given (or the real one with its last character
   * changed) and, when given, another seller. Everything else, the amount included, is left as it is.
   */
  tamperIdentity(fields: Readonly<Record<string, string>>, identity: { readonly appId?: string; readonly sellerId?: string }): Record<string, string>;
  /** Whether the merchant's answer acknowledges the notification. */
  isAcknowledged(status: number, body: string): boolean;
}

/**
 * Everything the engine needs from a channel: its notification rules and the shapes of the identifiers
 * it hands out. Ids are drawn from the random source given, so the same seed gives the same ids.
 */
export interface ChannelDialect extends NotificationDialect {
  /** The channel's own number for a new trade (Alipay: 28 digits starting with the Beijing date). */
  tradeNo(random: Random, nowMs: number): string;
  /** The id of a new notification, kept across its retries (Alipay's notify_id). */
  notificationId(random: Random, nowMs: number): string;
  /** The channel's number for an accepted refund. */
  refundNo(random: Random, trade: Trade, nowMs: number): string;
  /** The shape of a merchant id the channel hands out (Alipay app_id: 16 digits); a chosen one must match it. */
  readonly appIdPattern: RegExp;
  /** A new merchant id of that shape. */
  freshAppId(random: Random): string;
  /** The merchant's account at the channel (Alipay: a 2088… PID). */
  sellerId(random: Random): string;
  /** A buyer as the channel shows them to the merchant. */
  buyer(random: Random, faker: Faker): Buyer;
  /** The method and path names of this channel's refund call, for fault rules of the refund layer. */
  readonly refundApis: readonly string[];
  /** How long a trade stays payable when the request names no expiry (Alipay: 15 days). */
  readonly tradeLifetimeMsDefault: number;
  /** How long after payment a trade can be refunded before it is finished (Alipay: 3 months). */
  readonly refundWindowMsDefault: number;
  /**
   * Completes a new app with what else the channel keeps for it (WeChat Pay: the APIv3 key, the platform
   * certificate and public key id); `channelData` holds what registration already read. Absent: nothing.
   */
  completeApp?(app: App, random: Random): App | Promise<App>;
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
  /** With `forge`: the channel's probe signature rather than a foreign key's. */
  readonly probe?: boolean;
}

/**
 * A seam for fault injection: it may change or suppress one delivery attempt. Called in line, not as an
 * event listener, so an interceptor that throws fails the attempt visibly instead of never firing.
 */
export interface NotificationInterceptor {
  plan(notification: Notification, attempt: number, extra: boolean): NotificationPlan;
  /** After each attempt went out (or was dropped), before it is recorded. */
  afterAttempt(notification: Notification): void;
}

/** Seams for fault injection on the trade's timeline, called in line by the operation that changed it. */
export interface TradeInterceptor {
  afterPaid(trade: Trade): void;
  /** An unpaid trade was closed (merchant, cancel or expiry; a refunded trade closing is not this). */
  afterClosed(trade: Trade, reason: CloseReason): void;
}

export interface EngineContext {
  readonly store: Store;
  readonly clock: Clock;
  /** Real time, for signature timestamps a client checks against its own clock (never for state). */
  readonly wallClock: WallClock;
  readonly random: Random;
  readonly faker: Faker;
  readonly events: EventBus<SimEvent>;
  readonly config: EngineConfig;
  readonly dialects: Map<ChannelName, ChannelDialect>;
  notificationInterceptor?: NotificationInterceptor;
  tradeInterceptor?: TradeInterceptor;
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
  /** The simulator's own bookkeeping: `clock`, where virtual time stood (see storedVirtualTimeMs). */
  meta: 'meta',
} as const;

/** The `meta` record of virtual time, so that a restart on the same data dir resumes it. */
interface VirtualTimeRecord {
  readonly nowMs: number;
}

const virtualTimeKey = 'clock';

/** Where virtual time stood when it was last stored; undefined in a store that never ran one. */
export function storedVirtualTimeMs(store: Store): number | undefined {
  const record = store.get<VirtualTimeRecord>(collections.meta, virtualTimeKey);
  if (record === undefined) return undefined;
  if (!Number.isSafeInteger(record.nowMs)) throw new Error(`the stored virtual time ${JSON.stringify(record)} is not an epoch-ms integer; the data dir is damaged`);
  return record.nowMs;
}

export function storeVirtualTime(nowMs: number): Mutation {
  return put(collections.meta, virtualTimeKey, { nowMs } satisfies VirtualTimeRecord);
}

/** The channel's dialect; a missing one is a bug of the composition root, not a runtime outcome. */
export function dialectOf(ctx: EngineContext, channel: ChannelName): ChannelDialect {
  const dialect = ctx.dialects.get(channel);
  if (!dialect) throw new Error(`no dialect registered for channel "${channel}"; install it (e.g. installAlipay) before the engine serves requests`);
  return dialect;
}

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
