// An engine on the virtual clock with the Alipay dialect and one app, on whatever store a test gives it:
// the engine tests look at what the engine writes, so they build it without an HTTP server.
import { VirtualClock, virtualEpochMs } from '../../../lib/clock.ts';
import { Random } from '../../../lib/random.ts';
import { MemoryStore, type Mutation, type Store } from '../../../lib/store/store.ts';
import { alipayModule } from '../../../simulator/channels/alipay/index.ts';
import type { EngineConfig } from '../../../simulator/engine/config.ts';
import { Engine } from '../../../simulator/engine/engine.ts';
import type { CreateTradeInput } from '../../../simulator/engine/trades.ts';
import type { Trade } from '../../../simulator/engine/types.ts';
import { fixtureKeys } from '../../support/keys.ts';

export const appId = '2021000000000001';

/** A memory store that keeps the list of every commit, in order, as it was handed over. */
export class RecordingStore extends MemoryStore {
  readonly commits: Mutation[][] = [];

  override commit(mutations: readonly Mutation[]): Promise<void> {
    this.commits.push([...mutations]);
    return super.commit(mutations);
  }
}

export interface TestEngine {
  readonly engine: Engine;
  readonly clock: VirtualClock;
}

export async function startEngine(store: Store, options: { seed?: number; config?: Partial<EngineConfig>; registerApp?: boolean } = {}): Promise<TestEngine> {
  const clock = new VirtualClock(virtualEpochMs);
  const engine = new Engine({ store, clock, random: new Random(options.seed ?? 1), ...(options.config ? { config: options.config } : {}) });
  alipayModule.install(engine, {}, () => 'http://paysim.test');
  if (options.registerApp ?? true) {
    await engine.apps.register({ channel: 'alipay', appId, merchantPublicKeyPem: fixtureKeys.merchant.publicKeyPem, channelKeys: fixtureKeys.channel });
  }
  engine.start();
  return { engine, clock };
}

export async function createTrade(engine: Engine, outTradeNo: string, extra: Partial<CreateTradeInput> = {}): Promise<Trade> {
  const outcome = await engine.trades.create({ channel: 'alipay', appId, outTradeNo, product: 'barcode', amountFen: 1_000, subject: '测试', visible: true, ...extra });
  if (outcome.kind !== 'created') throw new Error(`expected trade ${outTradeNo} to be created, got ${outcome.kind}`);
  return outcome.trade;
}
