// `paysim core --channel-url URL`: the merchant payment core alone, against any simulator (or any
// gateway speaking Alipay's protocol), with the app's keys from files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { createCore, type Core } from '../../core/app.ts';
import { isHttpUrl } from '../../core/config.ts';
import { alipayConnector, type AlipayConnectorOptions } from '../../core/connectors/alipay/index.ts';
import { applyPoolNice, checkPort, checkServerOptions, closeOnSignal, CliError, serverOptions, type ServerArgs } from '../options.ts';
import { coreLines, reportCoreEvents } from './core-output.ts';
import { wechatpayCliOptions, wechatpayOptionsOf, type WechatpayArgs } from './core-wechatpay.ts';
import { wechatpayConnector } from '../../core/connectors/wechatpay/index.ts';

interface CoreArgs extends ServerArgs, WechatpayArgs {
  'channel-url': string;
  'core-port': number;
  host: string;
  'merchant-webhook'?: string;
  'public-url'?: string;
  'alipay-app-id': string;
  'alipay-private-key'?: string;
  'alipay-public-key'?: string;
  'alipay-seller-id'?: string;
}

export const coreCommand: CommandModule = {
  command: 'core',
  describe: 'Start the merchant payment core alone, against a running simulator (--channel-url)',
  builder: (yargs) =>
    wechatpayCliOptions(serverOptions(yargs))
      .option('channel-url', { type: 'string', demandOption: true, describe: 'Base URL of the channel, e.g. http://127.0.0.1:4010 (its /gateway.do is the Alipay gateway)' })
      .option('core-port', { type: 'number', default: 4020, describe: 'Port of the core (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('merchant-webhook', { type: 'string', describe: 'URL of the business system that receives order and refund notifications' })
      .option('public-url', { type: 'string', describe: 'Base URL the channel calls back (notify, return); default: the address the core listens on' })
      .option('alipay-app-id', { type: 'string', default: '2021000000000001', describe: 'Alipay app id' })
      .option('alipay-private-key', { type: 'string', describe: 'App private key file (PKCS#1 PEM); default <data-dir>/keys/alipay/<app id>/app_private_key.pem' })
      .option('alipay-public-key', { type: 'string', describe: 'Alipay public key file (SPKI PEM); default <data-dir>/keys/alipay/<app id>/alipay_public_key.pem' })
      .option('alipay-seller-id', { type: 'string', describe: 'Seller id (2088…) notifications must name; default: asked of a paysim simulator, else not checked' })
      // The core alone runs on real time: the virtual clock's options are `paysim up`'s.
      .hide('clock')
      .hide('due-now'),
  handler: async (argv) => {
    const args = argv as unknown as CoreArgs;
    checkServerOptions(args);
    if (args.clock === 'virtual') throw new CliError('--clock virtual needs a clock shared with the simulator: use `paysim up --clock virtual`, or --clock real here');
    if (process.argv.slice(2).some((arg) => arg === '--due-now' || arg.startsWith('--due-now='))) {
      throw new CliError('--due-now is for a virtual clock, which paysim core alone does not run: use `paysim up --clock virtual --due-now …`');
    }
    for (const [name, value] of [['channel-url', args['channel-url']], ['merchant-webhook', args['merchant-webhook']], ['public-url', args['public-url']]] as const) {
      if (value !== undefined && !isHttpUrl(value)) throw new CliError(`--${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
    }
    const channelUrl = args['channel-url'].replace(/\/+$/, '');
    const appId = args['alipay-app-id'];
    const keyDir = join(args['data-dir'], 'keys', 'alipay', appId);
    const keyFix = (option: string) => `pass ${option} FILE, or start \`paysim sim --data-dir DIR\` once so the default app's keys exist`;
    const privateKeyPem = readKey(args['alipay-private-key'] ?? join(keyDir, 'app_private_key.pem'), keyFix('--alipay-private-key'));
    const alipayPublicKeyPem = readKey(args['alipay-public-key'] ?? join(keyDir, 'alipay_public_key.pem'), keyFix('--alipay-public-key'));
    const sellerId = args['alipay-seller-id'] ?? (await discoverSellerId(channelUrl, appId));
    // alipay-sdk's signing calls on their own thread, off the core's event loop (README "Benchmarks").
    const alipay: AlipayConnectorOptions = { appId, privateKeyPem, alipayPublicKeyPem, gatewayUrl: `${channelUrl}/gateway.do`, endpoint: channelUrl, sdkThread: true, ...(sellerId ? { sellerId } : {}) };
    try {
      alipayConnector.parseOptions(alipay); // a bad key file is named before anything starts
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    const wechatpay = await wechatpayOptionsOf(args, channelUrl);
    try {
      if (wechatpay) wechatpayConnector.parseOptions(wechatpay);
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    const core = await startCore(args, { alipay, ...(wechatpay ? { wechatpay } : {}) });
    core.dashboardLinks.add('channel', `${channelUrl}/`);
    process.stdout.write(
      [
        `paysim core dashboard: ${core.url}/`,
        ...coreLines(core, args),
        `  channel               ${channelUrl} (Alipay app ${appId}${sellerId ? `, seller ${sellerId}` : ', seller not checked'})`,
        `  wechatpay             ${wechatpay ? `merchant ${wechatpay.mchid}, app ${wechatpay.appid}, keys ${Object.keys(wechatpay.platformKeys).join(', ')}` : '(not configured: no keys/wechatpay in the data dir and no --wechatpay-* option)'}`,
        '',
      ].join('\n'),
    );
    closeOnSignal(() => core.close());
    applyPoolNice(args['pool-nice']);
  },
};

async function startCore(args: CoreArgs, connectors: Readonly<Record<string, unknown>>): Promise<Core> {
  const core = await createCore({
    clockKind: 'real',
    timeScale: args['time-scale'],
    seed: args.seed,
    ...(args.memory ? { memory: true } : { dataDir: args['data-dir'] }),
    connectors,
    config: {
      port: checkPort(args['core-port'], 'core-port'),
      host: args.host,
      ...(args['merchant-webhook'] ? { merchantWebhookUrl: args['merchant-webhook'] } : {}),
      ...(args['public-url'] ? { publicBaseUrl: args['public-url'].replace(/\/+$/, '') } : {}),
    },
  }).catch((error: unknown) => {
    throw new CliError(`cannot start the core: ${error instanceof Error ? error.message : String(error)}`);
  });
  reportCoreEvents(core);
  await core.listen().catch(async (error: NodeJS.ErrnoException) => {
    await core.close();
    throw new CliError(error.code === 'EADDRINUSE' ? `port ${args['core-port']} is in use: pass --core-port with a free port (or 0 for any)` : `cannot listen: ${error.message}`);
  });
  return core;
}

/** The Alipay connector options of a data dir's default keys (as `paysim sim` writes them), against `channelUrl`. */
export async function alipayOptionsFromDataDir(input: { dataDir: string; channelUrl: string; appId: string }): Promise<AlipayConnectorOptions> {
  const keyDir = join(input.dataDir, 'keys', 'alipay', input.appId);
  const fix = `pass --data-dir with the folder of a simulator that has app ${input.appId} (\`paysim keys --data-dir DIR\` lists its apps), or start \`paysim sim --data-dir DIR\` once so the default app's keys exist`;
  const privateKeyPem = readKey(join(keyDir, 'app_private_key.pem'), fix);
  const alipayPublicKeyPem = readKey(join(keyDir, 'alipay_public_key.pem'), fix);
  const sellerId = await discoverSellerId(input.channelUrl, input.appId);
  const alipay: AlipayConnectorOptions = { appId: input.appId, privateKeyPem, alipayPublicKeyPem, gatewayUrl: `${input.channelUrl}/gateway.do`, endpoint: input.channelUrl, ...(sellerId ? { sellerId } : {}) };
  try {
    alipayConnector.parseOptions(alipay);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  return alipay;
}

/** The text of a key file; one that cannot be read says which and `fix`, what to do about it. */
function readKey(path: string, fix: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${fix}`);
  }
}

/** A paysim simulator tells its apps' seller ids; any other gateway does not, and then the seller is not checked. */
async function discoverSellerId(channelUrl: string, appId: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${channelUrl}/_sim/apps`, { signal: AbortSignal.timeout(3_000) });
    if (response.status === 403) {
      // A paysim simulator that does not answer to this name: say how to fix it rather than drop the check.
      process.stderr.write(`paysim core: ${channelUrl} refused GET /_sim/apps (403), so the seller id is not checked: start the simulator with --allowed-host ${new URL(channelUrl).host}, or pass --alipay-seller-id\n`);
    }
    if (!response.ok) return undefined;
    const apps = (await response.json()) as { channel?: string; appId?: string; sellerId?: string }[];
    return apps.find((app) => app.channel === 'alipay' && app.appId === appId)?.sellerId;
  } catch {
    return undefined;
  }
}
