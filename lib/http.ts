// Small HTTP helpers shared by the simulator and the core.
import type { IncomingMessage } from 'node:http';

export type RawBody = { kind: 'ok'; text: string } | { kind: 'tooLarge'; limitBytes: number };

/** Reads a request body as UTF-8 up to `limitBytes`; past the limit the rest is drained and dropped. */
export function readRawBody(request: IncomingMessage, limitBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? { kind: 'tooLarge', limitBytes } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    request.on('error', reject);
  });
}

/** Request headers as a flat record of strings (multi-valued headers joined). */
export function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}
