// The few file operations the store's crash safety rests on. A rename is only atomic and durable once
// the file it moves is on disk (fsync before rename) and the directory entry is too (fsync the directory
// after), so both steps live here, used by the snapshot and the journal rotation alike.

import { open, rename, type FileHandle } from 'node:fs/promises';
import { openPrivate } from '../private-files.ts';
import { dirname } from 'node:path';

/** Writes all of `data`: a single write() may write less than asked. */
export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/** Makes creations, renames and unlinks in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync, and NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a file that is already written (by another writer, such as lowdb's steno). */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves a fully synced temp file over `path` and makes the move durable. */
export async function renameDurably(tempPath: string, path: string): Promise<void> {
  await rename(tempPath, path);
  await syncDirectory(dirname(path));
}

/**
 * Writes `data` to `tempPath`, fsyncs it and renames it over `path`: readers see the old or the new file,
 * whole. `onSynced` runs between the fsync and the rename, the point crash tests stop at.
 */
export async function replaceFileDurably(path: string, tempPath: string, data: Buffer, onSynced?: () => void): Promise<void> {
  const handle = await openPrivate(tempPath, 'w');
  try {
    await writeAll(handle, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  onSynced?.();
  await renameDurably(tempPath, path);
}
