// `paysim bill --channel alipay|wechatpay --date YYYY-MM-DD`: writes the day's bill file exactly as the
// channel serves it (Alipay: alipay.data.dataservice.bill.downloadurl.query, then the link's GET; WeChat
// Pay: GET /v3/bill/tradebill or fundflowbill, then the signed download, see bill-wechatpay.ts), from a
// running simulator (--sim-url) or from a simulator data dir, started here on a loopback port for the
// download. The file is written whole or not at all.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { isHttpUrl } from '../../core/config.ts';
import { createAlipayChannel } from '../../core/connectors/alipay/index.ts';
import { ChannelUnavailableError } from '../../core/connectors/channel.ts';
import { readAlipayBill } from '../../core/connectors/alipay/bill-rows.ts';
import { createSimulator, type Simulator } from '../../simulator/server.ts';
import { CliError } from '../options.ts';
import { checkBillDate, checkOutPath, CommandFailed, notReadyMessage, writeFileWhole } from './bill-options.ts';
import { checkWechatpayBillArgs, writeWechatpayBill } from './bill-wechatpay.ts';

export interface BillArgs {
  channel: string;
  date: string;
  'sim-url'?: string;
  'data-dir': string;
  clock: 'real' | 'virtual';
  'app-id'?: string;
  mchid?: string;
  type?: string;
  'account-type'?: string;
  gzip?: boolean;
  out?: string;
}

const channels = ['alipay', 'wechatpay'];

interface SimApp {
  readonly channel: string;
  readonly appId: string;
  readonly sellerId: string;
  readonly channelPublicKeyPem: string;
  readonly merchantPrivateKeyPem?: string;
}

export const billCommand: CommandModule = {
  command: 'bill',
  describe: "Write a day's bill file as the channel serves it (Alipay: the GBK csv zip; WeChat Pay: the csv, or gzip)",
  builder: (yargs) =>
    yargs
      .option('channel', { type: 'string', default: 'alipay', describe: 'The channel whose bill to write (alipay, wechatpay)' })
      .option('date', { type: 'string', demandOption: true, describe: 'The bill day, yyyy-MM-dd in Beijing time; it must be over' })
      .option('sim-url', { type: 'string', describe: 'A running simulator, e.g. http://127.0.0.1:4010; default: start one from --data-dir' })
      .option('data-dir', { type: 'string', default: '.paysim', describe: 'The simulator data dir, when no --sim-url is given' })
      .option('clock', { choices: ['real', 'virtual'] as const, default: 'real' as const, describe: 'With --data-dir: the clock to open it with (virtual resumes its stored time)' })
      .option('app-id', { type: 'string', describe: 'Alipay: the app whose bill to write; default: the first Alipay app' })
      .option('mchid', { type: 'string', describe: 'WeChat Pay: the merchant whose bill to write; default: the first WeChat Pay merchant (1900000001)' })
      .option('type', { type: 'string', describe: 'Which bill: Alipay trade (default); WeChat Pay ALL (default), SUCCESS, REFUND (trade bills) or FUNDFLOW (the fund-flow bill)' })
      .option('account-type', { type: 'string', describe: 'WeChat Pay FUNDFLOW: the account, BASIC (default), OPERATION or FEES' })
      .option('gzip', { type: 'boolean', describe: 'WeChat Pay: ask for the file gzipped (tar_type=GZIP) and write it so' })
      .option('out', { type: 'string', describe: "Where to write the file; default: the channel's file name in the current directory" }),
  handler: async (argv) => {
    const args = argv as unknown as BillArgs;
    if (!channels.includes(args.channel)) throw new CliError(`--channel ${JSON.stringify(args.channel)} is not a channel with bills: use ${channels.join(' or ')}`);
    checkBillDate(args.date);
    if (args['sim-url'] !== undefined && !isHttpUrl(args['sim-url'])) throw new CliError(`--sim-url must be an http(s) URL, got ${JSON.stringify(args['sim-url'])}`);
    if (args.channel === 'wechatpay') checkWechatpayBillArgs(args);
    else checkAlipayBillArgs(args);
    if (args.out !== undefined) await checkOutPath(resolve(args.out));
    const started = args['sim-url'] === undefined ? await startFromDataDir(args) : undefined;
    try {
      const simUrl = (args['sim-url'] ?? started!.url).replace(/\/+$/, '');
      if (args.channel === 'wechatpay') {
        await writeWechatpayBill(simUrl, args, await simulatorApps(simUrl));
        return;
      }
      const app = await findApp(simUrl, args['app-id']);
      const alipay = createAlipayChannel({
        appId: app.appId,
        sellerId: app.sellerId,
        privateKeyPem: app.merchantPrivateKeyPem!,
        alipayPublicKeyPem: app.channelPublicKeyPem,
        gatewayUrl: `${simUrl}/gateway.do`,
        endpoint: simUrl,
      });
      let bill;
      try {
        bill = await alipay.downloadBill(args.date);
      } catch (error) {
        if (error instanceof ChannelUnavailableError) throw new CommandFailed(`the download failed: ${error.reason}; is the simulator at ${simUrl} up?`);
        throw error;
      }
      if (bill.kind === 'notReady') throw new CommandFailed(await notReadyMessage(simUrl, args.date));
      if (bill.kind === 'empty') throw new CommandFailed(`the channel has no bill file for ${args.date}: no trades that day, and it is configured to answer so`);
      const out = resolve(args.out ?? bill.fileName);
      await writeFileWhole(out, bill.file);
      let rows = 0;
      for await (const batch of readAlipayBill(bill.file)) rows += batch.length;
      process.stdout.write(`wrote ${out} (${bill.file.length} bytes, ${rows} rows: the Alipay trade bill of ${args.date} for app ${app.appId})\n`);
    } finally {
      await started?.close();
    }
  },
};

