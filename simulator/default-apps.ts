// The default app of each channel exists from the first start: the simulator generates the merchant's
// key pair too, so a developer can begin without creating keys, and the channel's module writes the
// keys under the data dir.
import { put } from '../lib/store/store.ts';
import type { ChannelModule, DefaultAppKeys } from './channels/module.ts';
import type { Engine } from './engine/engine.ts';
import { generateRsaKeyPair, generateRsaKeyPairAsync } from './engine/keys.ts';
import type { App } from './engine/types.ts';

const generatedKeys = 'generated-merchant-keys';

/** Where a channel's second key pair (DefaultAppKeys.channelSecondary) waits in `channelData` for its dialect. */
export const channelSecondaryPrivateKey = 'channelSecondaryPrivateKeyPem';
export const channelSecondaryPublicKey = 'channelSecondaryPublicKeyPem';

/**
 * The key pairs of the default apps still to create, beside those given: generated together on the
 * thread pool (an RSA-2048 pair takes about 0.15 s of CPU, and a first start or `--memory` needs five),
 * so a start waits for the slowest of them instead of their sum.
 */
export async function defaultAppKeysOf(engine: Engine, modules: readonly ChannelModule[], given: Readonly<Record<string, DefaultAppKeys>> = {}): Promise<Map<string, DefaultAppKeys>> {
  const keys = new Map<string, DefaultAppKeys>(Object.entries(given));
  const missing = modules.filter((module) => !keys.has(module.name) && !engine.apps.get(module.name, module.defaultApp.appId));
  const generated = await Promise.all(
    missing.map(async (module) => {
      const [merchant, channel, channelSecondary] = await Promise.all([
        generateRsaKeyPairAsync(),
        generateRsaKeyPairAsync(),
        module.secondaryChannelKey ? generateRsaKeyPairAsync() : undefined,
      ]);
      return [module.name, { merchant, channel, ...(channelSecondary ? { channelSecondary } : {}) }] as const;
    }),
  );
  for (const [name, pairs] of generated) keys.set(name, pairs);
  return keys;
}

/** Creates the module's default app if it does not exist; returns it. */
export async function ensureDefaultApp(engine: Engine, module: ChannelModule, keys?: DefaultAppKeys): Promise<App> {
  const { appId, name } = module.defaultApp;
  const existing = engine.apps.get(module.name, appId);
  if (existing) return existing;
  const merchant = keys?.merchant ?? generateRsaKeyPair();
  const channelData = {
    ...module.defaultAppData?.(merchant, engine.ctx.random.fork(`default-app:${module.name}`), engine.clock.now()),
    ...(keys?.channelSecondary ? { [channelSecondaryPrivateKey]: keys.channelSecondary.privateKeyPem, [channelSecondaryPublicKey]: keys.channelSecondary.publicKeyPem } : {}),
  };
  const outcome = await engine.apps.register({
    channel: module.name,
    appId,
    merchantPublicKeyPem: merchant.publicKeyPem,
    name,
    ...(keys ? { channelKeys: keys.channel } : {}),
    ...(Object.keys(channelData).length > 0 ? { channelData } : {}),
  });
  if (outcome.kind !== 'registered') throw new Error(`cannot create the default ${module.name} app: ${outcome.message}`);
  await engine.ctx.store.commit([put(generatedKeys, `${module.name}:${appId}`, { privateKeyPem: merchant.privateKeyPem })]);
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
