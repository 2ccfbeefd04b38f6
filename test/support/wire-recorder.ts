// A loopback pass-through in front of the simulator that records every exchange as it went over the
// wire, so a suite can assert facts about all of them at once (no 5xx, no stack trace in any body).
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireExchange {
  readonly method: string;
  readonly target: string;
  readonly status: number;
  readonly body: string;
}

export interface WireRecorder {
  readonly url: string;
  readonly exchanges: readonly WireExchange[];
  close(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function withLength(headers: IncomingHttpHeaders, length: number): IncomingHttpHeaders {
  const { 'transfer-encoding': _chunked, 'content-length': _length, connection: _connection, ...rest } = headers;
  return { ...rest, 'content-length': String(length) };
}

export async function startWireRecorder(targetBaseUrl: string): Promise<WireRecorder> {
  const target = new URL(targetBaseUrl);
  const exchanges: WireExchange[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const body = await readAll(incoming);
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...withLength(incoming.headers, body.length), host: target.host } },
      async (answer) => {
        const answerBody = await readAll(answer);
        exchanges.push({ method: incoming.method ?? 'GET', target: incoming.url ?? '/', status: answer.statusCode ?? 0, body: answerBody.toString('utf8') });
        outgoing.writeHead(answer.statusCode ?? 502, withLength(answer.headers, answerBody.length)).end(answerBody);
      },
    );
    upstream.on('error', (error) => outgoing.writeHead(599).end(`recorder could not reach the simulator: ${error.message}`));
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Lines such as `    at handle (file.ts:12:3)`, raw or JSON-escaped: what a leaked stack trace looks like. */
export const stackFramePattern = /(?:\n|\\n)\s*at .*:\d+:\d+/;
