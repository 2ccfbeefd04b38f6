// Options of the file-backed store, with their defaults in one place and checked once, loudly.

import type { JournalRotationPhase } from './journal-writer.ts';

export type CompactionPhase = 'snapshot.synced' | 'snapshot.renamed' | JournalRotationPhase;

export type FileStoreEvent =
  | { readonly type: 'journal.repaired'; readonly path: string; readonly tornBytes: number }
  | { readonly type: 'compaction.started'; readonly seq: number; readonly recordCount: number }
  /** Emitted synchronously at each crash-relevant step; crash tests stop the process here. */
  | { readonly type: 'compaction.phase'; readonly seq: number; readonly phase: CompactionPhase }
  | { readonly type: 'compaction.finished'; readonly seq: number; readonly snapshotBytes: number; readonly durationMs: number };

export interface FileStoreOptions {
  readonly dataDir: string;
  /** The service's name: its files are `<dataDir>/<name>.json`, `.journal` and `.lock`. */
  readonly name: string;
  /** A background compaction starts once the journal reaches this size. */
  readonly compactJournalBytes?: number;
  /** Commits are refused past this journal size: compaction is failing or cannot keep up. */
  readonly journalBytesMax?: number;
  readonly recordsPerCollectionMax?: number;
  /** Snapshots of at most this many records are written by lowdb in one go; larger ones incrementally. */
  readonly lowdbSnapshotRecordsMax?: number;
  /** Compact on close when the journal is large next to the snapshot, so the next start replays little. */
  readonly compactOnClose?: boolean;
  readonly onEvent?: (event: FileStoreEvent) => void;
}

export type FileStoreSettings = Required<Omit<FileStoreOptions, 'onEvent'>> & Pick<FileStoreOptions, 'onEvent'>;

export const fileStoreDefaults = {
  compactJournalBytes: 16 * 1024 * 1024,
  journalBytesMax: 256 * 1024 * 1024,
  recordsPerCollectionMax: 1_000_000,
  lowdbSnapshotRecordsMax: 1_000,
  compactOnClose: true,
} as const;

// The name becomes part of file paths: no separators, no leading dot, nothing a shell would mangle.
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const knownKeys = new Set(['dataDir', 'name', 'onEvent', ...Object.keys(fileStoreDefaults)]);

export function resolveFileStoreOptions(options: FileStoreOptions): FileStoreSettings {
  const unknown = Object.keys(options).filter((key) => !knownKeys.has(key));
  if (unknown.length > 0) throw new Error(`store: unknown option(s) ${unknown.join(', ')}; known: ${[...knownKeys].join(', ')}`);
  // dataDir and name are checked just below; the cast only states what those checks establish.
  const settings = { ...fileStoreDefaults, ...definedOnly(options) } as FileStoreSettings;
  if (typeof settings.dataDir !== 'string' || settings.dataDir === '') throw new Error('store: dataDir must be a non-empty path');
  if (!namePattern.test(settings.name)) {
    throw new Error(`store: name "${settings.name}" must be 1-64 letters, digits, "-" or "_", starting with a letter or digit`);
  }
  for (const key of ['compactJournalBytes', 'journalBytesMax', 'recordsPerCollectionMax'] as const) {
    if (!Number.isSafeInteger(settings[key]) || settings[key] < 1) throw new Error(`store: ${key} must be a positive integer, got ${settings[key]}`);
  }
  if (!Number.isSafeInteger(settings.lowdbSnapshotRecordsMax) || settings.lowdbSnapshotRecordsMax < 0) {
    throw new Error(`store: lowdbSnapshotRecordsMax must be a non-negative integer, got ${settings.lowdbSnapshotRecordsMax}`);
  }
  if (settings.compactJournalBytes >= settings.journalBytesMax) {
    throw new Error(
      `store: compactJournalBytes (${settings.compactJournalBytes}) must be below journalBytesMax (${settings.journalBytesMax}), ` +
        'or the journal hits its limit before compaction starts',
    );
  }
  return settings;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
