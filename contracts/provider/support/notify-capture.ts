// Where the simulator's outbox delivers notifications during message verification: a loopback HTTP
// endpoint that records each POST exactly as it arrived (headers and raw body) and acknowledges it
// with `success`, as a merchant does, so the outbox does not resend.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedNotification {
  readonly contentType: string;
  readonly body: string;
  /** The form parameters, decoded with URLSearchParams (a parameter sent twice is an error). */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface NotifyCapture {
  /** The notify_url to give trades. */
  readonly url: string;
  /** What arrived since the last clear(). */
  readonly received: readonly CapturedNotification[];
  /** Everything that arrived, never cleared: the signature check after verification reads it. */
  readonly history: readonly CapturedNotification[];
  /** The last notification received that satisfies `accept`; throws when there is none. */
  last(accept: (notification: CapturedNotification) => boolean, what: string): CapturedNotification;
  clear(): void;
  close(): Promise<void>;
}

function decodeForm(body: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(parameters, name)) throw new Error(`the notification sends ${name} twice`);
    parameters[name] = value;
  }
  return parameters;
}

export async function startNotifyCapture(): Promise<NotifyCapture> {
  const received: CapturedNotification[] = [];
  const history: CapturedNotification[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const notification = { contentType: request.headers['content-type'] ?? '', body, parameters: decodeForm(body) };
      received.push(notification);
      history.push(notification);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify/alipay`,
    received,
    history,
    last(accept, what) {
      const found = received.filter(accept).at(-1);
      if (!found) throw new Error(`no ${what} reached the notify URL (received ${received.length}: ${received.map((item) => item.body.slice(0, 80)).join(' | ')})`);
      return found;
    },
    clear() {
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
