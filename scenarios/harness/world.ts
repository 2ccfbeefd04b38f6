// A scenario's world: a real simulator and a real core in one process on one virtual clock, talking
// HTTP over loopback, and the business system's webhook receiver. Built from the seed, so the same
// seed gives the same numbers, trades and schedule.
import { VirtualClock, virtualEpochMs } from '../../lib/clock.ts';
import { createCore, type Core } from '../../core/app.ts';
import type { JournalEntry } from '../../core/domain/index.ts';
import { collections } from '../../core/services/records.ts';
import { createSimulator, type Simulator } from '../../simulator/server.ts';
import type { JournalEntry as SimJournalEntry } from '../../simulator/engine/journal.ts';
import type { CoreUnderTest } from '../define.ts';
import { startBusinessSystem, type BusinessSystem } from './business-system.ts';
import { connectorOptionsFor } from './connect.ts';
import { CrashableStore } from './crash-store.ts';
import { scenarioKeys } from './keys.ts';

const dayMs = 86_400_000;

/** Scenario time starts at 09:00 Beijing on 2026-01-01; the simulator's app exists from the day before. */
export const scenarioStartMs = virtualEpochMs + 9 * 3_600_000;
const simulatorStartMs = virtualEpochMs - dayMs;

export interface World {
  readonly clock: VirtualClock;
  readonly simulatorUrl: string;
  readonly coreUrl: string;
  readonly businessSystem: BusinessSystem;
  /** The simulator's journal after `sinceSeq`, oldest first, as `GET /_sim/journal?sinceSeq=` gives it, read in this process. */
  journalSince(sinceSeq: number): readonly SimJournalEntry[];
  /** The core's ledger, read from its store: the ledger has no API, and the invariants check it independently. */
  ledger(): readonly JournalEntry[];
  /** From now on the core's disk makes nothing durable: writes apply in memory and their syncs never return. */
  stallCoreDisk(): void;
  /** How many of the core's writes wait on its stalled disk. */
  waitingCoreWrites(): number;
  /**
   * The core's process dies (every write not yet durable is lost, its connections drop) and a new one
   * starts on the same port from what was durable, resuming its scheduled work like any restart.
   * `beforeRestart` runs between the two (while no core is up).
   */
  crashCore(beforeRestart?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly seed: number;
  readonly core?: CoreUnderTest;
  /** Timeout of one connector call to the simulator, real ms (a `hang` fault waits this long). */
  readonly channelTimeoutMs?: number;
  /** The channels the core connects to (default: every channel the simulator serves). */
  readonly channels?: readonly string[];
  /** Timeout of one notification attempt to the core, real ms (a core waiting on a stalled disk is cut off after it). */
  readonly notifyAttemptTimeoutMs?: number;
}

/** Real ms a crash waits for the channel's cut-off notification attempts to land before the core restarts. */
const cutOffLandingWaitMs = 2_000;

export async function startWorld(options: WorldOptions): Promise<World> {
  const clock = new VirtualClock(simulatorStartMs, { onTaskError: () => undefined });
  let simulator: Simulator | undefined;
  let core: Core | undefined;
  let store = new CrashableStore();
  let businessSystem: BusinessSystem | undefined;
  let connectors: Record<string, unknown> = {};
  let webhookUrl = '';
  /** A core process on `port` over the current store: the first start, and each start after a crash. */
  const startCore = async (port: number): Promise<void> => {
    core = await createCore({
      clock,
      store,
      seed: options.seed,
      connectors,
      config: { port, merchantWebhookUrl: webhookUrl, checksIntervalMs: 0, ...options.core?.config },
      ...(options.core?.components ? { components: options.core.components } : {}),
    });
    await core.listen();
  };
  const close = async () => {
    await core?.close();
    await store.close();
    await simulator?.close();
    await businessSystem?.close();
    clock.stop();
  };
  try {
    simulator = await createSimulator({
      port: 0,
      seed: options.seed,
      sharedClock: clock,
      memory: true,
      defaultAppKeys: await scenarioKeys(),
      ...(options.notifyAttemptTimeoutMs !== undefined ? { engine: { notifyAttemptTimeoutMs: options.notifyAttemptTimeoutMs } } : {}),
    });
    await simulator.listen();
    await clock.advanceTo(scenarioStartMs);
    businessSystem = await startBusinessSystem(clock);
    connectors = connectorOptionsFor(simulator, { timeoutMs: options.channelTimeoutMs ?? 500, ...(options.channels ? { channels: options.channels } : {}) });
    webhookUrl = businessSystem.url;
    await startCore(0);
  } catch (error) {
    await close();
    throw error;
  }
  const coreUrl = core!.url;
  return {
    clock,
    simulatorUrl: simulator.url,
    coreUrl,
    businessSystem,
    journalSince: (sinceSeq) => simulator!.engine.journal.list({ sinceSeq }),
    ledger: () => store.all<JournalEntry>(collections.ledger),
    stallCoreDisk: () => store.stall(),
    waitingCoreWrites: () => store.waitingWrites,
    async crashCore(beforeRestart) {
      const restarted = store.crash();
      const crashed = core!;
      core = undefined;
      // The dead process's work in progress ends with its store's rejections; its timers are cancelled.
      await crashed.close();
      // The channel's attempts the crash cut off end now (their connections are gone): let them land first,
      // waiting at most a little real time (one whose landing waits its turn behind later virtual time shows after).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([simulator!.engine.outbox.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, cutOffLandingWaitMs)))]);
      clearTimeout(timer);
      await beforeRestart?.();
      store = restarted;
      await startCore(Number(new URL(coreUrl).port));
    },
    close,
  };
}
