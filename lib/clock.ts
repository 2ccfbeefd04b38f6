// One Clock for every piece of paysim: `now`, `schedule`, `cancel`, `sleep`. Engine and domain code
// never read the wall clock or call setTimeout; they are handed a Clock built once where a server or a
// scenario starts. The virtual clock lets a 25-hour notify schedule run in milliseconds.

export type ClockTask = () => unknown | Promise<unknown>;

export interface ScheduleOptions {
  /**
   * Declares the task independent of every task due at the same instant under another key (the outbox
   * keys each attempt by its notification): a virtual clock may run such tasks at once. A task without a
   * key, or with the key of one already running, runs alone, as every task did before.
   */
  readonly key?: string;
}

/**
 * A task's place in the order of effects. Taken synchronously when the task starts (its first line);
 * `run` runs the task's effects (events, store writes, further scheduling) once every task started
 * before it at the same instant has run its own or finished, so that tasks running at once land their
 * effects in the order they started, whatever order their I/O finished in.
 */
export interface Turn {
  run<T>(effects: () => T): Promise<T>;
}

const immediateTurn: Turn = { run: async (effects) => effects() };

export interface TimerHandle {
  readonly id: number;
  readonly atMs: number;
  readonly label: string;
}

export interface Clock {
  readonly kind: 'real' | 'virtual';
  now(): number;
  /** Runs `task` when the clock reaches `atMs` (immediately on the next turn if that is in the past). */
  schedule(atMs: number, task: ClockTask, label?: string, options?: ScheduleOptions): TimerHandle;
  cancel(handle: TimerHandle | undefined): void;
  /** The calling task's turn (see Turn); outside a task's start, a turn that runs effects at once. */
  turn(): Turn;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
  /** Number of scheduled tasks not yet run. */
  pendingCount(): number;
  /** Cancels every pending task; used when a server stops. */
  stop(): void;
}

export interface ClockOptions {
  /** Called when a scheduled task throws; tasks are expected to handle their own failures. */
  onTaskError?: (error: unknown, label: string) => void;
  /** Limit on pending tasks: exceeding it is a bug or a runaway schedule, so it fails loudly. */
  pendingMax?: number;
  /**
   * Virtual clock: how many independent tasks due at one instant may run at once. Default 1, one after
   * another: a clock shared with a merchant that schedules its own tasks on it (the core in `paysim up`,
   * scenarios, the swarm) stays serial, since the clock cannot tell such a merchant's scheduling from a
   * task of a group waiting on later time. A simulator's own clock uses `simulatorClockConcurrency`.
   */
  concurrency?: number;
  /**
   * Virtual clock: a task scheduled for the current instant (a notification due now) runs without an
   * advance, on the next turn of the event loop, as if `advance(0)` had been called; time never moves by
   * itself. Off by default: scenarios and tests move time, and so the order of everything, themselves.
   */
  runDueNow?: boolean;
}

/** The concurrency of a simulator's own virtual clock (`paysim sim --clock virtual`, `createSimulator` without `sharedClock`). */
export const simulatorClockConcurrency = 64;

const defaultPendingMax = 1_000_000;
const setTimeoutMaxMs = 2_147_483_647;

