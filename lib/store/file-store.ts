// The file-backed store: a lowdb snapshot plus an append-only journal, per service. lowdb alone rewrites
// its whole file per write (3.3 writes/s at 100k records); here a commit costs one journal line, and the
// snapshot is rewritten only by compaction, in the background, when the journal has grown.

import { join } from 'node:path';
import { makePrivateDirectory, restrictIfPresent } from '../private-files.ts';
import { acquireLock, type DataDirLock } from './data-dir-lock.ts';
import { resolveFileStoreOptions, type CompactionPhase, type FileStoreEvent, type FileStoreOptions, type FileStoreSettings } from './file-store-options.ts';
import { encodeJournalLine } from './journal-format.ts';
import { JournalWriter } from './journal-writer.ts';
import { loadStoreFiles, type StorePaths } from './load-store-files.ts';
import { PointInTimeView } from './point-in-time-view.ts';
import { writeSnapshot } from './snapshot-file.ts';
import { StoreUnavailableError, type Collections, type Mutation, type Store } from './store.ts';

export * from './file-store-options.ts';
export { StoreCorruptError } from './journal-format.ts';

export interface FileStoreStats {
  /** Seq of the last commit applied in memory. */
  readonly seq: number;
  readonly snapshotSeq: number;
  /** Journal writes made durable; fewer than commits when group commit is working. */
  readonly fsyncs: number;
  readonly journalBytes: number;
  readonly snapshotBytes: number;
  readonly compactions: number;
  readonly compacting: boolean;
}

