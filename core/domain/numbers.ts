// The core's own document numbers. A paymentNo is the out_trade_no and a refundNo the out_request_no
// / out_refund_no the channels see, so every number fits both channels' rules at once: 6 to 32
// letters and digits (WeChat's out_trade_no is the strictest). The random part comes from the
// injected, seeded random source, so a scenario's numbers repeat with its seed.
import { formatBeijingCompactDate } from '../../lib/time-format.ts';
import { assert } from './assert.ts';

export type DocumentKind = 'order' | 'payment' | 'refund';

const prefixes: Record<DocumentKind, string> = { order: 'O', payment: 'P', refund: 'R' };
const channelSafePattern = /^[0-9A-Za-z]{6,32}$/;

/** `P20260101` + the random digits: sortable by day, readable in a bill, unique by its random part. */
export function documentNo(kind: DocumentKind, nowMs: number, randomDigits: string): string {
  assert(/^\d{12,20}$/.test(randomDigits), `a document number needs 12 to 20 random digits, got "${randomDigits}"`);
  const number = `${prefixes[kind]}${formatBeijingCompactDate(nowMs)}${randomDigits}`;
  assert(isChannelSafeNo(number), `document number ${number} does not fit the channels`);
  return number;
}

export function isChannelSafeNo(text: string): boolean {
  return channelSafePattern.test(text);
}
