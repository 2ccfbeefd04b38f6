// A data dir may hold secrets (the simulator's store carries private keys), so the store creates its
// directory 700 and every file 600: on first start, after each rewrite (compaction, journal rotation),
// and a file an older version left 644 is tightened when the store opens.
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FileStore, put } from '../../../lib/store/index.ts';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'paysim-modes-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** The mode of every entry of `dir`, by name. */
async function modesIn(dir: string): Promise<Record<string, number>> {
  const modes: Record<string, number> = {};
  for (const name of await readdir(dir)) modes[name] = await modeOf(join(dir, name));
  return modes;
}

it.each([
  ['through lowdb', 1_000],
  ['record by record', 0],
])('creates the data dir 700 and the journal and snapshot 600, also after compaction (snapshot written %s)', async (_label, lowdbSnapshotRecordsMax) => {
  const dataDir = join(parent, 'nested', 'data');
  const store = await FileStore.open({ dataDir, name: 'simulator', lowdbSnapshotRecordsMax });
  await store.commit([put('keys', 'k1', { privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----' })]);
  expect(await modeOf(dataDir)).toBe(0o700);
  expect(await modeOf(join(parent, 'nested'))).toBe(0o700);
  expect(await modesIn(dataDir)).toEqual({ 'simulator.journal': 0o600, 'simulator.lock': 0o600 });

  await store.compact();
  await store.commit([put('keys', 'k2', { privateKeyPem: '-----BEGIN RSA PRIVATE KEY-----' })]);
  await store.compact();
  expect(store.stats().compactions).toBe(2);
  expect(await modesIn(dataDir)).toEqual({ 'simulator.journal': 0o600, 'simulator.json': 0o600, 'simulator.lock': 0o600 });
  await store.close();
  expect(await modesIn(dataDir)).toEqual({ 'simulator.journal': 0o600, 'simulator.json': 0o600 });
});

it('tightens a snapshot and a journal that an older version left 644 when it opens them', async () => {
  const dataDir = join(parent, 'old');
  const first = await FileStore.open({ dataDir, name: 'core' });
  await first.commit([put('orders', 'o1', { amountFen: 100 })]);
  await first.compact();
  await first.commit([put('orders', 'o2', { amountFen: 200 })]);
  await first.close();
  await chmod(join(dataDir, 'core.json'), 0o644);
  await chmod(join(dataDir, 'core.journal'), 0o644);

  const reopened = await FileStore.open({ dataDir, name: 'core' });
  expect(reopened.count('orders')).toBe(2);
  expect(await modeOf(join(dataDir, 'core.json'))).toBe(0o600);
  expect(await modeOf(join(dataDir, 'core.journal'))).toBe(0o600);
  await reopened.close();
});

it('leaves the mode of a data dir that existed before alone, and still writes its files 600', async () => {
  await chmod(parent, 0o755); // a directory of the user's, such as a project folder
  const store = await FileStore.open({ dataDir: parent, name: 'core' });
  await store.commit([put('orders', 'o1', { amountFen: 100 })]);
  await store.close();
  expect(await modeOf(parent)).toBe(0o755);
  expect(await modeOf(join(parent, 'core.json'))).toBe(0o600);
  expect(await modeOf(join(parent, 'core.journal'))).toBe(0o600);
});
