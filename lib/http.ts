// Small HTTP helpers shared by the simulator and the core.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

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

/** What a POST that ran out of time reports (the words fetch's AbortSignal.timeout used). */
export const postTimeoutMessage = 'The operation was aborted due to timeout';

/** An answer (its body cut to the bytes kept), or why there was none. */
export type PostAnswer = { readonly status: number; readonly body: string } | { readonly error: string };

/**
 * A connection is kept this long idle, under the 5 s a Node server (Node's default keepAliveTimeout) keeps
 * one: reusing a connection the receiver is closing at that moment would fail an attempt for nothing.
 */
const idleConnectionMs = 4_000;

/**
 * POSTs to receivers (a merchant's notify URL, a business system's webhook) with node:http on kept-alive
 * connections: a third of fetch's cost a request, which matters when a virtual day sends thousands. No
 * redirect is followed; the whole exchange is bounded by `timeoutMs` in real time, with a plain timer
 * (an AbortSignal and its listeners cost more than the POST's own JavaScript). Never throws.
 */
export class Poster {
  private httpAgent: HttpAgent | undefined;
  private httpsAgent: HttpsAgent | undefined;

  post(url: string, request: { readonly headers: Readonly<Record<string, string>>; readonly body: string }, limits: { readonly timeoutMs: number; readonly keepBytes: number }): Promise<PostAnswer> {
    return this.send('POST', url, request, limits);
  }

  /** The same exchange with any method (a body only when `request.body` is given). */
  send(method: string, url: string, request: { readonly headers: Readonly<Record<string, string>>; readonly body?: string }, limits: { readonly timeoutMs: number; readonly keepBytes: number }): Promise<PostAnswer> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch (error) {
        resolve({ error: error instanceof Error ? error.message : String(error) });
        return;
      }
      const secure = target.protocol === 'https:';
      const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        outgoing.destroy(new Error(postTimeoutMessage));
      }, limits.timeoutMs);
      // Only a bound: the connection itself keeps the process alive while the exchange runs.
      timer.unref();
      const settle = (answer: PostAnswer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      const failed = (error: Error) => settle({ error: timedOut ? postTimeoutMessage : error.message });
      let outgoing: ReturnType<typeof httpRequest>;
      try {
        outgoing = (secure ? httpsRequest : httpRequest)(
          target,
          { method, headers: body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.length) }, agent: this.agent(secure) },
          (response) => {
            const chunks: Buffer[] = [];
            let kept = 0;
            response.on('data', (chunk: Buffer) => {
              if (kept < limits.keepBytes) {
                chunks.push(chunk);
                kept += chunk.length;
              }
            });
            response.on('end', () => settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', failed);
          },
        );
      } catch (error) {
        // A URL node:http refuses outright (a protocol other than http and https).
        failed(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      outgoing.on('error', failed);
      outgoing.end(body);
    });
  }

  /** Closes the idle kept-alive connections (new ones are made if it posts again). */
  closeIdle(): void {
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
    this.httpAgent = undefined;
    this.httpsAgent = undefined;
  }

  private agent(secure: boolean): HttpAgent {
    if (secure) return (this.httpsAgent ??= new HttpsAgent({ keepAlive: true, timeout: idleConnectionMs }));
    return (this.httpAgent ??= new HttpAgent({ keepAlive: true, timeout: idleConnectionMs }));
  }
}
