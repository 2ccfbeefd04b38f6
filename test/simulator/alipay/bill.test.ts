import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../../../lib/money.ts';
import { parseBeijingDateTime } from '../../../lib/time-format.ts';
import {
  alipayTradeBillCsv,
  buildAlipayTradeBillZip,
  type AlipayBillInput,
  type AlipayBillTradeRow,
} from '../../../simulator/channels/alipay/bill.ts';

const pid = '2088102177846880';
const account = '20881021778468800156';
const beijing = (text: string): number => parseBeijingDateTime(text) ?? expect.unreachable(`bad time ${text}`);

const lunch: AlipayBillTradeRow = {
  kind: 'payment',
  tradeNo: '2026060522001419931441931972',
  outTradeNo: 'ORDER-1',
  subject: '午餐套餐',
  createdAtMs: beijing('2026-06-05 10:00:00'),
  finishedAtMs: beijing('2026-06-05 10:00:05'),
  counterparty: 'xud***@126.com',
  orderFen: 8880,
  receivedFen: 8880,
  serviceFeeFen: 53,
  storeId: 'S001',
  storeName: '西湖店',
};
const coffee: AlipayBillTradeRow = {
  kind: 'payment',
  tradeNo: '2026060522001419931441931999',
  outTradeNo: 'ORDER-2',
  subject: '咖啡',
  createdAtMs: beijing('2026-06-05 11:00:00'),
  finishedAtMs: beijing('2026-06-05 11:00:02'),
  counterparty: '**博(156******89)',
  orderFen: 1999,
  receivedFen: 1999,
  serviceFeeFen: 12,
  remark: '外带',
};
const lunchRefund: AlipayBillTradeRow = {
  ...lunch,
  kind: 'refund',
  finishedAtMs: beijing('2026-06-05 15:30:00'),
  receivedFen: -3000,
  outRequestNo: 'REFUND-1',
  serviceFeeFen: -18,
};

function billInput(rows: readonly AlipayBillTradeRow[]): AlipayBillInput {
  return {
    accountId: pid,
    billDate: '2026-06-05',
    dayStartMs: beijing('2026-06-05'),
    exportedAtMs: beijing('2026-06-06 06:27:10'),
    rows,
  };
}

interface RawEntry {
  nameBytes: Buffer;
  centralFlags: number;
  localFlags: number;
  extraFieldIds: number[];
  localExtraLength: number;
  crc32: number;
  wallClock: string;
  content: Buffer;
}

async function unzipRaw(zip: Buffer): Promise<RawEntry[]> {
  const zipFile = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false });
  const entries: RawEntry[] = [];
  for await (const entry of zipFile.eachEntry()) {
    const local = await zipFile.readLocalFileHeaderPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of await zipFile.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.push({
      // With decodeStrings: false yauzl hands the name over as the raw bytes.
      nameBytes: entry.fileName as unknown as Buffer,
      centralFlags: entry.generalPurposeBitFlag,
      localFlags: local.generalPurposeBitFlag,
      extraFieldIds: entry.extraFields.map((field) => field.id),
      localExtraLength: local.extraFieldLength,
      crc32: entry.crc32,
      // DOS times carry no zone: read them back as wall-clock fields.
      wallClock: entry.getLastModDate({ timezone: 'UTC' }).toISOString(),
      content: Buffer.concat(chunks),
    });
  }
  return entries;
}

async function billTexts(rows: readonly AlipayBillTradeRow[]): Promise<{ detail: string; summary: string }> {
  const [detail, summary] = await unzipRaw((await buildAlipayTradeBillZip(billInput(rows))).zip);
  return { detail: iconv.decode(detail!.content, 'gbk'), summary: iconv.decode(summary!.content, 'gbk') };
}

/** RFC 4180 records; a quoted field may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  expect(quoted, 'an unterminated quoted field').toBe(false);
  expect(record.length === 0 && field === '', 'text after the last CRLF').toBe(true);
  return records;
}

/** The data records of the detail file, as maps from column name to raw cell (TABs kept). */
function detailRows(detailText: string): Record<string, string>[] {
  const records = parseCsv(detailText);
  const headerIndex = records.findIndex((record) => record[0] === '支付宝交易号');
  const endIndex = records.findIndex((record) => record[0]!.includes('业务明细列表结束'));
  const header = records[headerIndex]!;
  return records.slice(headerIndex + 1, endIndex).map((record) => {
    expect(record).toHaveLength(header.length);
    return Object.fromEntries(header.map((name, column) => [name, record[column]!]));
  });
}

