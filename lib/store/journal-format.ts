// The journal is one JSON line per commit: `{"seq":7,"crc":123,"mutations":[...]}\n`. The CRC-32 covers
// the mutations' text, because a flipped bit inside a string still parses and would otherwise be
// replayed as if it were data. Sequence numbers run without gaps, so a lost or duplicated line shows.

import { crc32 } from 'node:zlib';
import type { Mutation } from './store.ts';

export interface JournalEntry {
  readonly seq: number;
  readonly mutations: readonly Mutation[];
}

export interface ParsedJournal {
  readonly entries: JournalEntry[];
  /** Bytes up to the end of the last complete line; everything after is a torn append. */
  readonly validBytes: number;
  readonly tornBytes: number;
}

/** A store file that cannot be read back. Never thrown for a torn last line, which a crash explains. */
export class StoreCorruptError extends Error {
  override readonly name = 'StoreCorruptError';
}

const mutationsField = '"mutations":';

export function encodeJournalLine(seq: number, mutations: readonly Mutation[]): string {
  const body = JSON.stringify(mutations);
  return `{"seq":${seq},"crc":${crc32(body)},${mutationsField}${body}}\n`;
}

/**
 * Reads a whole journal. A crash mid-append leaves an unterminated last line: an acknowledged commit
 * was fsync'd with its newline, so that line was never acknowledged and is reported as torn, not
 * returned. Any complete line that does not decode is damage a crash does not explain: it throws.
 */
export function parseJournal(buffer: Buffer, file: string): ParsedJournal {
  const validBytes = buffer.lastIndexOf(0x0a) + 1;
  const entries: JournalEntry[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < validBytes) {
    const end = buffer.indexOf(0x0a, start);
    lineNumber += 1;
    const entry = decodeLine(buffer.toString('utf8', start, end), file, lineNumber);
    const previous = entries[entries.length - 1];
    if (previous && entry.seq !== previous.seq + 1) {
      throw corrupt(file, lineNumber, `seq ${entry.seq} follows seq ${previous.seq}`);
    }
    entries.push(entry);
    start = end + 1;
  }
  return { entries, validBytes, tornBytes: buffer.length - validBytes };
}

function decodeLine(text: string, file: string, lineNumber: number): JournalEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(file, lineNumber, 'not valid JSON');
  }
  if (!isObject(parsed) || !isSeq(parsed.seq) || typeof parsed.crc !== 'number' || !Array.isArray(parsed.mutations)) {
    throw corrupt(file, lineNumber, 'not a journal entry {seq, crc, mutations}');
  }
  const body = text.slice(text.indexOf(mutationsField) + mutationsField.length, -1);
  if (crc32(body) !== parsed.crc) throw corrupt(file, lineNumber, 'checksum mismatch');
  if (!parsed.mutations.every(isMutation)) throw corrupt(file, lineNumber, 'malformed mutation');
  return { seq: parsed.seq, mutations: parsed.mutations };
}

function corrupt(file: string, lineNumber: number, reason: string): StoreCorruptError {
  return new StoreCorruptError(
    `${file}: line ${lineNumber} is corrupt (${reason}). Only an unterminated last line is a torn write that ` +
      `start-up repairs; this one is damage. Restore the file from a backup, or cut it before line ${lineNumber} ` +
      `to accept losing that commit and every later one.`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isMutation(value: unknown): value is Mutation {
  if (!isObject(value) || typeof value.collection !== 'string' || typeof value.key !== 'string') return false;
  return (value.op === 'put' && 'value' in value) || value.op === 'delete';
}
