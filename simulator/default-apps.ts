// The default app of each channel exists from the first start: the simulator generates the merchant's
// key pair too, so a developer can begin without creating keys, and writes the keys under the data dir.
import { mkdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { put } from '../lib/store/store.ts';
import type { Engine } from './engine/engine.ts';
import { generateRsaKeyPair, type KeyPairPem } from './engine/keys.ts';
import type { App } from './engine/types.ts';

const generatedKeys = 'generated-merchant-keys';

export interface DefaultAppKeys {
  merchant: KeyPairPem;
  channel: KeyPairPem;
}

/** Creates the default Alipay app if it does not exist; returns it. */
export async function ensureDefaultAlipayApp(engine: Engine, appId: string, keys?: DefaultAppKeys): Promise<App> {
  const existing = engine.apps.get('alipay', appId);
  if (existing) return existing;
  const merchant = keys?.merchant ?? generateRsaKeyPair();
  const outcome = await engine.apps.register({
    channel: 'alipay',
    appId,
    merchantPublicKeyPem: merchant.publicKeyPem,
    name: 'paysim 默认商户 (default merchant)',
    ...(keys ? { channelKeys: keys.channel } : {}),
  });
  if (outcome.kind !== 'registered') throw new Error(`cannot create the default Alipay app: ${outcome.message}`);
  await engine.ctx.store.commit([put(generatedKeys, `alipay:${appId}`, { privateKeyPem: merchant.privateKeyPem })]);
  return outcome.app;
}

/** Private keys of merchant apps the simulator generated, by `channel:appId`. */
export function generatedMerchantKeys(engine: Engine): Map<string, string> {
  const keys = new Map<string, string>();
  for (const app of engine.apps.all()) {
    const record = engine.ctx.store.get<{ privateKeyPem: string }>(generatedKeys, `${app.channel}:${app.appId}`);
    if (record) keys.set(`${app.channel}:${app.appId}`, record.privateKeyPem);
  }
  return keys;
}

export interface KeyFiles {
  readonly directory: string;
  readonly appPrivateKeyPath: string;
  readonly appPublicKeyPath: string;
  readonly alipayPublicKeyPath: string;
}

/** Writes an Alipay app's keys where `paysim keys` and README say they are; atomic per file. */
export async function writeAlipayKeyFiles(dataDir: string, app: App, merchantPrivateKeyPem: string | undefined): Promise<KeyFiles> {
  const directory = join(dataDir, 'keys', 'alipay', app.appId);
  await mkdir(directory, { recursive: true });
  const files: KeyFiles = {
    directory,
    appPrivateKeyPath: join(directory, 'app_private_key.pem'),
    appPublicKeyPath: join(directory, 'app_public_key.pem'),
    alipayPublicKeyPath: join(directory, 'alipay_public_key.pem'),
  };
  const writes: [string, string | undefined][] = [
    [files.appPrivateKeyPath, merchantPrivateKeyPem],
    [files.appPublicKeyPath, app.merchantPublicKeyPem],
    [files.alipayPublicKeyPath, app.channelPublicKeyPem],
  ];
  for (const [path, content] of writes) {
    if (content === undefined) continue;
    await writeFile(`${path}.tmp`, content, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }
  return files;
}
