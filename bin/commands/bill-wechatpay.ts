// `paysim bill --channel wechatpay`: one of the day's WeChat Pay bills exactly as the channel serves it,
// through the official wechatpay-axios-plugin as a merchant would fetch it: GET /v3/bill/tradebill
// (bill_type ALL, SUCCESS or REFUND) or /v3/bill/fundflowbill (account_type BASIC, OPERATION or FEES),
// signed and verified, then the signed GET of its download_url (answered unsigned), checked against
// hash_value (the SHA1 of the uncompressed file). With --gzip it asks tar_type=GZIP and writes the gzip.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CliError } from '../options.ts';
import type { BillArgs } from './bill.ts';
import { CommandFailed, notReadyMessage, writeFileWhole } from './bill-options.ts';

const tradeBillTypes = ['ALL', 'SUCCESS', 'REFUND'] as const;
const billTypes = [...tradeBillTypes, 'FUNDFLOW'] as const;
const accountTypes = ['BASIC', 'OPERATION', 'FEES'] as const;
/** The largest bill file read (a big day of a big merchant). */
const fileBytesMax = 512 * 1024 * 1024;

interface WechatpayApp {
  readonly channel: string;
  readonly appId: string;
  readonly merchantPrivateKeyPem?: string;
  readonly merchantSerial?: string;
  readonly platformSerial?: string;
  readonly platformCertPem?: string;
  readonly platformPublicKeyId?: string;
  readonly platformPublicKeyPem?: string;
}

/** Checks the WeChat-only options (and refuses the Alipay-only ones) before anything is started. */
export function checkWechatpayBillArgs(args: BillArgs): void {
  const type = (args.type ?? 'ALL').toUpperCase();
  if (!(billTypes as readonly string[]).includes(type)) throw new CliError(`--type ${JSON.stringify(args.type)} is not a WeChat Pay bill: use ALL, SUCCESS or REFUND (trade bills) or FUNDFLOW (the fund-flow bill)`);
  if (args['account-type'] !== undefined) {
    if (type !== 'FUNDFLOW') throw new CliError('--account-type is for the fund-flow bill: add --type FUNDFLOW');
    if (!(accountTypes as readonly string[]).includes(args['account-type'].toUpperCase())) throw new CliError(`--account-type ${JSON.stringify(args['account-type'])}: use BASIC, OPERATION or FEES`);
  }
  if (args.mchid !== undefined && args['app-id'] !== undefined && args.mchid !== args['app-id']) throw new CliError('--mchid and --app-id name two merchants: give one (--mchid)');
  const mchid = args.mchid ?? args['app-id'];
  if (mchid !== undefined && !/^\d{1,32}$/.test(mchid)) throw new CliError(`--mchid must be a WeChat Pay merchant id (digits, e.g. 1900000001), got ${JSON.stringify(mchid)}`);
}

export async function writeWechatpayBill(simUrl: string, args: BillArgs, apps: readonly WechatpayApp[]): Promise<void> {
  const type = (args.type ?? 'ALL').toUpperCase() as (typeof billTypes)[number];
  const accountType = (args['account-type'] ?? 'BASIC').toUpperCase();
  const gzip = args.gzip === true;
  const app = merchantOf(simUrl, apps, args.mchid ?? args['app-id']);
  // The SDK (and axios under it) loads here, not with the command line: it took a sixth of every start.
  const { Wechatpay } = await import('wechatpay-axios-plugin');
  const sdk = new Wechatpay({
    mchid: app.appId,
    serial: app.merchantSerial!,
    privateKey: app.merchantPrivateKeyPem!,
    certs: {
      ...(app.platformPublicKeyId && app.platformPublicKeyPem ? { [app.platformPublicKeyId]: app.platformPublicKeyPem } : {}),
      ...(app.platformSerial && app.platformCertPem ? { [app.platformSerial]: app.platformCertPem } : {}),
    },
    baseURL: `${simUrl}/`,
    timeout: 30_000,
    maxContentLength: fileBytesMax,
    // Business errors are signed too: the SDK verifies every status it accepts.
    validateStatus: () => true,
  });
  const what = type === 'FUNDFLOW' ? `WeChat Pay fund-flow bill (${accountType} account)` : `WeChat Pay ${type} trade bill`;
  const params = type === 'FUNDFLOW'
    ? { bill_date: args.date, account_type: accountType, ...(gzip ? { tar_type: 'GZIP' } : {}) }
    : { bill_date: args.date, bill_type: type, ...(gzip ? { tar_type: 'GZIP' } : {}) };
  const answer = await request(simUrl, () => sdk.chain(type === 'FUNDFLOW' ? 'v3/bill/fundflowbill' : 'v3/bill/tradebill').get({ params }));
  if (answer.status !== 200) throw new CommandFailed(await refusal(simUrl, args.date, what, answer));
  const data = (answer.data ?? {}) as { download_url?: unknown; hash_type?: unknown; hash_value?: unknown };
  if (typeof data.download_url !== 'string' || !URL.canParse(data.download_url) || typeof data.hash_value !== 'string') {
    throw new CommandFailed(`the simulator at ${simUrl} answered the ${what} request without a download_url and hash_value (${JSON.stringify(answer.data).slice(0, 160)})`);
  }
  // The link names WeChat's host; the file comes from the simulator under the link's path and token.
  const link = new URL(data.download_url);
  const download = await request(simUrl, () => sdk.chain('v3/billdownload/file').get({ params: Object.fromEntries(link.searchParams), responseType: 'arraybuffer' }));
  const file = Buffer.isBuffer(download.data) || download.data instanceof ArrayBuffer ? Buffer.from(download.data as ArrayBuffer) : Buffer.alloc(0);
  if (download.status !== 200) throw new CommandFailed(`the download of the ${what} answered HTTP ${download.status} (${file.toString('utf8').slice(0, 160)}); ask again: its link lives 30 s`);
  const text = gzip ? gunzipped(file) : file;
  const sha1 = text ? createHash('sha1').update(text).digest('hex') : undefined;

  const out = resolve(args.out ?? defaultFileName(args.date, type, accountType, gzip));
  await writeFileWhole(out, file);
  const rows = text ? detailRows(text) : undefined;
  process.stdout.write(`wrote ${out} (${file.length} bytes${gzip ? ', gzip' : ''}, ${rows ?? '?'} rows: the ${what} of ${args.date} for merchant ${app.appId}; SHA1 ${sha1 === data.hash_value.toLowerCase() ? 'matches hash_value' : 'DIFFERS'})\n`);
  if (sha1 !== data.hash_value.toLowerCase()) {
    process.stderr.write(`paysim: warning: the file's SHA1 is ${sha1 ?? '(no gzip to open)'}, hash_value says ${data.hash_value}: the channel served a corrupt file (the bill_corrupt fault?); it is written as served\n`);
  }
}