/** Signed yuan text to fen, through the integer parser only. */
function fenOf(yuan: string): number {
  return yuan.startsWith('-') ? -yuanToFen(yuan.slice(1)) : yuanToFen(yuan);
}

const detailStartMarker = '#-----------------------------------------业务明细列表----------------------------------------';
const detailEndMarker = '#-----------------------------------------业务明细列表结束------------------------------------';
const summaryStartMarker = '#-----------------------------------------业务汇总列表----------------------------------------';
const summaryEndMarker = '#----------------------------------------业务汇总列表结束-------------------------------------';
const detailHeader =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
const summaryHeader =
  '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）';

describe('Alipay daily trade bill zip', () => {
  it('names the zip {PID}0156_{yyyyMMdd}.csv.zip and holds the detail and summary entries under GBK names', async () => {
    const { fileName, zip } = await buildAlipayTradeBillZip(billInput([lunch]));
    expect(fileName).toBe(`${account}_20260605.csv.zip`);
    const entries = await unzipRaw(zip);
    expect(entries.map((entry) => iconv.decode(entry.nameBytes, 'gbk'))).toEqual([
      `${account}_20260605_业务明细.csv`,
      `${account}_20260605_业务明细(汇总).csv`,
    ]);
    expect(entries[0]!.nameBytes.equals(iconv.encode(`${account}_20260605_业务明细.csv`, 'gbk'))).toBe(true);
  });

  it('leaves the UTF-8 flag (bit 11) clear and adds no Unicode Path field that would rescue a non-GBK reader', async () => {
    const { zip } = await buildAlipayTradeBillZip(billInput([lunch]));
    for (const entry of await unzipRaw(zip)) {
      expect(entry.centralFlags & 0x800).toBe(0);
      expect(entry.localFlags & 0x800).toBe(0);
      expect(entry.extraFieldIds).toEqual([]);
      expect(entry.localExtraLength).toBe(0);
    }
    // A reader that does not know about GBK gets CP437 mojibake, exactly as with a real Alipay zip.
    const naive = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
    for await (const entry of naive.eachEntry()) expect(entry.fileName).not.toContain('业务明细');
  });

  it('stores CRC-32 values that match the contents', async () => {
    const { zip } = await buildAlipayTradeBillZip(billInput([lunch, lunchRefund]));
    for (const entry of await unzipRaw(zip)) expect(entry.crc32).toBe(crc32(entry.content));
  });

  it('stamps both entries with the export time as Beijing wall-clock time', async () => {
    const { zip } = await buildAlipayTradeBillZip(billInput([lunch]));
    const entries = await unzipRaw(zip);
    expect(entries.map((entry) => entry.wallClock)).toEqual(['2026-06-06T06:27:10.000Z', '2026-06-06T06:27:10.000Z']);
  });

  it('encodes the contents in GBK with CRLF line ends, the last line included', async () => {
    const { zip } = await buildAlipayTradeBillZip(billInput([lunch, coffee]));
    for (const entry of await unzipRaw(zip)) {
      expect(entry.content.includes(iconv.encode('商家实收（元）', 'gbk'))).toBe(true);
      expect(entry.content.includes(Buffer.from('商家实收（元）', 'utf8'))).toBe(false);
      const text = iconv.decode(entry.content, 'gbk');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    }
  });

  it('produces byte-identical zips for identical input', async () => {
    const first = await buildAlipayTradeBillZip(billInput([lunch, coffee, lunchRefund]));
    const second = await buildAlipayTradeBillZip(billInput([lunch, coffee, lunchRefund]));
    expect(second.zip.equals(first.zip)).toBe(true);
  });

  it('does not depend on the time zone of the process', async () => {
    const before = await buildAlipayTradeBillZip(billInput([lunch, lunchRefund]));
    const zoneBefore = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const after = await buildAlipayTradeBillZip(billInput([lunch, lunchRefund]));
      expect(after.zip.equals(before.zip)).toBe(true);
    } finally {
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });
});

