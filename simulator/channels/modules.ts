// The simulator's channels: one module per folder. Adding a channel is one line here.
import { registerKnownApis } from '../faults/known-apis.ts';
import { alipayModule } from './alipay/index.ts';
import type { ChannelModule } from './module.ts';
import { wechatpayModule } from './wechatpay/index.ts';

export const channelModules: readonly ChannelModule[] = [alipayModule, wechatpayModule];

/**
 * Channels of the public surface whose module is not here yet: fault rules may name them (and are told
 * that this simulator has no gateway of theirs), so a rule file written for them does not break.
 */
export const announcedChannels: readonly string[] = [];

/** Makes the channels' names and fault apis known to rule decoding (idempotent). */
export function registerChannels(modules: readonly ChannelModule[]): void {
  for (const module of modules) registerKnownApis(module.name, module.knownApis);
  for (const name of announcedChannels) registerKnownApis(name, []);
}

registerChannels(channelModules);
