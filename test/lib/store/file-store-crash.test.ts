// Real crashes: a child process commits in a loop and is SIGKILLed, at a random moment or frozen at a
// chosen step of a compaction. Whatever the moment, every commit the child saw acknowledged must be
// in the store the parent reopens, and the files must load cleanly, twice.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../../lib/store/index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const writerScript = join(here, 'crash-writer.ts');
const repoRoot = resolve(here, '../../..');

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paysim-store-crash-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

type KillWhen = (line: string, acknowledged: Set<number>) => boolean;

/** Runs the writer until `killWhen` says so, SIGKILLs it, and returns the indexes it acknowledged. */
function runUntilKilled(env: Record<string, string>, killWhen: KillWhen): Promise<Set<number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript], {
    cwd: repoRoot,
    env: { ...process.env, CRASH_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acknowledged = new Set<number>();
  let stderr = '';
  let killed = false;
  const kill = (): void => {
    killed = true;
    child.kill('SIGKILL');
  };
  const safety = setTimeout(kill, 10_000);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('ack ')) acknowledged.add(Number(line.slice(4)));
    if (!killed && killWhen(line, acknowledged)) kill();
  });
  return new Promise((resolvePromise, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(safety);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}, signal ${signal}):\n${stderr}`));
      else if (acknowledged.size === 0) reject(new Error(`writer acknowledged nothing before it was killed:\n${stderr}`));
      else resolvePromise(acknowledged);
    });
  });
}

/** Commit index + 6 deletes r<index> when index % 7 === 0; unacknowledged, that delete may or may not have landed. */
function recordIsAsCommitted(index: number, record: { index: number } | undefined, acknowledged: Set<number>): boolean {
  if (index % 7 !== 0) return record?.index === index;
  if (acknowledged.has(index + 6)) return record === undefined;
  return record === undefined || record.index === index;
}

/** Reopens the store and checks every acknowledged commit, all-or-nothing, deletes included. */
async function expectAcknowledgedCommitsPresent(acknowledged: Set<number>, preload = 0): Promise<number> {
  const store = await FileStore.open({ dataDir, name: 'crash', compactOnClose: false });
  const missing: string[] = [];
  for (const index of acknowledged) {
    if (store.get('mirror', `r${index}`) !== index) missing.push(`mirror/r${index}`);
    if (!recordIsAsCommitted(index, store.get('records', `r${index}`), acknowledged)) missing.push(`records/r${index}`);
  }
  if (store.count('bulk') !== preload) missing.push(`bulk: ${store.count('bulk')} of ${preload}`);
  const count = store.count('mirror');
  await store.close();
  expect(missing).toEqual([]);
  // Recovery left no temp file, and what it repaired loads again without another repair.
  expect((await readdir(dataDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  const again = await FileStore.open({ dataDir, name: 'crash', compactOnClose: false });
  expect(again.count('mirror')).toBe(count);
  await again.close();
  return count;
}

describe('FileStore under SIGKILL', () => {
  it('keeps every acknowledged commit across three kills at arbitrary moments', async () => {
    const everAcknowledged = new Set<number>();
    for (const acknowledgedBeforeKill of [300, 600, 900]) {
      const acknowledged = await runUntilKilled({}, (_line, seen) => seen.size >= acknowledgedBeforeKill);
      for (const index of acknowledged) everAcknowledged.add(index);
      await expectAcknowledgedCommitsPresent(everAcknowledged);
    }
  });

  it('keeps every acknowledged commit when killed while a large snapshot is being written', async () => {
    let ready = false;
    let acknowledgedAtCompaction: number | undefined;
    const acknowledged = await runUntilKilled({ CRASH_PRELOAD: '20000' }, (line, seen) => {
      ready ||= line === 'ready';
      if (ready && acknowledgedAtCompaction === undefined && line.startsWith('compaction ')) acknowledgedAtCompaction = seen.size;
      return acknowledgedAtCompaction !== undefined && seen.size >= acknowledgedAtCompaction + 10;
    });
    await expectAcknowledgedCommitsPresent(acknowledged, 20_000);
  });

  it.each([
    ['snapshot.synced', '0'],
    ['snapshot.renamed', '0'],
    ['journal.synced', '0'],
    ['journal.renamed', '0'],
    ['snapshot.synced', '1000000'],
  ])('keeps every acknowledged commit when killed at compaction phase %s (lowdbSnapshotRecordsMax %s)', async (phase, lowdbRecordsMax) => {
    const env = { CRASH_FREEZE_AT: phase, CRASH_FREEZE_ON_COMPACTION: '4', CRASH_LOWDB_RECORDS_MAX: lowdbRecordsMax };
    let frozen = false;
    const acknowledged = await runUntilKilled(env, (line) => (frozen ||= line === `frozen ${phase}`));
    expect(frozen).toBe(true);
    await expectAcknowledgedCommitsPresent(acknowledged);
  });
});
