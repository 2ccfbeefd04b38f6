// A state change and the notification that reports it are stored in one commit. With two commits, a
// process killed between them keeps a paid trade (or a finished refund) whose merchant is never told.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FileStore } from '../../../lib/store/file-store.ts';
import type { Mutation, Store } from '../../../lib/store/store.ts';
import type { EngineConfig } from '../../../simulator/engine/config.ts';
import type { Notification, Refund, Trade } from '../../../simulator/engine/types.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { createTrade, RecordingStore, startEngine, type TestEngine } from './support.ts';

let receiver: MerchantReceiver;
let now = () => 0;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  receiver = await startMerchantReceiver(() => now());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await receiver.close();
});

async function engineOn(store: Store, config: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const started = await startEngine(store, { config });
  now = () => started.clock.now();
  cleanups.push(async () => started.engine.stop());
  return started;
}

const puts = (commit: readonly Mutation[], collection: string) =>
  commit.flatMap((mutation) => (mutation.op === 'put' && mutation.collection === collection ? [mutation.value] : []));

/** The one commit that stored a trade in this state; fails when there is none or more than one. */
function commitStoring(store: RecordingStore, outTradeNo: string, state: Trade['state']['kind']): Mutation[] {
  const matching = store.commits.filter((commit) => (puts(commit, 'trades') as Trade[]).some((trade) => trade.outTradeNo === outTradeNo && trade.state.kind === state));
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

const notificationKinds = (commit: readonly Mutation[]) => (puts(commit, 'notifications') as Notification[]).map((notification) => notification.kind);

it('stores a paid trade and its trade_paid notification in one commit', async () => {
  const store = new RecordingStore();
  const { engine } = await engineOn(store);
  const trade = await createTrade(engine, 'ONE-PAY', { notifyUrl: receiver.notifyUrl('pay') });
  await engine.trades.pay(trade.key);
  expect(notificationKinds(commitStoring(store, 'ONE-PAY', 'paid'))).toEqual(['trade_paid']);
  expect(engine.outbox.all().map((notification) => notification.kind)).toEqual(['trade_paid']);
});

it('stores a trade closed by the merchant and its trade_closed notification in one commit', async () => {
  const store = new RecordingStore();
  const { engine } = await engineOn(store);
  const trade = await createTrade(engine, 'ONE-CLOSE', { notifyUrl: receiver.notifyUrl('close') });
  await engine.trades.close(trade.key, 'merchant_close');
  expect(notificationKinds(commitStoring(store, 'ONE-CLOSE', 'closed'))).toEqual(['trade_closed']);
});

it('stores a trade whose refund window ended and its trade_finished notification in one commit', async () => {
  const store = new RecordingStore();
  const { engine, clock } = await engineOn(store, { refundWindowMs: 60_000 });
  const trade = await createTrade(engine, 'ONE-FINISH', { notifyUrl: receiver.notifyUrl('finish') });
  await engine.trades.pay(trade.key);
  await clock.advance(60_000);
  expect(notificationKinds(commitStoring(store, 'ONE-FINISH', 'finished'))).toEqual(['trade_finished']);
  expect(receiver.notifications('finish').map((arrival) => arrival.params.trade_status)).toEqual(['TRADE_SUCCESS', 'TRADE_FINISHED']);
});

it('stores a succeeded refund, the trade it closes and its refund notification in one commit', async () => {
  const store = new RecordingStore();
  const { engine, clock } = await engineOn(store);
  const trade = await createTrade(engine, 'ONE-REFUND', { notifyUrl: receiver.notifyUrl('refund') });
  await engine.trades.pay(trade.key);
  await engine.refunds.request({ tradeKey: trade.key, outRequestNo: 'ONE-REFUND-R1', amountFen: trade.amountFen });
  await clock.advance(engine.config.refundDelayMs);
  const commit = store.commits.find((mutations) => (puts(mutations, 'refunds') as Refund[]).some((refund) => refund.state.kind === 'succeeded'))!;
  expect((puts(commit, 'trades') as Trade[]).map((stored) => stored.state.kind)).toEqual(['closed']);
  expect(notificationKinds(commit)).toEqual(['refund_succeeded']);
});

/**
 * A FileStore that, when a commit matching `crashAt` is durable, copies the data dir's files before the
 * caller goes on: the disk exactly as a kill right after that commit would leave it.
 */
class CrashImageStore implements Store {
  constructor(
    private readonly inner: FileStore,
    private readonly dataDir: string,
    private readonly imageDir: string,
    private readonly crashAt: (mutations: readonly Mutation[]) => boolean,
  ) {}

  get<T>(collection: string, key: string): T | undefined {
    return this.inner.get<T>(collection, key);
  }
  all<T>(collection: string): T[] {
    return this.inner.all<T>(collection);
  }
  count(collection: string): number {
    return this.inner.count(collection);
  }
  durable(): Promise<void> {
    return this.inner.durable();
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  commit(mutations: readonly Mutation[]): Promise<void> {
    const done = this.inner.commit(mutations);
    if (!this.crashAt(mutations)) return done;
    return done.then(() => {
      mkdirSync(this.imageDir, { recursive: true });
      // The lock belongs to the running process, which a kill would have ended.
      for (const name of readdirSync(this.dataDir)) if (!name.endsWith('.lock')) copyFileSync(join(this.dataDir, name), join(this.imageDir, name));
    });
  }
}

it('delivers the trade_paid notification after a kill right after the payment was committed', async () => {
  const root = await mkdtemp(join(tmpdir(), 'paysim-notify-crash-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, 'running');
  const imageDir = join(root, 'after-kill');
  const isPayment = (mutations: readonly Mutation[]) => (puts(mutations, 'trades') as Trade[]).some((trade) => trade.state.kind === 'paid');
  const files = await FileStore.open({ dataDir, name: 'simulator' });
  cleanups.push(() => files.close());
  const { engine } = await engineOn(new CrashImageStore(files, dataDir, imageDir, isPayment));
  const trade = await createTrade(engine, 'CRASH-PAY', { notifyUrl: receiver.notifyUrl('crash') });
  await engine.trades.pay(trade.key);

  const restartedFiles = await FileStore.open({ dataDir: imageDir, name: 'simulator' });
  cleanups.push(() => restartedFiles.close());
  const restarted = await engineOn(restartedFiles);
  expect(restarted.engine.trades.get(trade.key)?.state.kind).toBe('paid');
  expect(restarted.engine.outbox.all()).toMatchObject([{ kind: 'trade_paid', tradeKey: trade.key, state: 'pending' }]);
  await restarted.clock.advance(0);
  expect(receiver.notifications('crash').map((arrival) => arrival.params.out_trade_no)).toEqual(['CRASH-PAY']);
});
