// Merchant apps registered at the simulated channel, each with the merchant's public key and the
// channel's own key pair for it.
import { put } from '../../lib/store/store.ts';
import { collections, dialectOf, type EngineContext } from './context.ts';
import { generateRsaKeyPair, isReadablePublicKey, type KeyPairPem } from './keys.ts';
import type { App, ChannelName } from './types.ts';

export interface RegisterAppInput {
  channel: ChannelName;
  appId?: string;
  merchantPublicKeyPem: string;
  name?: string;
  /** The channel's key pair for this app; generated when absent. */
  channelKeys?: KeyPairPem;
  /** What the channel's module read from the registration besides the key (WeChat Pay: the certificate's serial). */
  channelData?: Readonly<Record<string, string>>;
}

export type RegisterAppOutcome =
  | { kind: 'registered'; app: App }
  | { kind: 'invalidKey'; message: string }
  | { kind: 'invalidAppId'; message: string };

export class Apps {
  private readonly random;

  constructor(private readonly ctx: EngineContext) {
    this.random = ctx.random.fork('apps');
  }

  get(channel: ChannelName, appId: string): App | undefined {
    return this.ctx.store.get<App>(collections.apps, `${channel}:${appId}`);
  }

  all(): App[] {
    return this.ctx.store.all<App>(collections.apps);
  }

  ofChannel(channel: ChannelName): App[] {
    return this.all().filter((app) => app.channel === channel);
  }

  async register(input: RegisterAppInput): Promise<RegisterAppOutcome> {
    if (!isReadablePublicKey(input.merchantPublicKeyPem)) {
      return { kind: 'invalidKey', message: 'publicKeyPem is not a readable RSA public key (expected a PEM "PUBLIC KEY" or base64 SPKI)' };
    }
    const dialect = dialectOf(this.ctx, input.channel);
    if (input.appId !== undefined && !dialect.appIdPattern.test(input.appId)) {
      return { kind: 'invalidAppId', message: `appId "${input.appId}" does not look like a ${input.channel} id (${dialect.appIdPattern})` };
    }
    const appId = input.appId ?? this.freshAppId(input.channel);
    const keys = input.channelKeys ?? generateRsaKeyPair();
    const draft: App = {
      channel: input.channel,
      appId,
      sellerId: dialect.sellerId(this.random),
      sellerEmail: `merchant${appId.slice(-4)}@example.com`,
      name: input.name ?? `${this.ctx.faker.company.name()}`,
      merchantPublicKeyPem: input.merchantPublicKeyPem,
      channelPrivateKeyPem: keys.privateKeyPem,
      channelPublicKeyPem: keys.publicKeyPem,
      createdAtMs: this.ctx.clock.now(),
      ...(input.channelData ? { channelData: input.channelData } : {}),
    };
    const app = dialect.completeApp ? await dialect.completeApp(draft, this.random) : draft;
    await this.ctx.store.commit([put(collections.apps, `${app.channel}:${app.appId}`, app)]);
    return { kind: 'registered', app };
  }

  private freshAppId(channel: ChannelName): string {
    for (;;) {
      const appId = dialectOf(this.ctx, channel).freshAppId(this.random);
      if (!this.get(channel, appId)) return appId;
    }
  }
}
