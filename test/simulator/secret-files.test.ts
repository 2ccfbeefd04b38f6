// The simulator's data dir holds the channel's and the merchants' private keys (in its store and in the
// .pem files): only the owner may read them, after the first start, after a compaction rewrites the
// snapshot, and after a restart.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FileStore } from '../../lib/store/index.ts';
import { fixtureKeys } from '../support/keys.ts';
import { startSimulator } from '../support/simulator.ts';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'paysim-secrets-'));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** Every file and directory under `dir` with its mode, by path relative to `dir`. */
async function modesUnder(dir: string, prefix = ''): Promise<Record<string, number>> {
  const modes: Record<string, number> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = join(prefix, entry.name);
    modes[relative] = await modeOf(join(dir, entry.name));
    if (entry.isDirectory()) Object.assign(modes, await modesUnder(join(dir, entry.name), relative));
  }
  return modes;
}

it('keeps every secret file 600 and every directory 700 after start, after compaction and after a restart', async () => {
  const dataDir = join(parent, '.paysim');
  const first = await startSimulator({ dataDir });
  const keyDir = join('keys', 'alipay', first.appId);
  const wechatpayDir = join('keys', 'wechatpay', first.sim.defaultAppId('wechatpay'));
  const platformSerial = first.sim.engine.apps.get('wechatpay', first.sim.defaultAppId('wechatpay'))!.channelData!.platformSerial;
  const expected = {
    keys: 0o700,
    [join('keys', 'alipay')]: 0o700,
    [keyDir]: 0o700,
    [join(keyDir, 'app_private_key.pem')]: 0o600,
    [join(keyDir, 'app_public_key.pem')]: 0o600,
    [join(keyDir, 'alipay_public_key.pem')]: 0o600,
    [join('keys', 'wechatpay')]: 0o700,
    [wechatpayDir]: 0o700,
    ...Object.fromEntries(
      ['apiclient_cert.pem', 'apiclient_key.pem', 'apiclient_public_key.pem', 'apiv3_key.txt', 'pub_key.pem', `wechatpay_${platformSerial}.pem`].map((name) => [join(wechatpayDir, name), 0o600]),
    ),
    'simulator.journal': 0o600,
    'simulator.lock': 0o600,
  };
  expect(await modeOf(dataDir)).toBe(0o700);
  expect(await modesUnder(dataDir)).toEqual(expected);
  expect(await readFile(join(dataDir, 'simulator.journal'), 'utf8')).toContain('PRIVATE KEY');

  await (first.sim.engine.ctx.store as FileStore).compact();
  expect(await readFile(join(dataDir, 'simulator.json'), 'utf8')).toContain('PRIVATE KEY');
  expect(await modesUnder(dataDir)).toEqual({ ...expected, 'simulator.json': 0o600 });
  await first.close();

  const second = await startSimulator({ dataDir });
  const registered = await second.sim.engine.apps.register({ channel: 'alipay', merchantPublicKeyPem: fixtureKeys.merchant.publicKeyPem });
  expect(registered.kind).toBe('registered'); // a new channel key pair to store, so the compaction rewrites
  const store = second.sim.engine.ctx.store as FileStore;
  await store.compact();
  expect(store.stats().compactions).toBe(1);
  expect(await modesUnder(dataDir)).toEqual({ ...expected, 'simulator.json': 0o600 });
  await second.close();
});
