// Reads a bill zip the way a careful merchant must: entry names are raw GBK bytes (the UTF-8 flag is
// clear), contents are GBK text.
import iconv from 'iconv-lite';
import yauzl from 'yauzl';

export interface BillEntry {
  readonly name: string;
  readonly utf8Flag: boolean;
  readonly text: string;
}

export async function readBillZip(zip: Buffer): Promise<BillEntry[]> {
  const zipFile = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false });
  const entries: BillEntry[] = [];
  for await (const entry of zipFile.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zipFile.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.push({
      // With decodeStrings: false yauzl hands the name over as raw bytes.
      name: iconv.decode(entry.fileName as unknown as Buffer, 'gbk'),
      utf8Flag: (entry.generalPurposeBitFlag & 0x800) !== 0,
      text: iconv.decode(Buffer.concat(chunks), 'gbk'),
    });
  }
  return entries;
}

/** The detail file's data rows (between header and end marker), keyed by column name, TABs stripped. */
export function billDetailRows(text: string): Record<string, string>[] {
  const lines = text.split('\r\n');
  const headerIndex = lines.findIndex((line) => line.startsWith('支付宝交易号,'));
  const endIndex = lines.findIndex((line) => line.includes('业务明细列表结束'));
  if (headerIndex < 0 || endIndex < headerIndex) throw new Error(`not a trade detail bill:\n${text.slice(0, 400)}`);
  const header = lines[headerIndex]!.split(',');
  // The simulated subjects hold no commas or quotes, so a plain split is exact here.
  return lines.slice(headerIndex + 1, endIndex).map((line) => {
    const cells = line.split(',').map((cell) => cell.replace(/\t$/, ''));
    if (cells.length !== header.length) throw new Error(`row has ${cells.length} cells, header ${header.length}: ${line}`);
    return Object.fromEntries(header.map((name, index) => [name, cells[index]!]));
  });
}

/** The line starting with `prefix` (e.g. `#交易合计：`). */
export function billLine(text: string, prefix: string): string | undefined {
  return text.split('\r\n').find((line) => line.startsWith(prefix));
}