function merchantOf(simUrl: string, apps: readonly WechatpayApp[], mchid: string | undefined): WechatpayApp {
  const merchants = apps.filter((app) => app.channel === 'wechatpay');
  const app = mchid === undefined ? merchants[0] : merchants.find((candidate) => candidate.appId === mchid);
  if (!app) throw new CliError(mchid === undefined ? `the simulator at ${simUrl} has no WeChat Pay merchant` : `the simulator at ${simUrl} has no WeChat Pay merchant ${mchid}; it has ${merchants.map((candidate) => candidate.appId).join(', ') || 'none'}: pass one of them as --mchid`);
  if (!app.merchantPrivateKeyPem || !app.merchantSerial) {
    const usable = merchants.find((candidate) => candidate.merchantPrivateKeyPem && candidate.merchantSerial)?.appId;
    throw new CliError(`merchant ${app.appId} was registered with your own key: the simulator cannot sign its requests; fetch its bill with your own client, or use ${usable ? `--mchid ${usable}` : 'the default merchant'}`);
  }
  return app;
}

interface Answer {
  readonly status: number;
  readonly data: unknown;
}

async function request(simUrl: string, send: () => Promise<Answer>): Promise<Answer> {
  try {
    return await send();
  } catch (error) {
    const failure = error as { code?: string; message?: string };
    throw new CommandFailed(`the simulator at ${simUrl} did not answer the bill request (${failure.code ?? 'error'}: ${String(failure.message ?? error).slice(0, 160)}); is it up? Start one with \`paysim sim\`, or pass --sim-url`);
  }
}

async function refusal(simUrl: string, billDate: string, what: string, answer: Answer): Promise<string> {
  const body = (answer.data ?? {}) as { code?: string; message?: string };
  switch (body.code) {
    case 'STATEMENT_CREATING':
      return notReadyMessage(simUrl, billDate);
    case 'NO_STATEMENT_EXIST':
      return `there is no ${what} of ${billDate} (NO_STATEMENT_EXIST): the merchant had no trades, or no flow on that account, that day`;
    case 'INVALID_REQUEST':
      return `the ${what} of ${billDate} cannot be had (INVALID_REQUEST: ${body.message ?? ''}): WeChat Pay keeps bills for 3 months`;
    default:
      return `the simulator refused the ${what} of ${billDate}: HTTP ${answer.status} ${body.code ?? ''} ${body.message ?? ''}`.trim();
  }
}

function gunzipped(file: Buffer): Buffer | undefined {
  try {
    return gunzipSync(file, { maxOutputLength: fileBytesMax });
  } catch {
    return undefined;
  }
}

/** Data rows: the backtick lines between the plain header and the plain summary header. */
function detailRows(text: Buffer): number {
  const lines = text.toString('utf8').split(/\r?\n/);
  const summaryAt = lines.findIndex((line, index) => index > 0 && !line.startsWith('`') && line.trim() !== '');
  return lines.slice(1, summaryAt < 0 ? undefined : summaryAt).filter((line) => line.startsWith('`')).length;
}

function defaultFileName(billDate: string, type: string, accountType: string, gzip: boolean): string {
  return `${billDate}_${type === 'FUNDFLOW' ? `FUNDFLOW_${accountType}` : type}.csv${gzip ? '.gz' : ''}`;
}
