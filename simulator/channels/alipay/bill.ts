// Alipay's daily trade bill as the zip that `bill_download_url` serves (protocol doc §10): two CSV entries
// whose names and contents are GBK, in a zip whose UTF-8 flag (bit 11) is clear.
//
// The zip is written here rather than with jszip: given non-ASCII names, jszip always adds an Info-ZIP
// Unicode Path extra field (0x7075) holding the UTF-8 name, and readers such as yauzl, commons-compress and
// Info-ZIP unzip prefer it. A merchant that forgets to decode names as GBK would then pass against the
// simulator and fail against Alipay. Two entries need no more than the three classic zip headers.

import { crc32, deflateRawSync } from 'node:zlib';
import type iconvModule from 'iconv-lite';
import { lazyRequire } from '../../../lib/lazy-require.ts';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { alipayBillAccount, alipayTradeBillCsv, type AlipayBillInput } from './bill-csv.ts';

const loadIconv = lazyRequire<typeof iconvModule>('iconv-lite');

export {
  alipayBillAccount,
  alipayBillRowsMax,
  alipayTradeBillCsv,
  alipayTradeBillDetailColumns,
  alipayTradeBillSummaryColumns,
  csvField,
} from './bill-csv.ts';
export type { AlipayBillInput, AlipayBillTradeRow, AlipayTradeBillTexts } from './bill-csv.ts';

export interface AlipayBillZip {
  /** `{PID}0156_{yyyyMMdd}.csv.zip`, the `downloadFileName` of the real download URL. */
  readonly fileName: string;
  readonly zip: Buffer;
}

/** `{PID}0156_{yyyyMMdd}.csv.zip` for a daily bill. */
export function alipayTradeBillZipName(accountId: string, billDate: string): string {
  return `${alipayBillAccount(accountId)}_${billDate.replaceAll('-', '')}.csv.zip`;
}

/**
 * Builds the day's trade bill zip. Pure and deterministic: the same input gives the same bytes (entry
 * dates come from `exportedAtMs`, deflate runs at a fixed level), for a given Node/zlib build.
 * Characters GBK cannot encode (emoji, for one) become `?`, as a GBK export would show them.
 */
export async function buildAlipayTradeBillZip(input: AlipayBillInput): Promise<AlipayBillZip> {
  const texts = alipayTradeBillCsv(input);
  const zip = writeZip(
    [
      { nameBytes: encodeGbk(texts.detailName), content: encodeGbk(texts.detailText) },
      { nameBytes: encodeGbk(texts.summaryName), content: encodeGbk(texts.summaryText) },
    ],
    input.exportedAtMs,
  );
  return { fileName: alipayTradeBillZipName(input.accountId, input.billDate), zip };
}

function encodeGbk(text: string): Buffer {
  return loadIconv().encode(text, 'gbk');
}

interface ZipEntry {
  readonly nameBytes: Buffer;
  readonly content: Buffer;
}

const localHeaderSignature = 0x04034b50;
const centralHeaderSignature = 0x02014b50;
const endOfCentralDirectorySignature = 0x06054b50;
/** Made by MS-DOS (high byte 0), spec 2.0; 2.0 is also what deflate needs to extract. */
const zipVersion = 20;
const methodDeflate = 8;
/** No bit set: in particular bit 11 (names are UTF-8) stays clear, and sizes sit in the local header. */
const generalPurposeFlags = 0;
const zip32Max = 0xffff_ffff;

function writeZip(entries: readonly ZipEntry[], modifiedAtMs: number): Buffer {
  const { dosTime, dosDate } = dosDateTime(modifiedAtMs);
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const compressed = deflateRawSync(entry.content, { level: 9 });
    if (entry.content.length >= zip32Max || offset >= zip32Max || entry.nameBytes.length > 0xffff) {
      throw new RangeError('bill zip entry too large for a zip without zip64');
    }
    // The fields local and central headers share, from "version needed" to "file name length".
    const common = Buffer.alloc(26);
    common.writeUInt16LE(zipVersion, 0);
    common.writeUInt16LE(generalPurposeFlags, 2);
    common.writeUInt16LE(methodDeflate, 4);
    common.writeUInt16LE(dosTime, 6);
    common.writeUInt16LE(dosDate, 8);
    common.writeUInt32LE(crc32(entry.content), 10);
    common.writeUInt32LE(compressed.length, 14);
    common.writeUInt32LE(entry.content.length, 18);
    common.writeUInt16LE(entry.nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // no extra fields, above all no Unicode Path field
    const local = Buffer.alloc(4);
    local.writeUInt32LE(localHeaderSignature, 0);
    localParts.push(local, common, entry.nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(centralHeaderSignature, 0);
    central.writeUInt16LE(zipVersion, 4);
    common.copy(central, 6);
    // comment length, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, entry.nameBytes);
    offset += local.length + common.length + entry.nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(endOfCentralDirectorySignature, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}

/** DOS date and time carry no zone; Alipay's exports show Beijing wall-clock time. */
function dosDateTime(epochMs: number): { dosTime: number; dosDate: number } {
  const [year, month, day, hour, minute, second] = formatBeijingDateTime(epochMs).split(/[- :]/).map(Number) as [
    number, number, number, number, number, number,
  ];
  if (year < 1980 || year > 2107) throw new RangeError(`${year} cannot be written as a zip (DOS) date`);
  return {
    dosTime: (hour << 11) | (minute << 5) | Math.floor(second / 2),
    dosDate: ((year - 1980) << 9) | (month << 5) | day,
  };
}
