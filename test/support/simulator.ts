// Starts a real simulator in-process on 127.0.0.1, port 0, with the virtual clock and the fixture keys,
// so nothing scheduled happens until a test advances time.
import { VirtualClock } from '../../lib/clock.ts';
import type { SimulatorOptions } from '../../simulator/config.ts';
import { createSimulator, type Simulator } from '../../simulator/server.ts';
import { fixtureKeys } from './keys.ts';

export interface RunningSimulator {
  readonly sim: Simulator;
  readonly url: string;
  readonly clock: VirtualClock;
  readonly appId: string;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await createSimulator({
    port: 0,
    clock: 'virtual',
    defaultAppKeys: {
      alipay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel },
      wechatpay: { merchant: fixtureKeys.merchant, channel: fixtureKeys.channel, channelSecondary: fixtureKeys.wechatpayPublicKey },
    },
    ...options,
  });
  const url = await sim.listen();
  if (!(sim.clock instanceof VirtualClock)) throw new Error('startSimulator: expected a virtual clock');
  return { sim, url, clock: sim.clock, appId: sim.defaultAppId('alipay'), close: () => sim.close() };
}
