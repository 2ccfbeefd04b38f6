// What a channel brings to the simulator: one module per folder under channels/, listed in modules.ts.
// The engine, the admin API, the cashier and the server take everything channel-specific from here, so
// adding a channel means adding a folder and one line in the module list.
import type { Request, Response, Router } from 'express';
import type { Schema } from '../../lib/config-schema.ts';
import type { Random } from '../../lib/random.ts';
import type { CashierReturn } from '../cashier/routes.ts';
import type { ChannelDialect } from '../engine/context.ts';
import type { Engine } from '../engine/engine.ts';
import type { KeyPairPem } from '../engine/keys.ts';
import type { App, ChannelName } from '../engine/types.ts';

/** Keys of a channel's default app, so that runs can be byte-for-byte reproducible. */
export interface DefaultAppKeys {
  readonly merchant: KeyPairPem;
  readonly channel: KeyPairPem;
  /** A second key of the channel's where it has one (WeChat Pay: the public-key mode's key beside the platform certificate's). */
  readonly channelSecondary?: KeyPairPem;
}

/** What a registration (`POST /_sim/apps`) gave for the merchant's key, or why it is refused. */
export type AppRegistration =
  | { readonly ok: true; readonly merchantPublicKeyPem: string; readonly channelData?: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

export interface InstalledChannel {
  /** The channel's paths on the real host's layout (an official SDK needs only its base URL changed). */
  readonly router: Router;
  /** The cashier's heading and the browser's way back to the merchant. */
  readonly cashier: CashierReturn;
  /**
   * Hot paths: for a GET or POST path (without its query) the channel answers in full, the handler the
   * server gives the request straight to, without Express's router; the same handlers are on `router`
   * too, so both ways answer alike. Every other method and path goes through Express as usual.
   */
  readonly directRoute?: (path: string) => DirectRoute | undefined;
}

export type DirectRoute = (req: Request, res: Response) => Promise<void>;

export interface ChannelModule {
  readonly name: ChannelName;
  /** How people call it (Alipay, WeChat Pay), for start-up lines. */
  readonly title: string;
  /** The entry points a developer points an SDK at, for start-up lines. */
  readonly endpoints: readonly { readonly label: string; readonly path: string }[];
  /** Its identifiers, notifications and timings, for the engine. */
  readonly dialect: ChannelDialect;
  /** Every method and path its gateway decides faults for (fault rules' `match.api`). */
  readonly knownApis: readonly string[];
  /** Its section of the simulator's options (`channelConfig.<name>`), every key with its kind and range. */
  readonly configSchema: Schema;
  /** The field of `POST /_sim/apps` that names the merchant's id at this channel (Alipay `appId`, WeChat `mchid`). */
  readonly appIdField: string;
  /** The app that exists from the first start, with keys the simulator generates. */
  readonly defaultApp: { readonly appId: string; readonly name: string };
  /** The channel holds a second key pair of its own per app (DefaultAppKeys.channelSecondary). */
  readonly secondaryChannelKey?: boolean;
  /**
   * Reads the merchant's key from a `POST /_sim/apps` body (WeChat Pay: `merchantCertPem` or
   * `publicKeyPem`). Absent: `publicKeyPem` is required and is the key.
   */
  readRegistration?(body: Readonly<Record<string, unknown>>): AppRegistration;
  /** The fields of `POST /_sim/apps` its registration reads besides `channel`, `name`, `publicKeyPem` and `appIdField`. */
  readonly registrationFields?: readonly string[];
  /** What the default app keeps besides the merchant's key (WeChat Pay: the merchant certificate the simulator issues). */
  defaultAppData?(merchant: KeyPairPem, random: Random, nowMs: number): Readonly<Record<string, string>>;
  /**
   * What `POST /_sim/apps` answers for a new app, and `GET /_sim/apps` shows beside the keys. Absent:
   * `{appId, sellerId, channelPublicKeyPem}`.
   */
  describeApp?(app: App): Readonly<Record<string, unknown>>;
  /** Registers the dialect with the engine and builds the routes; `config` has passed `configSchema`. */
  install(engine: Engine, config: Readonly<Record<string, unknown>>, baseUrl: () => string): InstalledChannel;
  /**
   * Writes an app's keys where `paysim keys` and README say they are, each file atomically and private;
   * returns their paths by label ("app private key" …).
   */
  writeKeyFiles(dataDir: string, app: App, merchantPrivateKeyPem: string | undefined): Promise<Readonly<Record<string, string>>>;
}
