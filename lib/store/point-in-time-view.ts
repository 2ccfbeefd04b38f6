// What a compaction writes: the store exactly as it was at one seq, while commits go on changing it.
// Copying 100k records up front would block the event loop for 50-200 ms, so the view copies only
// the keys (a few ms) and, for each record a later commit changes, its value before the change.

import type { SnapshotSource } from './snapshot-file.ts';
import type { Collections, Mutation } from './store.ts';

const absent = Symbol('absent');

export class PointInTimeView implements SnapshotSource {
  readonly collections: ReadonlyArray<{ readonly name: string; readonly keys: readonly string[] }>;
  readonly recordCount: number;
  private readonly before = new Map<string, Map<string, unknown>>();

  constructor(
    readonly seq: number,
    private readonly live: Collections,
  ) {
    let recordCount = 0;
    this.collections = live.collectionNames().map((name) => {
      const keys: string[] = [];
      for (const [key] of live.entries(name)) keys.push(key);
      recordCount += keys.length;
      return { name, keys };
    });
    this.recordCount = recordCount;
  }

  /** Call with each commit's mutations before they are applied, for as long as the view is in use. */
  preserve(mutations: readonly Mutation[]): void {
    for (const { collection, key } of mutations) {
      let saved = this.before.get(collection);
      if (!saved) this.before.set(collection, (saved = new Map()));
      // Only the first change counts: it is the one that replaced the value the view must show.
      if (!saved.has(key)) saved.set(key, this.live.get(collection, key) ?? absent);
    }
  }

  valueAt(collection: string, key: string): unknown {
    const saved = this.before.get(collection);
    if (!saved?.has(key)) return this.live.get(collection, key);
    const value = saved.get(key);
    if (value === absent) throw new Error(`bug: ${collection}/${key} is in the view but was absent at seq ${this.seq}`);
    return value;
  }
}
