// The connector's real request signature, checked in the consumer tests. The pact file can hold only a
// regex for `sign` (the SDK stamps each request with the time of the run), and the Pact mock server
// matches requests against the pact without checking any signature. So the connector talks to the mock
// server through this loopback recorder, which passes every request on unchanged and keeps a copy; after
// the test, every `/gateway.do` request the connector (or the buyer's browser, for a signed pay URL)
// made must carry a signature that verifies with the expected public key under Alipay's request rule
// (docs/alipay-protocol.md §2.3, implemented in contracts/support/alipay-wire.ts, not borrowed from the
// SDK). The pact files do not change: the mock server sees the same requests.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// Not re-exported from the package root (like the builder types in gateway.ts).
import type { V4MockServer } from '@pact-foundation/pact/src/v4/http/types.js';
import { expect } from 'vitest';
import { fixtureKeys } from '../../../test/support/keys.ts';
import { requestParameters, requestSignatureProblem } from '../../support/alipay-wire.ts';
import { mockServerBookkeeping } from '../../support/mock-server-bookkeeping.ts';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
  /** The Authorization header, where the protocol signs requests in one (WeChat Pay). */
  readonly authorization?: string;
}

export interface RequestRecorder {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startRequestRecorder(targetUrl: string): Promise<RequestRecorder> {
  const target = new URL(targetUrl);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: incoming.method ?? 'GET',
        url: incoming.url ?? '/',
        contentType: incoming.headers['content-type'] ?? '',
        body: body.toString('utf8'),
        ...(incoming.headers.authorization !== undefined ? { authorization: incoming.headers.authorization } : {}),
      });
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`recorder: ${error.message}`));
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The merged parameters of a recorded gateway request (query string, plus the form body of a POST). */
export function parametersOf(request: RecordedRequest): Record<string, string> {
  const form = request.contentType.startsWith('application/x-www-form-urlencoded') ? request.body : '';
  return requestParameters(request.url, form);
}

export interface SignedRequestsOptions {
  /** The public half of the key the requests must be signed with: the merchant's unless the test says otherwise. */
  readonly signedWith?: string;
  /** How many gateway requests the test makes: each one is checked, and none may go unseen. */
  readonly gatewayRequests: number;
}

/**
 * The body of a consumer test (`executeTest(signedRequests(async (baseUrl) => …))`): the connector is
 * pointed at `baseUrl`, a recorder in front of the mock server; when the body is done, every gateway
 * request it made (`gatewayRequests` of them) must verify with the merchant's public key (or `signedWith`),
 * and the mock server must have caught up with recording its matches (contracts/support/mock-server-bookkeeping.ts).
 */
export function signedRequests(
  use: (baseUrl: string, mockServer: V4MockServer, requests: readonly RecordedRequest[]) => Promise<void>,
  options: SignedRequestsOptions,
): (mockServer: V4MockServer) => Promise<void> {
  return async (mockServer) => {
    const recorder = await startRequestRecorder(mockServer.url);
    try {
      await use(recorder.url, mockServer, recorder.requests);
      const gateway = recorder.requests.filter((request) => new URL(request.url, 'http://recorder.invalid').pathname === '/gateway.do');
      expect(gateway).toHaveLength(options.gatewayRequests);
      const publicKeyPem = options.signedWith ?? fixtureKeys.merchant.publicKeyPem;
      const unverified = gateway.flatMap((request) => {
        const problem = requestSignatureProblem(parametersOf(request), publicKeyPem);
        return problem === undefined ? [] : [`${request.method} ${request.url.slice(0, 100)}…: ${problem}`];
      });
      expect(unverified, 'every gateway request the connector made must carry a signature that verifies (docs/alipay-protocol.md §2.3)').toEqual([]);
      await mockServerBookkeeping(mockServer.port);
    } finally {
      await recorder.close();
    }
  };
}
