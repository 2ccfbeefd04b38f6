// `paysim core`'s WeChat Pay options: the merchant's key files from the data dir the simulator writes
// (keys/wechatpay/<mchid>/: apiclient_key.pem, apiclient_cert.pem, apiv3_key.txt, wechatpay_<serial>.pem,
// pub_key.pem), each replaceable by an option. The WeChat Pay public key's id is in no file: it is
// --wechatpay-public-key-id, or asked of a paysim simulator. Without the key directory and without any
// --wechatpay-* option, the core runs without WeChat Pay.
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { WechatpayConnectorOptions } from '../../core/connectors/wechatpay/index.ts';
import { wechatpayAppIdOf } from '../../scenarios/harness/connect.ts';
import { CliError } from '../options.ts';

export interface WechatpayArgs {
  'wechatpay-mchid': string;
  'wechatpay-appid'?: string;
  'wechatpay-private-key'?: string;
  'wechatpay-cert'?: string;
  'wechatpay-serial'?: string;
  'wechatpay-api-v3-key'?: string;
  'wechatpay-platform-cert'?: string;
  'wechatpay-public-key'?: string;
  'wechatpay-public-key-id'?: string;
}

const defaultMchid = '1900000001';

export function wechatpayCliOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('wechatpay-mchid', { type: 'string', default: defaultMchid, describe: 'WeChat Pay merchant id; its key files are read from <data-dir>/keys/wechatpay/<mchid>/' })
    .option('wechatpay-appid', { type: 'string', describe: "App id the orders name (default: the one `paysim up` gives the merchant)" })
    .option('wechatpay-private-key', { type: 'string', describe: 'Merchant API private key file (PEM); default <key dir>/apiclient_key.pem' })
    .option('wechatpay-cert', { type: 'string', describe: 'Merchant API certificate (its serial signs requests); default <key dir>/apiclient_cert.pem' })
    .option('wechatpay-serial', { type: 'string', describe: 'Merchant certificate serial (hex), instead of reading it from --wechatpay-cert' })
    .option('wechatpay-api-v3-key', { type: 'string', describe: 'File holding the 32-character APIv3 key; default <key dir>/apiv3_key.txt' })
    .option('wechatpay-platform-cert', { type: 'string', describe: 'WeChat Pay platform certificate; default every <key dir>/wechatpay_<serial>.pem' })
    .option('wechatpay-public-key', { type: 'string', describe: 'WeChat Pay public key (PEM); default <key dir>/pub_key.pem, used with --wechatpay-public-key-id' })
    .option('wechatpay-public-key-id', { type: 'string', describe: 'Its id (PUB_KEY_ID_…); default: asked of a paysim simulator' });
}

function read(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): pass ${option} FILE, or start \`paysim sim --data-dir DIR\` once so the default WeChat Pay merchant's files exist`);
  }
}

function certificateSerial(pem: string, what: string): string {
  let serial: string;
  try {
    serial = new X509Certificate(pem).serialNumber.toUpperCase();
  } catch (error) {
    throw new CliError(`${what} is not an X.509 certificate (${(error as Error).message})`);
  }
  // A serial whose first byte is 0x80 or more, written without a leading 00, reads as a negative DER
  // INTEGER; WeChat names the serial by its bytes, so take them back (two's complement).
  if (serial.startsWith('-')) {
    const magnitude = serial.slice(1);
    const bytes = Math.ceil(magnitude.length / 2);
    serial = ((1n << BigInt(bytes * 8)) - BigInt(`0x${magnitude}`)).toString(16).toUpperCase().padStart(bytes * 2, '0');
  }
  return serial.replace(/^(00)+(?=.)/, '');
}

/** A paysim simulator tells its merchants' public key ids; any other host does not. */
async function discoverPublicKeyId(channelUrl: string, mchid: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${channelUrl}/_sim/apps`, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) return undefined;
    const apps = (await response.json()) as { channel?: string; mchid?: string; appId?: string; platformPublicKeyId?: string }[];
    return apps.find((app) => app.channel === 'wechatpay' && (app.mchid ?? app.appId) === mchid)?.platformPublicKeyId;
  } catch {
    return undefined;
  }
}

/** The connector options, or undefined when WeChat Pay is not configured (no key dir, no --wechatpay-* option). */
export async function wechatpayOptionsOf(args: WechatpayArgs & { 'data-dir': string }, channelUrl: string): Promise<WechatpayConnectorOptions | undefined> {
  const mchid = args['wechatpay-mchid'];
  const keyDir = join(args['data-dir'], 'keys', 'wechatpay', mchid);
  const named = Object.entries(args).some(([name, value]) => name.startsWith('wechatpay-') && name !== 'wechatpay-mchid' && value !== undefined) || mchid !== defaultMchid;
  if (!named && !existsSync(keyDir)) return undefined;
  const privateKeyPem = read(args['wechatpay-private-key'] ?? join(keyDir, 'apiclient_key.pem'), '--wechatpay-private-key');
  const certPath = args['wechatpay-cert'] ?? join(keyDir, 'apiclient_cert.pem');
  const merchantSerialNo = args['wechatpay-serial'] ?? certificateSerial(read(certPath, '--wechatpay-cert (or --wechatpay-serial HEX)'), certPath);
  const apiV3Key = read(args['wechatpay-api-v3-key'] ?? join(keyDir, 'apiv3_key.txt'), '--wechatpay-api-v3-key').trim();
  const platformKeys: Record<string, string> = {};
  const certificates = args['wechatpay-platform-cert'] !== undefined
    ? [args['wechatpay-platform-cert']]
    : existsSync(keyDir) ? readdirSync(keyDir).filter((name) => /^wechatpay_.+\.pem$/.test(name)).map((name) => join(keyDir, name)) : [];
  for (const path of certificates) {
    const pem = read(path, '--wechatpay-platform-cert');
    platformKeys[certificateSerial(pem, path)] = pem;
  }
  const publicKeyPath = args['wechatpay-public-key'] ?? join(keyDir, 'pub_key.pem');
  if (args['wechatpay-public-key'] !== undefined || existsSync(publicKeyPath)) {
    const publicKeyId = args['wechatpay-public-key-id'] ?? (await discoverPublicKeyId(channelUrl, mchid));
    if (publicKeyId) platformKeys[publicKeyId] = read(publicKeyPath, '--wechatpay-public-key');
    else if (args['wechatpay-public-key'] !== undefined) throw new CliError('--wechatpay-public-key needs --wechatpay-public-key-id PUB_KEY_ID_… (the channel at --channel-url does not say it)');
  }
  if (Object.keys(platformKeys).length === 0) {
    throw new CliError(`no WeChat Pay key to verify answers with: pass --wechatpay-public-key FILE with --wechatpay-public-key-id, or --wechatpay-platform-cert FILE (looked in ${keyDir})`);
  }
  return { mchid, appid: args['wechatpay-appid'] ?? wechatpayAppIdOf(mchid), merchantSerialNo, privateKeyPem, platformKeys, apiV3Key, baseUrl: channelUrl };
}
