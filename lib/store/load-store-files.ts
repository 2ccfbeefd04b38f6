// Start-up: the snapshot, then every journal line after it. Whatever point a crash interrupted, the
// files on disk are one of: snapshot + journal (normal), new snapshot + old journal (crash before the
// journal rotation), either plus a torn last line or a leftover temp file. All of them load to the
// state of the last acknowledged commit or later.

import { readFile, rm, stat } from 'node:fs/promises';
import { parseJournal, StoreCorruptError } from './journal-format.ts';
import { readSnapshot, snapshotTempPaths } from './snapshot-file.ts';
import { Collections, put } from './store.ts';

export interface StorePaths {
  readonly snapshot: string;
  readonly journal: string;
}

export interface LoadedStore {
  readonly collections: Collections;
  readonly seq: number;
  readonly snapshotSeq: number;
  readonly snapshotBytes: number;
  /** Journal bytes to keep: everything but a torn tail, or nothing when the snapshot covers every line. */
  readonly journalKeepBytes: number;
  readonly tornBytes: number;
}

export interface LoadLimits {
  readonly journalBytesMax: number;
  readonly recordsPerCollectionMax: number;
}

export async function loadStoreFiles(paths: StorePaths, limits: LoadLimits): Promise<LoadedStore> {
  // Temp files are never the only copy of anything: a crash before their rename left the originals.
  for (const temp of [...snapshotTempPaths(paths.snapshot), `${paths.journal}.tmp`]) await rm(temp, { force: true });

  const snapshot = await readSnapshot(paths.snapshot);
  const collections = new Collections();
  for (const [name, records] of snapshot?.collections ?? []) {
    for (const [key, value] of records) collections.apply([put(name, key, value)]);
  }
  const snapshotSeq = snapshot?.seq ?? 0;
  const snapshotBytes = snapshot ? (await stat(paths.snapshot)).size : 0;

  const buffer = await readJournalFile(paths.journal, limits.journalBytesMax);
  const journal = parseJournal(buffer, paths.journal);
  const first = journal.entries[0];
  if (first && first.seq > snapshotSeq + 1) {
    throw new StoreCorruptError(
      `${paths.journal} starts at seq ${first.seq} but ${paths.snapshot} ends at seq ${snapshotSeq}: commits ` +
        `${snapshotSeq + 1}..${first.seq - 1} are missing. Restore both files from the same backup.`,
    );
  }
  let seq = snapshotSeq;
  for (const entry of journal.entries) {
    if (entry.seq <= snapshotSeq) continue;
    collections.apply(entry.mutations);
    seq = entry.seq;
  }

  for (const name of collections.collectionNames()) {
    const count = collections.count(name);
    if (count > limits.recordsPerCollectionMax) {
      throw new Error(`collection "${name}" holds ${count} records, over recordsPerCollectionMax (${limits.recordsPerCollectionMax}); raise the limit to start.`);
    }
  }

  // A snapshot can be taken while its last lines are still being written; if a crash then lost them,
  // the journal ends before the snapshot, and appending seq + 1 to it would leave a gap.
  const lastJournalSeq = journal.entries[journal.entries.length - 1]?.seq ?? 0;
  const journalKeepBytes = lastJournalSeq < snapshotSeq ? 0 : journal.validBytes;
  return { collections, seq, snapshotSeq, snapshotBytes, journalKeepBytes, tornBytes: journal.tornBytes };
}

async function readJournalFile(path: string, journalBytesMax: number): Promise<Buffer> {
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
  if (bytes > journalBytesMax) {
    throw new Error(`${path} is ${bytes} bytes, over journalBytesMax (${journalBytesMax}); raise the limit to start.`);
  }
  return readFile(path);
}
