// Request bodies, read by hand: the size is limited before anything is parsed, and JSON that does not
// parse is the client's mistake (INVALID_PARAMETER), never a 500.
import type { Request } from 'express';
import { readRawBody } from '../../lib/http.ts';
import { fail } from './errors.ts';

export async function readText(request: Request, limitBytes: number): Promise<string> {
  const raw = await readRawBody(request, limitBytes);
  if (raw.kind === 'tooLarge') fail('PAYLOAD_TOO_LARGE', `the body is larger than ${raw.limitBytes} bytes`);
  return raw.text;
}

export async function readJson(request: Request, limitBytes: number): Promise<unknown> {
  const text = await readText(request, limitBytes);
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
    fail('INVALID_PARAMETER', `content-type must be application/json, got ${JSON.stringify(contentType.slice(0, 60) || '(none)')}`);
  }
  if (text.trim() === '') fail('INVALID_PARAMETER', 'the body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail('INVALID_PARAMETER', `the body is not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'})`);
  }
}