function reportTaskError(error: unknown, label: string): void {
  process.emitWarning(`scheduled task "${label}" failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Wall-clock time, optionally running `timeScale` times faster than real time. */
export class RealClock implements Clock {
  readonly kind = 'real' as const;
  private readonly originMs: number;
  private readonly originRealMs: number;
  private readonly timers = new Map<number, { handle: TimerHandle; timeout: NodeJS.Timeout }>();
  private nextId = 1;

  constructor(
    private readonly timeScale = 1,
    private readonly options: ClockOptions = {},
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`time scale must be a positive number, got ${timeScale}`);
    this.originRealMs = Date.now();
    this.originMs = this.originRealMs;
  }

  now(): number {
    return Math.floor(this.originMs + (Date.now() - this.originRealMs) * this.timeScale);
  }

  schedule(atMs: number, task: ClockTask, label = 'task', _options?: ScheduleOptions): TimerHandle {
    if (this.timers.size >= (this.options.pendingMax ?? defaultPendingMax)) {
      throw new RangeError(`clock has ${this.timers.size} pending tasks, the limit; refusing "${label}"`);
    }
    const handle: TimerHandle = { id: this.nextId++, atMs, label };
    this.arm(handle, task);
    return handle;
  }

  private arm(handle: TimerHandle, task: ClockTask): void {
    const waitMs = Math.max(0, (handle.atMs - this.now()) / this.timeScale);
    const timeout = setTimeout(() => {
      if (this.now() < handle.atMs) return this.arm(handle, task); // a wait longer than setTimeout allows
      this.timers.delete(handle.id);
      Promise.resolve()
        .then(task)
        .catch((error) => (this.options.onTaskError ?? reportTaskError)(error, handle.label));
    }, Math.min(Math.ceil(waitMs), setTimeoutMaxMs));
    timeout.unref();
    this.timers.set(handle.id, { handle, timeout });
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = this.timers.get(handle.id);
    if (timer) clearTimeout(timer.timeout);
    this.timers.delete(handle.id);
  }

  /** Real time orders nothing: effects run as the tasks' I/O completes. */
  turn(): Turn {
    return immediateTurn;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waitMs = Math.max(0, ms / this.timeScale);
      setTimeout(resolve, Math.min(Math.ceil(waitMs), setTimeoutMaxMs));
    });
  }

  pendingCount(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const { timeout } of this.timers.values()) clearTimeout(timeout);
    this.timers.clear();
  }
}

interface VirtualEntry {
  handle: TimerHandle;
  task: ClockTask;
  sequence: number;
  key: string | undefined;
}

/** A started task's place in its window's order of effects. */
interface Started {
  /** Resolves once every task started before this one in its window has run its effects or finished. */
  readonly previousDone: Promise<void>;
  /** Resolves once this task has run its effects (or finished) and so has every one before it. */
  readonly done: Promise<void>;
  readonly finish: () => void;
}

/**
 * Virtual time: nothing happens until `advance` is called. Tasks run in time order (ties in the order
 * they were scheduled). A task is awaited before the next starts, unless it is itself waiting on a later
 * virtual timer (a task that sleeps), in which case time moves on to that timer and every task still
 * running is awaited before `advance` returns.
 *
 * Tasks due at the same instant that were scheduled with distinct keys (`ScheduleOptions.key`) are
 * independent: up to `concurrency` of them, consecutive in that order, start together as one window
 * (in order, each one's synchronous start before the next's), and the window is awaited as a whole. Their
 * I/O overlaps; their effects, run through `turn().run`, land in the order they started. With
 * `concurrency: 1` (the default), or for tasks without a key, every task runs alone as described above.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  readonly concurrency: number;
  private currentMs: number;
  private readonly entries: VirtualEntry[] = [];
  private sequence = 0;
  private nextId = 1;
  /**
   * Counts sleep() calls: a sleep is the one way code waits on later virtual time, so a wait for running
   * tasks can tell that one of them (or a request it is waiting on) may be waiting on a later timer.
   */
  private sleepCount = 0;
  private sleepSignal: (() => void) | undefined;
  /** The task whose synchronous start is running: `turn()` hands out its turn. */
  private starting: Started | undefined;
  private advancing: Promise<void> = Promise.resolve();
  private dueNowQueued = false;

  constructor(
    startMs: number,
    private readonly options: ClockOptions = {},
  ) {
    this.currentMs = startMs;
    const concurrency = options.concurrency ?? 1;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.concurrency = concurrency;
  }

  now(): number {
    return this.currentMs;
  }

  schedule(atMs: number, task: ClockTask, label = 'task', options: ScheduleOptions = {}): TimerHandle {
    return this.insert(atMs, task, label, options.key, false);
  }

  private insert(atMs: number, task: ClockTask, label: string, key: string | undefined, isSleep: boolean): TimerHandle {
    if (this.entries.length >= (this.options.pendingMax ?? defaultPendingMax)) {
      throw new RangeError(`virtual clock has ${this.entries.length} pending tasks, the limit; refusing "${label}"`);
    }
    const handle: TimerHandle = { id: this.nextId++, atMs: Math.max(atMs, this.currentMs), label };
    const entry: VirtualEntry = { handle, task, sequence: this.sequence++, key };
    // Keep entries sorted by (atMs, sequence); insertion from the back is cheap for typical schedules.
    let index = this.entries.length;
    while (index > 0 && this.entries[index - 1]!.handle.atMs > handle.atMs) index--;
    this.entries.splice(index, 0, entry);
    if (isSleep) {
      this.sleepCount++;
      this.sleepSignal?.();
    }
    if (this.options.runDueNow && handle.atMs <= this.currentMs) this.queueDueNow();
    return handle;
  }

  /** `runDueNow`: runs what is due at the current instant once the caller's turn of the event loop ends. */
  private queueDueNow(): void {
    if (this.dueNowQueued) return;
    this.dueNowQueued = true;
    setImmediate(() => {
      this.dueNowQueued = false;
      // Serialised with the advances, like one; an advance already running picks these tasks up itself.
      const run = this.advancing.then(() => this.runUntil(this.currentMs));
      this.advancing = run.catch(() => undefined);
    }).unref();
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const index = this.entries.findIndex((entry) => entry.handle.id === handle.id);
    if (index >= 0) this.entries.splice(index, 1);
  }

  turn(): Turn {
    const started = this.starting;
    if (!started) return immediateTurn;
    return {
      run: async (effects) => {
        await started.previousDone;
        try {
          return effects();
        } finally {
          started.finish();
        }
      },
    };
  }

  sleep(ms: number): Promise<void> {
    // A sleep is waiting on later time by definition, wherever it is called from.
    return new Promise((resolve) => {
      this.insert(this.currentMs + Math.max(0, ms), resolve, 'sleep', undefined, true);
    });
  }

  pendingCount(): number {
    return this.entries.length;
  }

  /** Every pending task's handle (time and label), in the order they will run: what a scenario waits for. */
  pending(): readonly TimerHandle[] {
    return this.entries.map((entry) => entry.handle);
  }

  /** The time of the next pending task, if any. */
  nextAtMs(): number | undefined {
    return this.entries[0]?.handle.atMs;
  }

  /** Moves time forward by `ms`, running every task that falls due, in order. Calls are serialised. */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance takes a non-negative number of ms, got ${ms}`);
    const run = this.advancing.then(() => this.runUntil(this.currentMs + ms));
    this.advancing = run.catch(() => undefined);
    return run;
  }

  /** Moves time to `atMs` (no-op if already past). */
  advanceTo(atMs: number): Promise<void> {
    return this.advance(Math.max(0, atMs - this.currentMs));
  }

  private async runUntil(targetMs: number): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const next = this.entries[0];
      const sleepsBefore = this.sleepCount;
      if (next && next.handle.atMs <= targetMs) {
        this.currentMs = Math.max(this.currentMs, next.handle.atMs);
        const window = this.startWindow(next.handle.atMs);
        for (const running of window) {
          inFlight.add(running);
          void running.finally(() => inFlight.delete(running));
        }
        await this.settledOrSleeping(window, window.length === 1 ? 'any' : 'all', sleepsBefore);
        continue;
      }
      if (inFlight.size === 0) break;
      await this.settledOrSleeping([...inFlight], 'any', sleepsBefore);
    }
    this.currentMs = Math.max(this.currentMs, targetMs);
  }

  /**
   * Takes the first pending task and, if it has a key, the keyed tasks right behind it that are due at the
   * same instant under other keys, up to `concurrency`, and starts them in that order. Each is taken just
   * before it starts, so one that an earlier start cancels does not run.
   */
  private startWindow(atMs: number): Promise<void>[] {
    const window: Promise<void>[] = [];
    const keys = new Set<string>();
    let previousDone = Promise.resolve();
    for (;;) {
      const entry = this.entries[0];
      if (!entry) break;
      if (window.length > 0) {
        if (window.length >= this.concurrency || entry.key === undefined || keys.has(entry.key) || entry.handle.atMs !== atMs) break;
      }
      this.entries.shift();
      const { settled, done } = this.start(entry, previousDone);
      window.push(settled);
      previousDone = done;
      if (entry.key === undefined) break;
      keys.add(entry.key);
    }
    return window;
  }

  private start(entry: VirtualEntry, previousDone: Promise<void>): { settled: Promise<void>; done: Promise<void> } {
    let finish!: () => void;
    const own = new Promise<void>((resolve) => (finish = resolve));
    const started: Started = { previousDone, done: Promise.all([previousDone, own]).then(() => undefined), finish };
    this.starting = started;
    let result: unknown;
    try {
      result = entry.task();
    } catch (error) {
      result = Promise.reject(error);
    } finally {
      this.starting = undefined;
    }
    const settled = (async () => {
      try {
        await result;
      } catch (error) {
        (this.options.onTaskError ?? reportTaskError)(error, entry.handle.label);
      } finally {
        finish();
      }
    })();
    return { settled, done: started.done };
  }

  /**
   * Resolves when `running` has settled (any one of it, or all of it for a window of same-instant tasks),
   * or earlier when a sleep has begun since `sleepsBefore`: a task, or a request it waits on, may then be
   * waiting on later virtual time, which must be free to move. Nothing else lets time move while a task
   * runs: a timer a task arms (its own follow-up) is not something it waits on, so the task's I/O ends at
   * the instant it started, whatever the event loop's timing (same seed, same run).
   */
  private settledOrSleeping(running: Promise<void>[], mode: 'any' | 'all', sleepsBefore: number): Promise<void> {
    if (this.sleepCount !== sleepsBefore) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.sleepSignal = undefined;
        resolve();
      };
      this.sleepSignal = done;
      if (mode === 'all') void Promise.all(running).then(done);
      else for (const promise of running) void promise.then(done);
    });
  }

  stop(): void {
    this.entries.length = 0;
  }
}

/**
 * Real time in epoch ms, whatever the simulation's clock says. Some protocols compare signature
 * timestamps with the client's own wall clock (WeChat Pay's ±5 minutes), so those timestamps must not
 * follow a virtual or scaled clock. Injected like the Clock, so tests can pin it.
 */
export type WallClock = () => number;

export const systemWallClock: WallClock = () => Date.now();

/** Default start of virtual time: 2026-01-01 00:00:00 Beijing time, so runs do not depend on today. */
export const virtualEpochMs = Date.UTC(2025, 11, 31, 16, 0, 0);

export type ClockKind = 'real' | 'virtual';

export function createClock(kind: ClockKind, options: ClockOptions & { timeScale?: number; startMs?: number } = {}): Clock {
  return kind === 'virtual'
    ? new VirtualClock(options.startMs ?? virtualEpochMs, options)
    : new RealClock(options.timeScale ?? 1, options);
}
