// What Node refuses before Express sees it still gets the simulator's own format, never an empty body:
// `{code, message}` on the gateway and the control API, the cashier's HTML page on a cashier link.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

let env: RunningSimulator;
beforeAll(async () => {
  env = await startSimulator();
});
afterAll(() => env.close());

interface RawReply {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Writes `bytes` on a fresh connection and reads the reply until the server closes it. */
function exchange(bytes: string): Promise<RawReply> {
  const { hostname, port } = new URL(env.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head.toLowerCase(), body });
    });
  });
}

const bigHeader = `x-padding: ${'p'.repeat(20 * 1024)}\r\n`;

it.each(['/gateway.do', '/_sim/health', '/v3/alipay/trade/query'])('answers a 20 KiB header on %s with a formatted 431', async (path) => {
  const reply = await exchange(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${bigHeader}\r\n`);
  expect(reply.status).toBe(431);
  expect(reply.headers).toContain('content-type: application/json; charset=utf-8');
  expect(JSON.parse(reply.body)).toEqual({ code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are larger than 16384 bytes; shorten the URL, the query or the headers' });
});

it('answers a 20 KiB header on a cashier link with the cashier\'s HTML page', async () => {
  const reply = await exchange(`GET /cashier/some-token HTTP/1.1\r\nhost: 127.0.0.1\r\n${bigHeader}\r\n`);
  expect(reply.status).toBe(431);
  expect(reply.headers).toContain('content-type: text/html; charset=utf-8');
  expect(reply.body).toContain('the request line and headers are larger than 16384 bytes');
});

it('answers a malformed request line with a formatted 400', async () => {
  const reply = await exchange('GET /gateway.do HTTP/9.Z\r\n\r\n');
  expect(reply.status).toBe(400);
  expect(JSON.parse(reply.body)).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/^the request is not valid HTTP\/1\.1 \(HPE_[A-Z_]+\); check the client$/) });
});

it('answers an HTTP/1.1 request without Host with a formatted 400, on the control API and the gateway', async () => {
  for (const path of ['/_sim/health', '/gateway.do']) {
    const reply = await exchange(`GET ${path} HTTP/1.1\r\nconnection: close\r\n\r\n`);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ code: 'BAD_REQUEST', message: 'an HTTP/1.1 request needs a Host header; check the client' });
  }
});

it('keeps answering normal requests afterwards', async () => {
  expect((await fetch(`${env.url}/_sim/health`)).status).toBe(200);
});