async function startFromDataDir(args: BillArgs): Promise<Simulator> {
  // Opening a folder that holds no simulator would create one, keys and all, and find no bill in it.
  if (!['simulator.json', 'simulator.journal'].some((name) => existsSync(join(args['data-dir'], name)))) {
    throw new CommandFailed(`no simulator data dir at ${args['data-dir']} (no simulator.json there): pass --data-dir with the folder \`paysim sim\` or \`paysim up\` used, or --sim-url of a running simulator`);
  }
  const simulator = await createSimulator({ port: 0, host: '127.0.0.1', dataDir: args['data-dir'], clock: args.clock }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot open the simulator data dir ${args['data-dir']} (${message}); if a simulator is running on it, pass --sim-url http://127.0.0.1:4010 instead`);
  });
  await simulator.listen();
  return simulator;
}

function checkAlipayBillArgs(args: BillArgs): void {
  if (args.type !== undefined && args.type.toLowerCase() !== 'trade') throw new CliError(`--type ${JSON.stringify(args.type)}: Alipay bills written here are the trade bill (--type trade)`);
  for (const option of ['mchid', 'account-type', 'gzip'] as const) {
    if (args[option] !== undefined) throw new CliError(`--${option} is for WeChat Pay bills (--channel wechatpay); Alipay's bill is a zip of its own`);
  }
}

/** The simulator's apps (GET /_sim/apps), or a message saying none answers there. */
export async function simulatorApps<T = SimApp>(simUrl: string): Promise<T[]> {
  try {
    const response = await fetch(`${simUrl}/_sim/apps`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as T[];
  } catch (error) {
    throw new CommandFailed(`no paysim simulator answers at ${simUrl} (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}): start one with \`paysim sim\` or \`paysim up\`, or pass --sim-url`);
  }
}

async function findApp(simUrl: string, appId: string | undefined): Promise<SimApp> {
  const apps = await simulatorApps(simUrl);
  const alipayApps = apps.filter((app) => app.channel === 'alipay');
  const app = appId === undefined ? alipayApps[0] : alipayApps.find((candidate) => candidate.appId === appId);
  if (!app) throw new CliError(appId === undefined ? `the simulator at ${simUrl} has no Alipay app` : `the simulator at ${simUrl} has no Alipay app ${appId}; it has ${alipayApps.map((candidate) => candidate.appId).join(', ') || 'none'}`);
  if (!app.merchantPrivateKeyPem) throw new CliError(`app ${app.appId} was registered with your own key pair: the simulator cannot sign for it; use the default app (--app-id ${alipayApps.find((candidate) => candidate.merchantPrivateKeyPem)?.appId ?? '…'})`);
  return app;
}
