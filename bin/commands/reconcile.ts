// `paysim reconcile --channel alipay|wechatpay --date YYYY-MM-DD`: runs the core's reconciliation of a day and
// prints the report (a table, or --json the API's report object). Against a running core (--core-url),
// or a core data dir opened here (--data-dir, with --channel-url), which also shows progress on large
// bills. Exit 0 when the day matched, 1 on mismatches or a run that could not read its bill.
import type { CommandModule } from 'yargs';
import { createCore } from '../../core/app.ts';
import { isHttpUrl } from '../../core/config.ts';
import { reportView, type ReportView } from '../../core/recon/view.ts';
import { CliError } from '../options.ts';
import { checkBillDate, CommandFailed } from './bill-options.ts';
import { alipayOptionsFromDataDir } from './core.ts';
import { wechatpayOptionsOf } from './core-wechatpay.ts';
import { wechatpayConnector } from '../../core/connectors/wechatpay/index.ts';
import { reportTable } from './reconcile-table.ts';

interface ReconcileArgs {
  channel: string;
  date: string;
  'core-url': string;
  'data-dir'?: string;
  'channel-url': string;
  'alipay-app-id': string;
  'wechatpay-mchid': string;
  rerun: boolean;
  json: boolean;
}

export const reconcileCommand: CommandModule = {
  command: 'reconcile',
  describe: "Run the core's reconciliation of a day against the channel's bill and print the report",
  builder: (yargs) =>
    yargs
      .option('channel', { choices: ['alipay', 'wechatpay'] as const, default: 'alipay', describe: 'The channel to reconcile' })
      .option('date', { type: 'string', demandOption: true, describe: 'The bill day, yyyy-MM-dd in Beijing time' })
      .option('core-url', { type: 'string', default: 'http://127.0.0.1:4020', describe: 'A running core' })
      .option('data-dir', { type: 'string', describe: 'Instead of --core-url: a core data dir, opened here (the core must not be running on it)' })
      .option('channel-url', { type: 'string', default: 'http://127.0.0.1:4010', describe: 'With --data-dir: the channel (simulator) to download the bill from' })
      .option('alipay-app-id', { type: 'string', default: '2021000000000001', describe: "With --data-dir: the Alipay app, its keys under the data dir's keys/" })
      .option('wechatpay-mchid', { type: 'string', default: '1900000001', describe: "With --data-dir: the WeChat Pay merchant, its files under the data dir's keys/wechatpay/" })
      .option('rerun', { type: 'boolean', default: false, describe: 'Run again even if the day was reconciled, and show what changed' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report object (as GET /api/reconciliations/:id)' }),
  handler: async (argv) => {
    const args = argv as unknown as ReconcileArgs;
    checkBillDate(args.date);
    for (const name of ['core-url', 'channel-url'] as const) if (!isHttpUrl(args[name])) throw new CliError(`--${name} must be an http(s) URL, got ${JSON.stringify(args[name])}`);
    const report = args['data-dir'] === undefined ? await viaCoreUrl(args) : await viaDataDir(args, args['data-dir']);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : reportTable(report));
    if (report.status !== 'MATCHED') process.exitCode = 1;
  },
};

async function viaCoreUrl(args: ReconcileArgs): Promise<ReportView> {
  const coreUrl = args['core-url'].replace(/\/+$/, '');
  process.stderr.write(`reconciling ${args.channel} ${args.date} at ${coreUrl} …\n`);
  let response: Response;
  try {
    response = await fetch(`${coreUrl}/api/reconciliations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: args.channel, billDate: args.date, ...(args.rerun ? { rerun: true } : {}) }),
    });
  } catch (error) {
    throw new CommandFailed(`no paysim core answers at ${coreUrl} (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}): start one with \`paysim up\` or \`paysim core\`, or pass --core-url (or --data-dir)`);
  }
  const body = (await response.json().catch(() => undefined)) as (ReportView & { code?: string; message?: string }) | undefined;
  if (!body) throw new CommandFailed(`${coreUrl} answered HTTP ${response.status} without JSON: is it a paysim core?`);
  if (response.status >= 400) throw new CommandFailed(`the core refused: ${body.code}: ${body.message}`);
  return body;
}

async function viaDataDir(args: ReconcileArgs, dataDir: string): Promise<ReportView> {
  const channelUrl = args['channel-url'].replace(/\/+$/, '');
  const connectors = args.channel === 'wechatpay'
    ? { wechatpay: await wechatpayConnectorFromDataDir(dataDir, channelUrl, args['wechatpay-mchid']) }
    : { alipay: await alipayOptionsFromDataDir({ dataDir, channelUrl, appId: args['alipay-app-id'] }) };
  const core = await createCore({ dataDir, connectors, config: { port: 0, checksIntervalMs: 0, reconciliation: { dailyAt: null } } }).catch((error: unknown) => {
    throw new CliError(`cannot open the core data dir ${dataDir} (${error instanceof Error ? error.message : String(error)}); if a core is running on it, pass --core-url instead`);
  });
  try {
    const progress = (rows: number) => process.stderr.write(`\r  ${rows.toLocaleString('en')} bill rows read …`);
    const outcome = await core.components.reconciliation.reconcile({ channel: args.channel, billDate: args.date, rerun: args.rerun, onProgress: progress });
    switch (outcome.outcome) {
      case 'created':
      case 'existing':
        process.stderr.write('\r');
        return reportView(outcome.report);
      case 'dayNotOver':
        throw new CommandFailed(`${args.date} has not ended yet in Beijing time: its bill exists from the next day (normally by 09:00 Beijing time); ask again then`);
      case 'unknownChannel':
        throw new CliError(`channel ${outcome.channel} is not configured`);
    }
  } finally {
    await core.close();
  }
}

/** The WeChat Pay merchant's options from the files `paysim sim` wrote under the data dir, checked. */
async function wechatpayConnectorFromDataDir(dataDir: string, channelUrl: string, mchid: string) {
  const options = await wechatpayOptionsOf({ 'data-dir': dataDir, 'wechatpay-mchid': mchid }, channelUrl);
  if (!options) throw new CliError(`no WeChat Pay merchant ${mchid} under ${dataDir}/keys/wechatpay/: start \`paysim sim --data-dir ${dataDir}\` once, or pass --wechatpay-mchid`);
  try {
    wechatpayConnector.parseOptions(options);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  return options;
}