describe('Alipay trade bill detail file', () => {
  it('opens with the four header lines, the start marker and the 25-column header row', async () => {
    const { detail } = await billTexts([lunch]);
    expect(detail.split('\r\n').slice(0, 5)).toEqual([
      '#支付宝业务明细查询',
      `#账号：[${account}]`,
      '#起始日期：[2026年06月05日 00:00:00]   终止日期：[2026年06月06日 00:00:00]',
      detailStartMarker,
      detailHeader,
    ]);
    expect(detailHeader.split(',')).toHaveLength(25);
  });

  it('writes one row per payment and refund, in input order, with TABs where real rows have them', async () => {
    const { detail } = await billTexts([lunch, coffee, lunchRefund]);
    const lines = detail.split('\r\n');
    const rows = lines.slice(lines.indexOf(detailHeader) + 1, lines.indexOf(detailEndMarker));
    expect(rows).toEqual([
      '2026060522001419931441931972\t,ORDER-1\t,交易\t,午餐套餐,2026-06-05 10:00:00,2026-06-05 10:00:05,S001\t,西湖店\t,\t,\t,' +
        'xud***@126.com\t,88.80,88.80,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.53,0.00,',
      '2026060522001419931441931999\t,ORDER-2\t,交易\t,咖啡,2026-06-05 11:00:00,2026-06-05 11:00:02,\t,\t,\t,\t,' +
        '**博(156******89)\t,19.99,19.99,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,\t,0.12,0.00,外带',
      '2026060522001419931441931972\t,ORDER-1\t,退款\t,午餐套餐,2026-06-05 10:00:00,2026-06-05 15:30:00,S001\t,西湖店\t,\t,\t,' +
        'xud***@126.com\t,88.80,-30.00,0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,REFUND-1\t,-0.18,0.00,',
    ]);
  });

  it('writes refund rows with a negative 商家实收 and the out_request_no as 退款批次号/请求号', async () => {
    const rows = detailRows((await billTexts([lunch, lunchRefund])).detail);
    const refunds = rows.filter((row) => row['业务类型'] === '退款\t');
    expect(refunds).toHaveLength(1);
    expect(fenOf(refunds[0]!['商家实收（元）']!)).toBe(-3000);
    expect(refunds[0]!['退款批次号/请求号']).toBe('REFUND-1\t');
    expect(rows.find((row) => row['业务类型'] === '交易\t')!['退款批次号/请求号']).toBe('\t');
  });

  it('ends with the end marker, totals lines equal to the sums of the rows, and the export time', async () => {
    const secondRefund: AlipayBillTradeRow = { ...lunchRefund, outRequestNo: 'REFUND-2', receivedFen: -1 };
    const { detail } = await billTexts([lunch, coffee, lunchRefund, secondRefund]);
    const rows = detailRows(detail);
    const receivedFen = (kind: string) =>
      rows.filter((row) => row['业务类型'] === `${kind}\t`).reduce((sum, row) => sum + fenOf(row['商家实收（元）']!), 0);
    const tail = detail.split('\r\n').slice(-5);
    expect(tail[0]).toBe(detailEndMarker);
    const trade = /^#交易合计：(\d+)笔，商家实收共(-?\d+\.\d{2})元，商家优惠共0\.00元$/.exec(tail[1]!);
    const refund = /^#退款合计：(\d+)笔，商家实收退款共(-?\d+\.\d{2})元，商家优惠退款共0\.00元$/.exec(tail[2]!);
    expect([Number(trade![1]), fenOf(trade![2]!)]).toEqual([2, receivedFen('交易')]);
    expect([Number(refund![1]), fenOf(refund![2]!)]).toEqual([2, receivedFen('退款')]);
    expect(refund![2]).toBe('-30.01');
    expect(tail.slice(3)).toEqual(['#导出时间：[2026年06月06日 06:27:10]', '']);
  });

  it('round-trips a subject and store name holding commas, quotes, a line break and Chinese text', async () => {
    const subject = 'Café "Deluxe", 大杯\r\n第二行';
    const awkward: AlipayBillTradeRow = { ...coffee, subject, storeId: 'S,2', storeName: '"二楼", 店', remark: 'a,"b"' };
    const text = alipayTradeBillCsv(billInput([awkward])).detailText;
    expect(text).toContain('"Café ""Deluxe"", 大杯\r\n第二行"');
    const [row] = detailRows((await billTexts([awkward])).detail);
    expect(row!['商品名称']).toBe(subject);
    expect(row!['门店编号']).toBe('S,2\t');
    expect(row!['门店名称']).toBe('"二楼", 店\t');
    expect(row!['备注']).toBe('a,"b"');
    expect(row!['订单金额（元）']).toBe('19.99');
  });

  it('replaces characters GBK cannot encode with ? instead of failing', async () => {
    const [row] = detailRows((await billTexts([{ ...coffee, subject: '咖啡😀' }])).detail);
    expect(row!['商品名称']).toBe('咖啡?');
  });

  it('produces a valid bill with zero totals for a day without trades', async () => {
    const { fileName, zip } = await buildAlipayTradeBillZip(billInput([]));
    expect(fileName).toBe(`${account}_20260605.csv.zip`);
    const entries = await unzipRaw(zip);
    expect(entries).toHaveLength(2);
    const detail = iconv.decode(entries[0]!.content, 'gbk').split('\r\n');
    expect(detail.slice(4)).toEqual([
      detailHeader,
      detailEndMarker,
      '#交易合计：0笔，商家实收共0.00元，商家优惠共0.00元',
      '#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元',
      '#导出时间：[2026年06月06日 06:27:10]',
      '',
    ]);
    const summary = iconv.decode(entries[1]!.content, 'gbk').split('\r\n');
    expect(summary.slice(4, 6)).toEqual([summaryHeader, '合计,,0,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00']);
  });
});

