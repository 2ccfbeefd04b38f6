// The snapshot is the lowdb file: `{"seq": N, "collections": {"name": [[key, record], ...]}}`, holding
// every commit up to seq N. Records are [key, record] pairs, not an object, because an object would
// move integer-like keys ("1001") to the front and change the order `all()` promises.
//
// Small snapshots are written through lowdb. Large ones are serialised a record at a time, yielding to
// the event loop every few milliseconds: one JSON.stringify of 100k records blocks it for 300-900 ms.
// Either way the file is written beside the snapshot, fsync'd, then renamed over it, so a crash leaves
// the old snapshot or the new one, never half of one.

import { chmod, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { openPrivate, privateFileMode } from '../private-files.ts';
import { renameDurably, syncFile, writeAll } from './durable-files.ts';
import { StoreCorruptError } from './journal-format.ts';

export type SnapshotRecords = Array<[string, unknown]>;

export interface Snapshot {
  readonly seq: number;
  readonly collections: ReadonlyArray<readonly [string, SnapshotRecords]>;
}

/** A point-in-time view to write: the keys of each collection in order, and their values at that time. */
export interface SnapshotSource {
  readonly seq: number;
  readonly recordCount: number;
  readonly collections: ReadonlyArray<{ readonly name: string; readonly keys: readonly string[] }>;
  valueAt(collection: string, key: string): unknown;
}

export interface SnapshotWriteOptions {
  /** At or under this many records, lowdb writes the whole file in one go (and indents it for people). */
  readonly lowdbRecordsMax: number;
  /** Called after the new snapshot is fsync'd and before it replaces the old one. */
  readonly onSynced?: () => void;
}

const sliceMsMax = 5;
const chunkCharsMax = 1 << 20;

/** The temp file steno, lowdb's writer, writes beside `file` before renaming it over `file`. */
const stenoTempPath = (file: string) => join(dirname(file), `.${basename(file)}.tmp`);

/** Temp files a crash may leave beside `path`; start-up deletes them. */
export function snapshotTempPaths(path: string): string[] {
  const tempPath = `${path}.tmp`;
  return [tempPath, stenoTempPath(tempPath)];
}

export async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  const db = new Low<unknown>(new JSONFile<unknown>(path), null);
  try {
    await db.read();
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new StoreCorruptError(
      `${path}: the snapshot is not valid JSON (${error.message}). Snapshots are renamed into place only once ` +
        `complete, so a crash does not explain this: restore the file from a backup.`,
    );
  }
  if (db.data === null) return undefined;
  return validateSnapshot(db.data, path);
}

function validateSnapshot(data: unknown, path: string): Snapshot {
  const fail = (reason: string): StoreCorruptError =>
    new StoreCorruptError(`${path}: not a paysim snapshot (${reason}); restore the file from a backup.`);
  if (typeof data !== 'object' || data === null) throw fail('not an object');
  const { seq, collections } = data as { seq?: unknown; collections?: unknown };
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) throw fail('seq is not a non-negative integer');
  if (typeof collections !== 'object' || collections === null || Array.isArray(collections)) throw fail('no collections object');
  const entries = Object.entries(collections);
  for (const [name, records] of entries) {
    const isPairs = Array.isArray(records) && records.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string');
    if (!isPairs) throw fail(`collection "${name}" is not a list of [key, record] pairs`);
  }
  return { seq: seq as number, collections: entries as Array<[string, SnapshotRecords]> };
}

/** Writes `source` over the snapshot at `path`, durably. Returns the snapshot's size in bytes. */
export async function writeSnapshot(path: string, source: SnapshotSource, options: SnapshotWriteOptions): Promise<number> {
  const [tempPath] = snapshotTempPaths(path) as [string];
  const bytes =
    source.recordCount <= options.lowdbRecordsMax ? await writeThroughLowdb(tempPath, source) : await writeIncrementally(tempPath, source);
  options.onSynced?.();
  await renameDurably(tempPath, path);
  return bytes;
}

async function writeThroughLowdb(tempPath: string, source: SnapshotSource): Promise<number> {
  const collections: Record<string, SnapshotRecords> = {};
  for (const { name, keys } of source.collections) collections[name] = keys.map((key) => [key, source.valueAt(name, key)]);
  // steno writes `.<file>.tmp` with writeFile, which keeps the mode of a file that exists: created 600
  // here first, the snapshot is never readable by others, not even for a moment.
  await (await openPrivate(stenoTempPath(tempPath), 'w')).close();
  // steno renames its own temp file into place but never fsyncs, so the file is synced here before it
  // replaces the snapshot.
  const document = { seq: source.seq, collections };
  await new Low<typeof document>(new JSONFile<typeof document>(tempPath), document).write();
  await chmod(tempPath, privateFileMode); // should a later steno create its file afresh
  await syncFile(tempPath);
  return (await stat(tempPath)).size;
}

async function writeIncrementally(tempPath: string, source: SnapshotSource): Promise<number> {
  const handle = await openPrivate(tempPath, 'w');
  let bytes = 0;
  let chunk: string[] = [];
  let chunkChars = 0;
  const flush = async (): Promise<void> => {
    const data = Buffer.from(chunk.join(''));
    chunk = [];
    chunkChars = 0;
    bytes += data.length;
    await writeAll(handle, data);
  };
  const append = (text: string): void => {
    chunk.push(text);
    chunkChars += text.length;
  };
  try {
    append(`{"seq":${source.seq},"collections":{`);
    let sliceStartMs = performance.now();
    for (const [index, { name, keys }] of source.collections.entries()) {
      append(`${index === 0 ? '' : ','}\n${JSON.stringify(name)}:[`);
      for (let position = 0; position < keys.length; position++) {
        const key = keys[position] as string;
        append(`${position === 0 ? '' : ','}\n${JSON.stringify([key, source.valueAt(name, key)])}`);
        if (chunkChars >= chunkCharsMax) {
          await flush();
          sliceStartMs = performance.now();
        } else if (performance.now() - sliceStartMs > sliceMsMax) {
          await yieldToEventLoop();
          sliceStartMs = performance.now();
        }
      }
      append('\n]');
    }
    append('\n}}\n');
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}
