// The store every service persists through. Records live in named collections, keyed by string.
// Reads are synchronous, from memory. A write is a list of mutations applied atomically in memory at
// once (in the same tick, so a check-then-write inside one synchronous block cannot race) and made
// durable before the returned promise resolves. A caller answers its client only after that promise:
// "a mutation the caller is told about is in the journal on disk first".
//
// Records are values: replace them with a new object, never mutate one that is in the store.

export type Mutation =
  | { readonly op: 'put'; readonly collection: string; readonly key: string; readonly value: unknown }
  | { readonly op: 'delete'; readonly collection: string; readonly key: string };

export interface Store {
  get<T>(collection: string, key: string): T | undefined;
  /** Every record of a collection, in first-insertion order. */
  all<T>(collection: string): T[];
  count(collection: string): number;
  /** Applies the mutations atomically now; resolves once they are durable. */
  commit(mutations: readonly Mutation[]): Promise<void>;
  /** Resolves once every mutation applied so far is durable. */
  durable(): Promise<void>;
  /** Flushes, compacts if worthwhile, and releases files. The store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * The store takes no more writes: it was closed under the caller (a shutdown) or its process is gone (a
 * crash). The write was not made durable. Not a bug of the caller's: answer "try again later", never success.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export const put = (collection: string, key: string, value: unknown): Mutation => ({ op: 'put', collection, key, value });
export const remove = (collection: string, key: string): Mutation => ({ op: 'delete', collection, key });

/** Collections held in memory: the state both stores serve reads from. */
export class Collections {
  private readonly data = new Map<string, Map<string, unknown>>();

  get<T>(collection: string, key: string): T | undefined {
    return this.data.get(collection)?.get(key) as T | undefined;
  }

  all<T>(collection: string): T[] {
    return [...(this.data.get(collection)?.values() ?? [])] as T[];
  }

  count(collection: string): number {
    return this.data.get(collection)?.size ?? 0;
  }

  apply(mutations: readonly Mutation[]): void {
    for (const mutation of mutations) {
      let records = this.data.get(mutation.collection);
      if (mutation.op === 'put') {
        if (!records) this.data.set(mutation.collection, (records = new Map()));
        records.set(mutation.key, mutation.value);
      } else {
        records?.delete(mutation.key);
      }
    }
  }

  collectionNames(): string[] {
    return [...this.data.keys()];
  }

  entries(collection: string): IterableIterator<[string, unknown]> {
    return (this.data.get(collection) ?? new Map<string, unknown>()).entries();
  }
}

/** In-memory store, for scenarios and `--memory`: the same semantics with nothing on disk. */
export class MemoryStore implements Store {
  private readonly collections = new Collections();
  private closed = false;

  get<T>(collection: string, key: string): T | undefined {
    return this.collections.get<T>(collection, key);
  }

  all<T>(collection: string): T[] {
    return this.collections.all<T>(collection);
  }

  count(collection: string): number {
    return this.collections.count(collection);
  }

  commit(mutations: readonly Mutation[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('store is closed'));
    this.collections.apply(mutations);
    return Promise.resolve();
  }

  durable(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
