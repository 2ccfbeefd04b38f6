// `paysim bill --channel alipay --date YYYY-MM-DD`: writes the day's bill file exactly as the channel
// serves it (alipay.data.dataservice.bill.downloadurl.query, then the link's GET), from a running
// simulator (--sim-url) or from a simulator data dir, started here on a loopback port for the download.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { isHttpUrl } from '../../core/config.ts';
import { createAlipayChannel } from '../../core/connectors/alipay/index.ts';
import { ChannelUnavailableError } from '../../core/connectors/channel.ts';
import { readAlipayBill } from '../../core/connectors/alipay/bill-rows.ts';
import { createSimulator, type Simulator } from '../../simulator/server.ts';
import { CliError } from '../options.ts';
import { checkBillDate, CommandFailed } from './bill-options.ts';

interface BillArgs {
  channel: string;
  date: string;
  'sim-url'?: string;
  'data-dir': string;
  clock: 'real' | 'virtual';
  'app-id'?: string;
  out?: string;
}

interface SimApp {
  readonly channel: string;
  readonly appId: string;
  readonly sellerId: string;
  readonly channelPublicKeyPem: string;
  readonly merchantPrivateKeyPem?: string;
}

export const billCommand: CommandModule = {
  command: 'bill',
  describe: "Write a day's bill file as the channel serves it (Alipay: the GBK csv zip)",
  builder: (yargs) =>
    yargs
      .option('channel', { type: 'string', default: 'alipay', describe: 'The channel whose bill to write (alipay)' })
      .option('date', { type: 'string', demandOption: true, describe: 'The bill day, yyyy-MM-dd in Beijing time; it must be over' })
      .option('sim-url', { type: 'string', describe: 'A running simulator, e.g. http://127.0.0.1:4010; default: start one from --data-dir' })
      .option('data-dir', { type: 'string', default: '.paysim', describe: 'The simulator data dir, when no --sim-url is given' })
      .option('clock', { choices: ['real', 'virtual'] as const, default: 'real' as const, describe: 'With --data-dir: the clock to open it with (virtual resumes its stored time)' })
      .option('app-id', { type: 'string', describe: 'The app whose bill to write; default: the first Alipay app' })
      .option('out', { type: 'string', describe: "Where to write the file; default: the channel's file name in the current directory" }),
  handler: async (argv) => {
    const args = argv as unknown as BillArgs;
    if (args.channel !== 'alipay') throw new CliError(`--channel ${args.channel}: only alipay bills exist so far`);
    checkBillDate(args.date);
    if (args['sim-url'] !== undefined && !isHttpUrl(args['sim-url'])) throw new CliError(`--sim-url must be an http(s) URL, got ${JSON.stringify(args['sim-url'])}`);
    const started = args['sim-url'] === undefined ? await startFromDataDir(args) : undefined;
    try {
      const simUrl = (args['sim-url'] ?? started!.url).replace(/\/+$/, '');
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
      await writeFile(out, bill.file);
      let rows = 0;
      for await (const batch of readAlipayBill(bill.file)) rows += batch.length;
      process.stdout.write(`wrote ${out} (${bill.file.length} bytes, ${rows} rows: the Alipay trade bill of ${args.date} for app ${app.appId})\n`);
    } finally {
      await started?.close();
    }
  },
};

async function startFromDataDir(args: BillArgs): Promise<Simulator> {
  const simulator = await createSimulator({ port: 0, host: '127.0.0.1', dataDir: args['data-dir'], clock: args.clock }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot open the simulator data dir ${args['data-dir']} (${message}); if a simulator is running on it, pass --sim-url http://127.0.0.1:4010 instead`);
  });
  await simulator.listen();
  return simulator;
}

async function findApp(simUrl: string, appId: string | undefined): Promise<SimApp> {
  let apps: SimApp[];
  try {
    const response = await fetch(`${simUrl}/_sim/apps`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    apps = (await response.json()) as SimApp[];
  } catch (error) {
    throw new CommandFailed(`no paysim simulator answers at ${simUrl} (${error instanceof Error ? error.message : String(error)}): start one with \`paysim sim\` or \`paysim up\`, or pass --sim-url`);
  }
  const alipayApps = apps.filter((app) => app.channel === 'alipay');
  const app = appId === undefined ? alipayApps[0] : alipayApps.find((candidate) => candidate.appId === appId);
  if (!app) throw new CliError(appId === undefined ? `the simulator at ${simUrl} has no Alipay app` : `the simulator at ${simUrl} has no Alipay app ${appId}; it has ${alipayApps.map((candidate) => candidate.appId).join(', ') || 'none'}`);
  if (!app.merchantPrivateKeyPem) throw new CliError(`app ${app.appId} was registered with your own key pair: the simulator cannot sign for it; use the default app (--app-id ${alipayApps.find((candidate) => candidate.merchantPrivateKeyPem)?.appId ?? '…'})`);
  return app;
}

async function notReadyMessage(simUrl: string, billDate: string): Promise<string> {
  const clock = await fetch(`${simUrl}/_sim/clock`).then((response) => response.json() as Promise<{ now?: string; kind?: string }>).catch(() => ({}) as { now?: string; kind?: string });
  const now = clock.now ? ` (the simulator's ${clock.kind ?? ''} clock says ${clock.now})` : '';
  return `the bill of ${billDate} is not ready: a day's bill exists once that day is over in Beijing time${now}, and none exists for days before the app was registered; ask again after ${billDate} has ended`;
}