export class FileStore implements Store {
  private compactions = 0;
  private compaction: Promise<void> | undefined;
  private view: PointInTimeView | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly settings: FileStoreSettings,
    private readonly paths: StorePaths,
    private readonly lock: DataDirLock,
    private readonly collections: Collections,
    private readonly writer: JournalWriter,
    private seq: number,
    private snapshotSeq: number,
    private snapshotBytes: number,
  ) {}

  static async open(options: FileStoreOptions): Promise<FileStore> {
    const settings = resolveFileStoreOptions(options);
    await makePrivateDirectory(settings.dataDir);
    const base = join(settings.dataDir, settings.name);
    const paths = { snapshot: `${base}.json`, journal: `${base}.journal` };
    const lock = await acquireLock(`${base}.lock`);
    try {
      // A snapshot written by an older version may be 644; the journal is tightened as it is opened.
      await restrictIfPresent(paths.snapshot);
      const loaded = await loadStoreFiles(paths, settings);
      if (loaded.tornBytes > 0) settings.onEvent?.({ type: 'journal.repaired', path: paths.journal, tornBytes: loaded.tornBytes });
      let store: FileStore | undefined;
      const writer = await JournalWriter.open(paths.journal, loaded.seq, loaded.journalKeepBytes, (phase) => store?.emitPhase(phase));
      store = new FileStore(settings, paths, lock, loaded.collections, writer, loaded.seq, loaded.snapshotSeq, loaded.snapshotBytes);
      return store;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

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
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    if (mutations.length === 0) return this.durable();
    const seq = this.seq + 1;
    let line: string;
    try {
      this.checkMutations(mutations);
      line = encodeJournalLine(seq, mutations);
    } catch (error) {
      return Promise.reject(error);
    }
    const lineBytes = Buffer.byteLength(line);
    if (this.writer.bytes + lineBytes > this.settings.journalBytesMax) {
      return Promise.reject(
        new Error(`store ${this.settings.name}: the journal would exceed journalBytesMax (${this.settings.journalBytesMax}); compaction is not keeping up`),
      );
    }
    this.view?.preserve(mutations);
    this.collections.apply(mutations);
    this.seq = seq;
    this.writer.append(seq, line, lineBytes);
    if (!this.compaction && this.writer.bytes >= this.settings.compactJournalBytes) {
      // A failed compaction stops the store (see runCompaction), so the rejection is not lost here.
      this.compact().catch(() => undefined);
    }
    return this.writer.waitFor(seq);
  }

  durable(): Promise<void> {
    return this.writer.waitFor(this.seq);
  }

  /** Writes a snapshot and drops the journal lines it covers; joins a compaction already running. */
  compact(): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    if (!this.compaction && this.seq === this.snapshotSeq && this.writer.bytes === 0) return Promise.resolve();
    this.compaction ??= this.runCompaction().finally(() => (this.compaction = undefined));
    return this.compaction;
  }

  stats(): FileStoreStats {
    return {
      seq: this.seq,
      snapshotSeq: this.snapshotSeq,
      fsyncs: this.writer.fsyncs,
      journalBytes: this.writer.bytes,
      snapshotBytes: this.snapshotBytes,
      compactions: this.compactions,
      compacting: this.compaction !== undefined,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      await this.compaction?.catch(() => undefined);
      await this.writer.waitFor(this.seq);
      // Rewriting a large snapshot to save replaying a few lines would make every close slow; a quarter of
      // the snapshot's size is where the replay at the next start begins to cost as much as the rewrite.
      const journalIsLarge = this.writer.bytes * 4 >= this.snapshotBytes || this.writer.bytes >= this.settings.compactJournalBytes;
      if (this.settings.compactOnClose && this.seq > this.snapshotSeq && journalIsLarge) await this.runCompaction();
    } finally {
      await this.writer.close().catch(() => undefined);
      await this.lock.release();
    }
  }

  private refusal(): Error | undefined {
    if (this.writer.failed) return this.writer.failed;
    if (this.closing) return new StoreUnavailableError(`store ${this.settings.name} is closed`);
    return undefined;
  }

  private async runCompaction(): Promise<void> {
    const startedMs = performance.now();
    // Taken synchronously with startTail(): every line after this seq lands in the tail, none before.
    const view = new PointInTimeView(this.seq, this.collections);
    this.view = view;
    this.writer.startTail();
    this.emit({ type: 'compaction.started', seq: view.seq, recordCount: view.recordCount });
    try {
      const snapshotBytes = await writeSnapshot(this.paths.snapshot, view, {
        lowdbRecordsMax: this.settings.lowdbSnapshotRecordsMax,
        onSynced: () => this.emitPhase('snapshot.synced'),
      });
      this.view = undefined;
      this.snapshotSeq = view.seq;
      this.snapshotBytes = snapshotBytes;
      this.emitPhase('snapshot.renamed');
      await this.writer.rotate();
      this.compactions += 1;
      this.emit({ type: 'compaction.finished', seq: view.seq, snapshotBytes, durationMs: performance.now() - startedMs });
    } catch (error) {
      this.view = undefined;
      this.writer.dropTail();
      // Stopping the store is the loud way to fail: a store that cannot compact would otherwise run on
      // until the journal limit, and then fail with a vaguer message than this one.
      const reason = error instanceof Error ? error.message : String(error);
      this.writer.fail(new Error(`store ${this.settings.name}: compaction failed: ${reason}`, { cause: error }));
      throw this.writer.failed;
    }
  }

  private checkMutations(mutations: readonly Mutation[]): void {
    const added = new Map<string, number>();
    const present = new Map<string, boolean>();
    for (const mutation of mutations) {
      if (typeof mutation.collection !== 'string' || typeof mutation.key !== 'string') throw new Error('store: collection and key must be strings');
      if (mutation.op === 'put' && mutation.value === undefined) throw new Error(`store: ${mutation.collection}/${mutation.key}: a record cannot be undefined`);
      const id = JSON.stringify([mutation.collection, mutation.key]);
      const wasPresent = present.get(id) ?? this.collections.get(mutation.collection, mutation.key) !== undefined;
      const isPresent = mutation.op === 'put';
      present.set(id, isPresent);
      added.set(mutation.collection, (added.get(mutation.collection) ?? 0) + Number(isPresent) - Number(wasPresent));
    }
    for (const [collection, count] of added) {
      if (count > 0 && this.collections.count(collection) + count > this.settings.recordsPerCollectionMax) {
        throw new Error(
          `store ${this.settings.name}: collection "${collection}" would exceed recordsPerCollectionMax (${this.settings.recordsPerCollectionMax}); nothing was written`,
        );
      }
    }
  }

  private emitPhase(phase: CompactionPhase): void {
    this.emit({ type: 'compaction.phase', seq: this.view?.seq ?? this.snapshotSeq, phase });
  }

  private emit(event: FileStoreEvent): void {
    try {
      this.settings.onEvent?.(event);
    } catch (error) {
      process.emitWarning(`store ${this.settings.name}: listener for ${event.type} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
