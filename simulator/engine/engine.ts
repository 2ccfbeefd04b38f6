// The channel-neutral engine: apps, trades, refunds, the notification outbox, the journal. Built once
// with its clock, random source and store; dialects register their notification and identifier hooks.
import type { Faker } from '@faker-js/faker';
import { systemWallClock, type Clock, type WallClock } from '../../lib/clock.ts';
import { EventBus } from '../../lib/events.ts';
import { createFaker, type Random } from '../../lib/random.ts';
import { remove, type Store } from '../../lib/store/store.ts';
import { Apps } from './apps.ts';
import { billRecords, type BillRecords } from './bills.ts';
import { defaultEngineConfig, type EngineConfig } from './config.ts';
import { collections, dialectOf, type ChannelDialect, type EngineContext } from './context.ts';
import type { SimEvent } from './events.ts';
import { Journal } from './journal.ts';
import { Outbox } from './outbox.ts';
import { Refunds } from './refunds.ts';
import { Trades } from './trades.ts';
import { FaultBook } from '../faults/book.ts';
import { installFaultHooks } from '../faults/hooks.ts';
import { BillFaults } from '../faults/bill.ts';
import type { ChannelName, Trade } from './types.ts';
import type { ExchangeInterceptor } from '../exchange/pipeline.ts';

export interface EngineOptions {
  store: Store;
  clock: Clock;
  /** Real time for signature timestamps; default the system's. */
  wallClock?: WallClock;
  random: Random;
  config?: Partial<EngineConfig>;
}

export class Engine {
  readonly events = new EventBus<SimEvent>();
  readonly ctx: EngineContext;
  readonly apps: Apps;
  readonly outbox: Outbox;
  readonly trades: Trades;
  readonly refunds: Refunds;
  readonly journal: Journal;
  readonly faults: FaultBook;
  readonly billFaults: BillFaults;
  private readonly faultHooks: { reset(): void };
  /** What decides the faults of each gateway exchange, in order; the rule book first. */
  readonly exchangeInterceptors: ExchangeInterceptor[];

  constructor(options: EngineOptions) {
    const config: EngineConfig = {
      ...defaultEngineConfig,
      ...options.config,
      limits: { ...defaultEngineConfig.limits, ...options.config?.limits },
    };
    // Faker loads on the first name it makes; its stream is forked from the seed either way, so when it
    // loads changes no draw.
    const fakerRandom = options.random.fork('faker');
    let faker: Faker | undefined;
    this.ctx = {
      store: options.store,
      clock: options.clock,
      wallClock: options.wallClock ?? systemWallClock,
      random: options.random.fork('engine'),
      get faker() {
        return (faker ??= createFaker(fakerRandom));
      },
      events: this.events,
      config,
      dialects: new Map(),
    };
    this.journal = new Journal(this.events, config.limits.journalEntriesMax);
    this.apps = new Apps(this.ctx);
    this.outbox = new Outbox(this.ctx);
    this.trades = new Trades(this.ctx, this.outbox);
    this.refunds = new Refunds(this.ctx, this.trades, this.outbox);
    this.faults = new FaultBook(options.random.fork('faults'), this.events, options.clock);
    this.faultHooks = installFaultHooks(this, this.faults);
    this.billFaults = new BillFaults(this.faults);
    this.exchangeInterceptors = [{ name: 'fault rules', decide: (exchange, oneOff) => this.faults.fire(exchange, oneOff) }];
  }

  /** The trade as a merchant's query sees it (fault injection can make it lag). */
  viewForQuery(trade: Trade): Trade {
    return this.ctx.tradeView?.(trade) ?? trade;
  }

  get clock(): Clock {
    return this.ctx.clock;
  }

  get config(): EngineConfig {
    return this.ctx.config;
  }

  /** How long after payment a trade of `channel` stays refundable: the configured override, else the channel's own. */
  refundWindowMs(channel: ChannelName): number {
    return this.ctx.config.refundWindowMs ?? dialectOf(this.ctx, channel).refundWindowMsDefault;
  }

  /** A channel's notification rules and identifier shapes; trades of that channel need it. */
  registerDialect(channel: ChannelName, dialect: ChannelDialect): void {
    this.ctx.dialects.set(channel, dialect);
  }

  /** Rebuilds indexes and re-arms every timer from the stored records. */
  start(): void {
    this.ctx.stopped = false;
    this.trades.resume();
    this.refunds.resume();
    this.outbox.resume();
  }

  stop(): void {
    this.ctx.stopped = true;
    this.trades.cancelTimers();
    this.refunds.cancelTimers();
    this.outbox.cancelAll();
  }

  billRecords(channel: ChannelName, appId: string, billDate: string): BillRecords {
    const trades = this.trades.all().filter((trade) => trade.channel === channel && trade.appId === appId);
    const refunds = this.refunds.all().filter((refund) => refund.channel === channel && refund.appId === appId);
    return billRecords(trades, refunds, billDate);
  }

  /** Forgets every trade, refund and notification (apps and their keys stay). */
  async reset(): Promise<void> {
    this.stop();
    const mutations = [collections.trades, collections.refunds, collections.notifications].flatMap((name) =>
      this.ctx.store.all<{ key?: string; id?: string }>(name).map((record) => remove(name, (record.key ?? record.id)!)),
    );
    await this.ctx.store.commit(mutations);
    this.journal.clear();
    this.billFaults.clear();
    this.faultHooks.reset();
    this.start();
    this.events.emit({ type: 'sim.reset', atMs: this.ctx.clock.now() });
  }
}
