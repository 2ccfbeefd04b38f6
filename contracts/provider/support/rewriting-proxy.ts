// A deliberately altered provider for the tests that prove verification catches drift: a loopback
// proxy in front of the real simulator that passes every request through and rewrites the text of
// every response body (a renamed field, a changed status string), as a careless change to the
// simulator's wire code would.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RewritingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRewritingProxy(targetUrl: string, rewrite: (body: string) => string): Promise<RewritingProxy> {
  const target = new URL(targetUrl);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(answerChunks);
            const textual = /json|text|html/.test(answer.headers['content-type'] ?? '');
            const body = textual ? Buffer.from(rewrite(raw.toString('utf8')), 'utf8') : raw;
            const headers: IncomingHttpHeaders = { ...answer.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            outgoing.writeHead(answer.statusCode ?? 502, headers).end(body);
          });
        },
      );
      forwarded.on('error', (error) => outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.message}`));
      forwarded.end(Buffer.concat(chunks));
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
