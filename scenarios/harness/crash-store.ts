// The scenario core's disk: a store with the memory store's semantics (every commit applied at once and
// durable at once) until a scenario makes the disk stall. From then on commits are applied in memory, as
// a real store applies them before its fsync returns, but nothing more becomes durable: each commit's
// promise, and `durable()`, wait. A crash then loses whatever was not durable, rejects every waiting
// promise (the process that held them is gone) and hands back the disk as it is, for the restarted core.
import { Collections, put, StoreUnavailableError, type Mutation, type Store } from '../../lib/store/index.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class CrashableStore implements Store {
  /** What the core reads: every commit, durable or not. */
  private readonly live = new Collections();
  /** What survives a crash: the commits made before the disk stalled. */
  private readonly disk = new Collections();
  private stalled = false;
  private crashed = false;
  private readonly waiting: Waiter[] = [];

  /** A store holding `disk`'s records, durable (a restart reads them back). */
  static from(disk: Collections): CrashableStore {
    const store = new CrashableStore();
    const mutations: Mutation[] = [];
    for (const collection of disk.collectionNames()) {
      for (const [key, value] of disk.entries(collection)) mutations.push(put(collection, key, value));
    }
    store.live.apply(mutations);
    store.disk.apply(mutations);
    return store;
  }

  get<T>(collection: string, key: string): T | undefined {
    return this.live.get<T>(collection, key);
  }

  all<T>(collection: string): T[] {
    return this.live.all<T>(collection);
  }

  count(collection: string): number {
    return this.live.count(collection);
  }

  commit(mutations: readonly Mutation[]): Promise<void> {
    if (this.crashed) return Promise.reject(new StoreUnavailableError('the core crashed: its store takes no more writes'));
    this.live.apply(mutations);
    if (!this.stalled) {
      this.disk.apply(mutations);
      return Promise.resolve();
    }
    return this.wait();
  }

  durable(): Promise<void> {
    if (this.crashed) return Promise.reject(new StoreUnavailableError('the core crashed: nothing more becomes durable'));
    // Durable up to here unless a write is waiting on the stalled disk.
    return this.waiting.length > 0 ? this.wait() : Promise.resolve();
  }

  /** From now on nothing becomes durable: commits apply in memory and their promises wait for a sync that never comes. */
  stall(): void {
    this.stalled = true;
  }

  /** Whether commits are waiting on the stalled disk (the core applied something it could not make durable). */
  get waitingWrites(): number {
    return this.waiting.length;
  }

  /**
   * The process dies: every write not durable is lost and every promise waiting on one is rejected. Returns
   * the disk as it is: a new store, durable and not stalled, for the restarted core.
   */
  crash(): CrashableStore {
    this.crashed = true;
    const error = new StoreUnavailableError('the core crashed before this write was durable');
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    return CrashableStore.from(this.disk);
  }

  async close(): Promise<void> {
    this.crashed = true;
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}
