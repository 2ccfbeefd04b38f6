// Keyed timers on the injected Clock: at most one per key (a payment's next query, a refund's next
// poll, an order's expiry, a notification's next attempt). Everything scheduled is derived from a
// stored record, so a restart re-arms the same work from the store; nothing lives only here.
import type { Clock, TimerHandle } from '../../lib/clock.ts';

export interface SchedulerOptions {
  readonly pendingMax: number;
  /**
   * A task threw: a bug, or a store that refuses writes, since tasks handle channel failures themselves.
   * Retried after `retryMs`, then after twice as long each time it throws again, up to `retryMaxMs`, so
   * that a task that keeps failing does not query the channel every minute for days (channels rate-limit
   * queries, and the limit is the merchant's, shared with every other call). A run that succeeds resets it.
   */
  readonly onTaskError: (label: string, error: unknown) => void;
  readonly retryMs: number;
  /** Default: an hour, or `retryMs` when that is longer. */
  readonly retryMaxMs?: number;
}

const retryMaxMsDefault = 3_600_000;

export class Scheduler {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly running = new Set<Promise<void>>();
  private readonly runningByKey = new Map<string, Promise<void>>();
  /** Keys whose last run threw, with how many runs in a row did. */
  private readonly failures = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: SchedulerOptions,
  ) {}

  /** Runs `task` at `atMs` under `key`, replacing whatever was scheduled under that key. */
  arm(key: string, atMs: number, task: () => Promise<void>): void {
    if (this.stopped) return;
    this.cancelTimer(key);
    if (this.timers.size >= this.options.pendingMax) {
      throw new RangeError(`core scheduler holds ${this.timers.size} tasks, its limit (scheduledTasksMax); refusing ${key}`);
    }
    const handle = this.clock.schedule(atMs, () => this.run(key, handle, task), key);
    this.timers.set(key, handle);
  }

  /** Drops the key's timer: its work is done or gone. */
  disarm(key: string): void {
    this.cancelTimer(key);
    this.failures.delete(key);
  }

  private cancelTimer(key: string): void {
    const handle = this.timers.get(key);
    if (handle === undefined) return;
    this.clock.cancel(handle);
    this.timers.delete(key);
  }

  isArmed(key: string): boolean {
    return this.timers.has(key);
  }

  atMsOf(key: string): number | undefined {
    return this.timers.get(key)?.atMs;
  }

  /** The wait before retrying a task that threw `failed` runs in a row: doubling from `retryMs`, capped. */
  retryDelayMs(failed: number): number {
    const { retryMs } = this.options;
    const capMs = Math.max(retryMs, this.options.retryMaxMs ?? retryMaxMsDefault);
    return Math.min(retryMs * 2 ** Math.min(failed - 1, 40), capMs);
  }

  size(): number {
    return this.timers.size;
  }

  /** Cancels every timer and waits for tasks already running to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.timers.values()) this.clock.cancel(handle);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private run(key: string, handle: TimerHandle, task: () => Promise<void>): Promise<void> {
    if (this.timers.get(key) === handle) this.timers.delete(key);
    if (this.stopped) return Promise.resolve();
    // A task often arms its successor before it has finished; the successor waits for it, so two runs
    // of one key never overlap (the virtual clock moves on to a newly armed timer at once).
    const previous = this.runningByKey.get(key) ?? Promise.resolve();
    const running = previous
      .then(() => (this.stopped ? undefined : task()))
      .then(() => void this.failures.delete(key))
      .catch((error: unknown) => {
        this.options.onTaskError(key, error);
        const failed = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failed);
        // A bug must not make the work disappear: try again later unless something re-armed it.
        if (!this.stopped && !this.timers.has(key)) this.arm(key, this.clock.now() + this.retryDelayMs(failed), task);
      });
    this.runningByKey.set(key, running);
    this.running.add(running);
    void running.finally(() => {
      this.running.delete(running);
      if (this.runningByKey.get(key) === running) this.runningByKey.delete(key);
    });
    return running;
  }
}

/** Concurrent callers of the same key share one run: ten duplicate notifies cause one channel query. */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  current(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }
}
