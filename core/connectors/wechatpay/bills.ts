// The day's trade bill (docs/wechatpay-protocol.md §6.6, §9): GET /v3/bill/tradebill for a short-lived
// download_url (30 s) and the SHA1 of the uncompressed file, then GET that URL, signed like any v3
// request and answered unsigned (the SDK skips verification for /v3/billdownload/file). The file is
// checked against the hash here and returned as the bytes it came as (CSV with BOM, or gzip); reading
// it into rows is bill-rows.ts's job.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Wechatpay } from 'wechatpay-axios-plugin';
import { assert } from '../../domain/assert.ts';
import type { BillDownload } from '../channel.ts';
import { clip, unavailable } from './errors.ts';
import { answerBytesMax, call, isRecord, settle } from './sdk.ts';
import { textField } from './wire.ts';

/** 400 NO_STATEMENT_EXIST: no trades that day; 400 STATEMENT_CREATING: not generated yet (T+1 after 08:00). */
const emptyCode = 'NO_STATEMENT_EXIST';
const notReadyCode = 'STATEMENT_CREATING';
const billAnswers = new Set([emptyCode, notReadyCode]);

/** The one path WeChat serves bill files under; a link elsewhere is not a bill link. */
const downloadPath = '/v3/billdownload/file';

export async function downloadBill(sdk: Wechatpay, billDate: string): Promise<BillDownload> {
  // Reconciliation derives the date from the clock: a malformed one is a bug, not a channel answer.
  assert(/^\d{4}-\d{2}-\d{2}$/.test(billDate), `wechatpay downloadBill: bill date must be yyyy-MM-dd (Beijing), got ${JSON.stringify(billDate)}`);
  const answer = await call('downloadBill', () => sdk.chain('v3/bill/tradebill').get({ params: { bill_date: billDate, bill_type: 'ALL' } }));
  const settled = settle('downloadBill', answer, billAnswers);
  if (settled.kind === 'refused') return settled.code === emptyCode ? { kind: 'empty' } : { kind: 'notReady' };
  const data = isRecord(settled.data) ? settled.data : {};
  const link = textField(data.download_url);
  const hashType = textField(data.hash_type);
  const hashValue = textField(data.hash_value);
  if (!link || !URL.canParse(link)) throw unavailable('downloadBill', `tradebill answered without a usable download_url (${JSON.stringify(data.download_url)})`);
  if (hashType !== 'SHA1' || !hashValue || !/^[0-9a-fA-F]{40}$/.test(hashValue)) throw unavailable('downloadBill', `tradebill answered hash ${JSON.stringify(hashType)} ${JSON.stringify(hashValue)}, not a SHA1`);
  const url = new URL(link);
  if (url.pathname !== downloadPath) throw unavailable('downloadBill', `download_url ${clip(link)} is not under ${downloadPath}`);
  // The link names the real host; the file is fetched from the configured base URL with the link's
  // query (the token), and the SDK signs path and query as it does every request.
  const file = await fetchFile(sdk, Object.fromEntries(url.searchParams));
  const text = isGzip(file) ? gunzipped(file) : file;
  const actual = createHash('sha1').update(text).digest('hex');
  if (actual !== hashValue.toLowerCase()) throw unavailable('downloadBill', `the bill file's SHA1 is ${actual}, tradebill said ${hashValue.toLowerCase()}: the download is corrupt; it is retried later`);
  return { kind: 'ready', file, fileName: `${billDate}_ALL${isGzip(file) ? '.csv.gz' : '.csv'}` };
}

async function fetchFile(sdk: Wechatpay, params: Record<string, string>): Promise<Buffer> {
  // The query goes in `params`, not the path: the SDK's skip list matches the bare path.
  const answer = await call('downloadBill', () => sdk.chain('v3/billdownload/file').get({ params, responseType: 'arraybuffer' }));
  if (answer.status !== 200) {
    const text = Buffer.isBuffer(answer.data) || answer.data instanceof ArrayBuffer ? Buffer.from(answer.data as ArrayBuffer).toString('utf8') : String(answer.data);
    throw unavailable('downloadBill', `the bill file GET answered HTTP ${answer.status} (${clip(text)})`);
  }
  const data = answer.data;
  if (!(Buffer.isBuffer(data) || data instanceof ArrayBuffer)) throw unavailable('downloadBill', 'the bill file GET answered no bytes');
  const file = Buffer.from(data as ArrayBuffer);
  assert(file.length <= answerBytesMax, 'the SDK let through more than maxContentLength');
  return file;
}

export function isGzip(file: Buffer): boolean {
  return file.length >= 2 && file[0] === 0x1f && file[1] === 0x8b;
}

function gunzipped(file: Buffer): Buffer {
  try {
    return gunzipSync(file, { maxOutputLength: answerBytesMax });
  } catch (error) {
    throw unavailable('downloadBill', `the gzip bill file does not decompress (${(error as Error).message}): the download is corrupt; it is retried later`);
  }
}
