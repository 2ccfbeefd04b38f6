// One process at a time per store: two writers appending to one journal would interleave their
// sequence numbers and each would replay a state the other never saw. The lock is `<name>.lock`
// holding the owner's pid. It is created whole with link(), which fails if the lock exists, so no
// reader ever sees an empty lock file. A lock whose process is gone (killed, crashed) is taken over.

import { link, readFile, rm, writeFile } from 'node:fs/promises';

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

export async function acquireLock(path: string): Promise<DataDirLock> {
  const candidatePath = `${path}.${process.pid}`;
  await writeFile(candidatePath, `${process.pid}\n`, { mode: 0o600 });
  try {
    // Two attempts: the second follows the removal of a stale lock, and a second failure means
    // another process took it over first, which is then reported like any live holder.
    for (let attempt = 1; ; attempt++) {
      try {
        await link(candidatePath, path);
        return { path, release: () => releaseLock(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = await readHolder(path);
        if (holder === 'gone' && attempt < 2) continue;
        if (holder === 'gone' || holder === 'unreadable' || isAlive(holder) || attempt === 2) throw heldError(path, holder);
        await rm(path, { force: true });
      }
    }
  } finally {
    await rm(candidatePath, { force: true });
  }
}

async function releaseLock(path: string): Promise<void> {
  // Only remove a lock that is still ours, never one another process has taken over since.
  if ((await readHolder(path)) === process.pid) await rm(path, { force: true });
}

async function readHolder(path: string): Promise<number | 'gone' | 'unreadable'> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : 'unreadable';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function heldError(path: string, holder: number | 'gone' | 'unreadable'): Error {
  if (typeof holder !== 'number') {
    return new Error(`${path} exists but holds no pid; if no paysim process uses this data dir, delete the file and retry.`);
  }
  const who = holder === process.pid ? `this process (pid ${holder}): the store is already open` : `process ${holder}`;
  return new Error(
    `the store is locked by ${who} (${path}). Stop that process or use another --data-dir; ` +
      'if that pid now belongs to something other than paysim, delete the lock file.',
  );
}
