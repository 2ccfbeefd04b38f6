// The simulator's configuration: one typed object, parsed once, defaults in one place.
import type { ClockKind } from '../lib/clock.ts';
import type { AlipayConfig } from './channels/alipay/config.ts';
import type { EngineConfig } from './engine/config.ts';
import type { KeyPairPem } from './engine/keys.ts';

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Where state and keys live; absent (or `memory: true`) keeps everything in memory. */
  dataDir?: string;
  memory?: boolean;
  seed?: number;
  clock?: ClockKind;
  timeScale?: number;
  /** Start of virtual time (epoch ms). */
  startMs?: number;
  /** Base URL the simulator puts in cashier and bill links; defaults to the address it listens on. */
  publicBaseUrl?: string;
  engine?: Partial<EngineConfig>;
  alipay?: Partial<AlipayConfig>;
  /** Keys of the default Alipay app, so that runs can be byte-for-byte reproducible. */
  defaultAlipayKeys?: { merchant: KeyPairPem; channel: KeyPairPem };
  /** Fault rules installed at start (`--faults FILE`). */
  faults?: import('./faults/rule.ts').FaultRule[];
  /** Magic amounts and subject tags trigger faults (default true). */
  magicValues?: boolean;
  /** An existing clock to share (paysim up: simulator and core on one clock). */
  sharedClock?: import('../lib/clock.ts').Clock;
}

export const simulatorDefaults = {
  host: '127.0.0.1',
  port: 4010,
  seed: 1,
  clock: 'real' as ClockKind,
  timeScale: 1,
  defaultAlipayAppId: '2021000000000001',
};