describe('Alipay trade bill summary file', () => {
  it('writes one row per store in order of first appearance and a 合计 row, between the summary markers', async () => {
    const { summary } = await billTexts([lunch, coffee, lunchRefund]);
    expect(summary.split('\r\n')).toEqual([
      '#支付宝业务汇总查询',
      `#账号：[${account}]`,
      '#起始日期：[2026年06月05日 00:00:00]   终止日期：[2026年06月06日 00:00:00]',
      summaryStartMarker,
      summaryHeader,
      'S001\t,西湖店\t,1,1,177.60,58.80,0.00,0.00,0.00,0.35,0.00,58.45',
      '\t,\t,1,0,19.99,19.99,0.00,0.00,0.00,0.12,0.00,19.87',
      '合计,,2,1,197.59,78.79,0.00,0.00,0.00,0.47,0.00,78.32',
      summaryEndMarker,
      '#导出时间：[2026年06月06日 06:27:10]',
      '',
    ]);
  });

  it('makes the 合计 row agree with the detail file', async () => {
    const { detail, summary } = await billTexts([lunch, coffee, lunchRefund]);
    const rows = detailRows(detail);
    const total = parseCsv(summary).find((record) => record[0] === '合计')!;
    const sum = (column: string) => rows.reduce((fen, row) => fen + fenOf(row[column]!), 0);
    expect(Number(total[2]) + Number(total[3])).toBe(rows.length);
    expect(fenOf(total[4]!)).toBe(sum('订单金额（元）'));
    expect(fenOf(total[5]!)).toBe(sum('商家实收（元）'));
    expect(fenOf(total[9]!)).toBe(sum('服务费（元）'));
    expect(fenOf(total[11]!)).toBe(sum('商家实收（元）') - sum('服务费（元）'));
  });
});

describe('Alipay trade bill input checks', () => {
  const cases: [string, AlipayBillInput, RegExp][] = [
    ['a PID that is not 16 digits', { ...billInput([]), accountId: '2088123' }, /16-digit PID/],
    ['a billDate that disagrees with dayStartMs', { ...billInput([]), billDate: '2026-06-04' }, /Beijing midnight/],
    ['a billDate with a time', { ...billInput([]), billDate: '2026-06-05 00:00:00' }, /yyyy-MM-dd/],
    ['a refund with a positive amount', billInput([{ ...lunchRefund, receivedFen: 3000 }]), /must be negative/],
    ['a refund without outRequestNo', billInput([{ ...lunchRefund, outRequestNo: '' }]), /needs its outRequestNo/],
    ['a payment with a negative amount', billInput([{ ...lunch, receivedFen: -1 }]), /negative receivedFen/],
    ['a payment with an outRequestNo', billInput([{ ...lunch, outRequestNo: 'R' }]), /has no outRequestNo/],
    ['fen that are not integers', billInput([{ ...lunch, orderFen: 88.8 }]), /orderFen must be an integer/],
    ['a time that is not a number', billInput([{ ...lunch, finishedAtMs: Number.NaN }]), /finishedAtMs/],
  ];
  it.each(cases)('rejects %s', async (_name, input, message) => {
    expect(() => alipayTradeBillCsv(input)).toThrow(message);
    await expect(buildAlipayTradeBillZip(input)).rejects.toThrow(message);
  });
});
