// Files under a data dir may hold secrets: the simulator's snapshot and journal carry the channel's and
// the merchants' private keys, and a reader of them can sign notifications a core trusts. So every file
// paysim writes there is 600 and every directory it creates 700, from the first byte: a file created
// with the default mode and tightened afterwards could be opened by someone else in between, and an
// open descriptor survives a later chmod. `mode` in open() applies only when the file is created, so
// an existing file (left by a crash or an older version) is tightened explicitly too.
import { chmod, open, rename, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { makeDirectories } from './directories.ts';

export const privateFileMode = 0o600;
export const privateDirectoryMode = 0o700;

/** Creates `path` and any missing parents with mode 700; an existing directory keeps its mode. */
export async function makePrivateDirectory(path: string): Promise<void> {
  makeDirectories(path, privateDirectoryMode);
}

/** Opens `path` (created 600 if absent, tightened to 600 if not). */
export async function openPrivate(path: string, flags: 'a' | 'w' | 'r+'): Promise<FileHandle> {
  const handle = await open(path, flags, privateFileMode);
  try {
    await handle.chmod(privateFileMode);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Tightens an existing file to 600; a missing one is fine (it will be created 600). */
export async function restrictIfPresent(path: string): Promise<void> {
  try {
    await chmod(path, privateFileMode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates `directory` under `root` 700, and tightens it and each directory between them to 700: they
 * are paysim's alone (such as keys/alipay/<appId>), so one an older version left wider is fixed too.
 */
export async function makePrivateDirectoryUnder(root: string, directory: string): Promise<void> {
  await makePrivateDirectory(directory);
  const parts = relative(root, directory).split(sep).filter((part) => part !== '' && part !== '.');
  for (let depth = 1; depth <= parts.length; depth++) await chmod(join(root, ...parts.slice(0, depth)), privateDirectoryMode);
}

/** Writes `content` to `path` atomically (a 600 temp file renamed over it). */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  const handle = await openPrivate(`${path}.tmp`, 'w');
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  await rename(`${path}.tmp`, path);
}
