// The day's trade bill (docs/alipay-protocol.md §10): ask alipay.data.dataservice.bill.downloadurl.query
// for a short-lived link (30 s), then GET the zip it points to. The zip is returned as bytes; parsing
// it (GBK names and contents) is reconciliation's job.
import { assert } from '../../domain/assert.ts';
import type { BillDownload } from '../channel.ts';
import { unavailable } from './errors.ts';
import type { Gateway } from './sdk.ts';
import { textField } from './wire.ts';

/** `isp.bill_not_exist` is what the live gateway says for a bill not generated yet; the rest are the documented enum. */
const notReadyCodes = new Set(['isp.bill_not_exist', 'BILL_NOT_EXIST']);
const emptyCodes = new Set(['NO_BILL_DATA']);
const billAnswers = new Set([...notReadyCodes, ...emptyCodes]);

/** Largest bill file accepted in memory; a day's trade bill past this needs streaming, not this call. */
const billBytesMax = 512 * 1024 * 1024;

export interface BillDeps {
  readonly gateway: Gateway;
  readonly timeoutMs: number;
}

export async function downloadBill(deps: BillDeps, billDate: string): Promise<BillDownload> {
  // Reconciliation derives the date from the clock: a malformed one is a bug, not a channel answer.
  assert(/^\d{4}-\d{2}-\d{2}$/.test(billDate), `alipay downloadBill: bill date must be yyyy-MM-dd (Beijing), got ${JSON.stringify(billDate)}`);
  const settled = await deps.gateway({
    operation: 'downloadBill',
    method: 'alipay.data.dataservice.bill.downloadurl.query',
    bizContent: { bill_type: 'trade', bill_date: billDate },
    definiteSubCodes: billAnswers,
  });
  if (settled.kind === 'business') return notReadyCodes.has(settled.subCode) ? { kind: 'notReady' } : { kind: 'empty' };
  const url = textField(settled.fields.bill_download_url);
  // EMPTY_DATA_WITH_BILL_FILE still comes with a file (headers, no rows): download it, so the day is
  // reconciled against a real (empty) bill. Only with nothing to download is the day `empty`.
  if (!url) {
    if (settled.fields.bill_file_code === 'EMPTY_DATA_WITH_BILL_FILE') return { kind: 'empty' };
    throw unavailable('downloadBill', 'downloadurl.query answered 10000 without bill_download_url');
  }
  return fetchBillFile(url, deps.timeoutMs);
}

async function fetchBillFile(url: string, timeoutMs: number): Promise<BillDownload> {
  const failed = (error: unknown) => unavailable('downloadBill', `bill file GET failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  // One deadline for the whole download, headers and body.
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    throw failed(error);
  }
  const declaredBytes = Number(response.headers.get('content-length') ?? '0');
  if (response.status !== 200 || declaredBytes > billBytesMax) {
    await response.body?.cancel().catch(() => undefined);
    throw unavailable('downloadBill', response.status !== 200
      ? `bill file GET answered HTTP ${response.status}`
      : `bill file is ${declaredBytes} bytes, more than the ${billBytesMax} this connector reads into memory`);
  }
  let file: Buffer;
  try {
    file = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw failed(error);
  }
  return { kind: 'ready', file, fileName: fileNameOf(response, url) };
}

/** The name Alipay gives the zip: content-disposition, else the link's downloadFileName, else its path. */
function fileNameOf(response: Response, url: string): string {
  const disposition = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '');
  if (disposition) return disposition[1]!;
  const link = new URL(url);
  return link.searchParams.get('downloadFileName') ?? link.pathname.split('/').at(-1) ?? 'bill.csv.zip';
}
