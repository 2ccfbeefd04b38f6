// Money is an integer number of minor units (fen) everywhere inside paysim. Yuan strings such as
// "88.80" exist only at the wire edge and are converted here, digit by digit, never through a float.

/** Largest amount any channel accepts: 100,000,000.00 yuan. Well inside Number.MAX_SAFE_INTEGER. */
export const fenMax = 10_000_000_000;

export type YuanParse =
  | { ok: true; fen: number }
  /** `tooLarge`: a well-formed amount, only above `fenMax`. */
  | { ok: false; reason: string; tooLarge?: true };

const yuanPattern = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan string ("88.8", "88.80", "0.01") into fen. Rejects signs, exponents, spaces,
 * more than two decimals, leading zeros and anything above `fenMax`.
 */
export function parseYuan(text: string): YuanParse {
  if (typeof text !== 'string') return { ok: false, reason: 'amount must be a string of yuan such as "88.80"' };
  const match = yuanPattern.exec(text);
  if (!match) {
    // Eleven or more whole digits is a well-formed amount, only too large: say that, not "not an amount".
    if (/^[1-9]\d{10,}(?:\.\d{1,2})?$/.test(text)) return { ok: false, reason: `${text.slice(0, 32)}${text.length > 32 ? '…' : ''} exceeds the largest amount, ${formatFen(fenMax)}`, tooLarge: true };
    return { ok: false, reason: `"${text.slice(0, 32)}" is not a yuan amount with at most 2 decimals, such as "88.80"` };
  }
  const whole = Number(match[1]);
  const decimals = (match[2] ?? '').padEnd(2, '0');
  const fen = whole * 100 + Number(decimals);
  if (fen > fenMax) return { ok: false, reason: `${text} exceeds the largest amount, ${formatFen(fenMax)}`, tooLarge: true };
  return { ok: true, fen };
}

/** Parses a yuan string that is known to be valid (our own output); throws on anything else. */
export function yuanToFen(text: string): number {
  const parsed = parseYuan(text);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return parsed.fen;
}

/** Formats fen as a yuan string with exactly two decimals; negative amounts keep their sign. */
export function formatFen(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const whole = Math.floor(absolute / 100);
  const cents = absolute % 100;
  return `${sign}${whole}.${cents.toString().padStart(2, '0')}`;
}

/** Fails loudly when a value that must be fen is not a safe integer: that can only be a bug. */
export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`money must be an integer number of fen, got ${fen}`);
}
