// Loopback proxies in front of the real simulator during verification. `startLoopbackProxy` passes every
// request through and hands each complete answer to a hook, which may look at it (the answer signature
// check, answer-signatures.ts) or change its body. `startRewritingProxy` is the deliberately altered
// provider of the tests that prove verification catches drift: it rewrites the text of every answer
// (a renamed field, a changed status string), as a careless change to the simulator's wire code would.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** One exchange as it passed through the proxy: the request as sent on, the answer as received. */
export interface ProxiedExchange {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly requestContentType: string;
  readonly requestBody: Buffer;
  readonly status: number;
  readonly answerHeaders: IncomingHttpHeaders;
  readonly answerBody: Buffer;
}

/** `onAnswer` returns the body to send on (the same bytes, or others); `targetUrl` may be read per request. */
export async function startLoopbackProxy(targetUrl: string | (() => string), onAnswer: (exchange: ProxiedExchange) => Buffer): Promise<LoopbackProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    // A function target is read per request: a provider state may stand up another simulator behind the proxy.
    const target = new URL(typeof targetUrl === 'function' ? targetUrl() : targetUrl);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            let body: Buffer;
            try {
              body = onAnswer({
                method: incoming.method ?? 'GET',
                url: incoming.url ?? '/',
                requestContentType: incoming.headers['content-type'] ?? '',
                requestBody,
                status: answer.statusCode ?? 502,
                answerHeaders: answer.headers,
                answerBody: Buffer.concat(answerChunks),
              });
            } catch (error) {
              outgoing.writeHead(599, { 'content-type': 'text/plain' }).end(`proxy hook failed: ${(error as Error).message}`);
              return;
            }
            const headers: IncomingHttpHeaders = { ...answer.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            outgoing.writeHead(answer.statusCode ?? 502, headers).end(body);
          });
        },
      );
      forwarded.on('error', (error) => outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`));
      forwarded.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startRewritingProxy(targetUrl: string, rewrite: (body: string) => string): Promise<LoopbackProxy> {
  return startLoopbackProxy(targetUrl, (exchange) => {
    const textual = /json|text|html/.test(exchange.answerHeaders['content-type'] ?? '');
    return textual ? Buffer.from(rewrite(exchange.answerBody.toString('utf8')), 'utf8') : exchange.answerBody;
  });
}
