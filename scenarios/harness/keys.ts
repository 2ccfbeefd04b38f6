// Key pairs for the simulated channels' default apps, made once per process and shared by every world
// it starts: RSA key generation costs far more than a whole scenario (five 2048-bit pairs, about 1.2 s of
// CPU), and no timeline entry depends on a key (signatures are not shown). The five are generated at once
// on libuv's thread pool, so a single scenario or a replayed seed waits for the slowest, not for the sum;
// a swarm's worker processes are handed the parent's (`useScenarioKeys`) instead of making their own.
import type { DefaultAppKeys } from '../../simulator/channels/module.ts';
import { generateRsaKeyPairAsync } from '../../simulator/engine/keys.ts';

/** Alipay's default app (merchant and channel pairs); WeChat Pay's default merchant: its merchant pair, the platform certificate's pair and the public-key mode's pair. */
export type ScenarioKeys = Readonly<Record<'alipay' | 'wechatpay', DefaultAppKeys>>;

let made: Promise<ScenarioKeys> | undefined;

async function generate(): Promise<ScenarioKeys> {
  const [merchant, channel, wechatpayMerchant, platform, publicKeyMode] = await Promise.all(Array.from({ length: 5 }, () => generateRsaKeyPairAsync()));
  return { alipay: { merchant: merchant!, channel: channel! }, wechatpay: { merchant: wechatpayMerchant!, channel: platform!, channelSecondary: publicKeyMode! } };
}

export function scenarioKeys(): Promise<ScenarioKeys> {
  made ??= generate().catch((error: unknown) => {
    made = undefined; // a failed generation is not kept: the next world tries again
    throw error;
  });
  return made;
}

/** This process's worlds use `keys` (a swarm worker, given its parent's). */
export function useScenarioKeys(keys: ScenarioKeys): void {
  made = Promise.resolve(keys);
}
