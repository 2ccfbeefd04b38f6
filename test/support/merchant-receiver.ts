// A loopback merchant: receives the simulator's notifications (form POSTs) and the buyer's browser
// returns (GETs) on real HTTP, records each one, and answers notifications as the test says.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  readonly method: string;
  /** Path without the query string, e.g. `/notify/T-1`. */
  readonly path: string;
  readonly contentType: string | undefined;
  readonly rawBody: string;
  /** The form body (POST) or query (GET) as a plain object, as a merchant's framework would hand it over. */
  readonly params: Record<string, string>;
  /** The simulator clock's time when the request arrived. */
  readonly atMs: number;
}

/** What the merchant answers to a notification; `success` is the only acknowledgement. */
export type Reply = (arrival: Arrival) => string;

export interface MerchantReceiver {
  readonly url: string;
  notifyUrl(name: string): string;
  returnUrl(name: string): string;
  /** Answer notifications posted to `/notify/<name>` with this reply (default: `success`). */
  replyTo(name: string, reply: Reply): void;
  notifications(name: string): Arrival[];
  returns(name: string): Arrival[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startMerchantReceiver(now: () => number): Promise<MerchantReceiver> {
  const arrivals: Arrival[] = [];
  const replies = new Map<string, Reply>();
  const server: Server = createServer(async (request, response) => {
    const target = new URL(request.url ?? '/', 'http://receiver');
    const rawBody = await readBody(request);
    const source = request.method === 'POST' ? new URLSearchParams(rawBody) : target.searchParams;
    const arrival: Arrival = {
      method: request.method ?? 'GET',
      path: target.pathname,
      contentType: request.headers['content-type'],
      rawBody,
      params: Object.fromEntries(source),
      atMs: now(),
    };
    arrivals.push(arrival);
    const name = target.pathname.split('/').slice(2).join('/');
    if (target.pathname.startsWith('/notify/')) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end((replies.get(name) ?? (() => 'success'))(arrival));
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>merchant return page</p>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const byPath = (path: string) => arrivals.filter((arrival) => arrival.path === path);
  return {
    url,
    notifyUrl: (name) => `${url}/notify/${name}`,
    returnUrl: (name) => `${url}/return/${name}`,
    replyTo: (name, reply) => void replies.set(name, reply),
    notifications: (name) => byPath(`/notify/${name}`),
    returns: (name) => byPath(`/return/${name}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
