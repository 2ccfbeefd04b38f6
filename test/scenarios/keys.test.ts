// The scenario worlds' default-app keys: five pairs made once per process, shared by every world; a swarm
// worker takes its parent's instead of making its own.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { expect, it } from 'vitest';
import { scenarioKeys, useScenarioKeys } from '../../scenarios/harness/keys.ts';
import { startWorld } from '../../scenarios/harness/world.ts';
import { generateRsaKeyPair } from '../../simulator/engine/keys.ts';

interface AppView {
  readonly channel: string;
  readonly merchantPublicKeyPem: string;
  readonly channelPublicKeyPem: string;
}

async function defaultApps(world: { simulatorUrl: string }): Promise<AppView[]> {
  return (await (await fetch(`${world.simulatorUrl}/_sim/apps`)).json()) as AppView[];
}

it('makes five distinct key pairs once a process, each private key matching its public key', { timeout: 30_000 }, async () => {
  const first = scenarioKeys();
  expect(scenarioKeys()).toBe(first); // one generation, however many worlds ask at once
  const keys = await first;
  const pairs = [keys.alipay.merchant, keys.alipay.channel, keys.wechatpay.merchant, keys.wechatpay.channel, keys.wechatpay.channelSecondary!];
  expect(new Set(pairs.map((pair) => pair.publicKeyPem)).size).toBe(5);
  for (const pair of pairs) {
    const signature = sign('sha256', Buffer.from('paysim'), createPrivateKey(pair.privateKeyPem));
    expect(verify('sha256', Buffer.from('paysim'), createPublicKey(pair.publicKeyPem), signature)).toBe(true);
  }
});

it('starts every world with the keys it was handed (as a swarm worker is, by its parent)', { timeout: 30_000 }, async () => {
  const handed = {
    alipay: { merchant: generateRsaKeyPair(), channel: generateRsaKeyPair() },
    wechatpay: { merchant: generateRsaKeyPair(), channel: generateRsaKeyPair(), channelSecondary: generateRsaKeyPair() },
  };
  useScenarioKeys(handed);
  expect(await scenarioKeys()).toBe(handed);
  const world = await startWorld({ seed: 1 });
  try {
    const apps = await defaultApps(world);
    const alipay = apps.find((app) => app.channel === 'alipay')!;
    expect(alipay.merchantPublicKeyPem).toBe(handed.alipay.merchant.publicKeyPem);
    expect(alipay.channelPublicKeyPem).toBe(handed.alipay.channel.publicKeyPem);
    expect(apps.find((app) => app.channel === 'wechatpay')!.merchantPublicKeyPem).toBe(handed.wechatpay.merchant.publicKeyPem);
  } finally {
    await world.close();
  }
});
