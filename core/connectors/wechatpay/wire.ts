// Reading WeChat Pay's wire values into the core's terms. Amounts are integer fen on this wire already
// (`amount.total`), times are RFC 3339 with an offset. Each reader returns undefined for a missing or
// malformed value; the caller decides whether that makes the whole answer unusable.
import { fenMax } from '../../../lib/money.ts';
import { formatBeijingDateTime } from '../../../lib/time-format.ts';
import { isRecord } from './sdk.ts';

/** A non-empty string field, or undefined. */
export function textField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A non-negative integer amount in fen, or undefined. */
export function fenField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= fenMax ? value : undefined;
}

/** `amount.<name>` of an answer, in fen. */
export function amountField(record: Record<string, unknown>, name: string): number | undefined {
  return isRecord(record.amount) ? fenField(record.amount[name]) : undefined;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time (`2026-01-01T09:30:00+08:00`) as epoch ms, or undefined. */
export function instantField(value: unknown): number | undefined {
  if (typeof value !== 'string' || !rfc3339.test(value)) return undefined;
  const epochMs = Date.parse(value);
  return Number.isFinite(epochMs) ? epochMs : undefined;
}

/** `time_expire` as WeChat wants it: RFC 3339 in Beijing time, `yyyy-MM-DDTHH:mm:ss+08:00`, whatever our TZ. */
export function formatRfc3339Beijing(epochMs: number): string {
  return `${formatBeijingDateTime(epochMs).replace(' ', 'T')}+08:00`;
}
