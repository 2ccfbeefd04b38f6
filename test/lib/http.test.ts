import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Poster, postTimeoutMessage } from '../../lib/http.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function receiver(handle: Parameters<typeof createServer>[1]): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer(handle);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`, connections: () => connections };
}

describe('Poster', () => {
  it('POSTs the body with its headers and reads the answer, reusing one kept-alive connection', async () => {
    const seen: string[] = [];
    const target = await receiver((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push(`${req.method} ${req.headers['content-type']} ${req.headers['content-length']} ${body}`);
        res.end('success');
      });
    });
    const poster = new Poster();
    const limits = { timeoutMs: 2_000, keepBytes: 1024 };
    expect(await poster.post(target.url, { headers: { 'content-type': 'text/plain' }, body: '支付 ok' }, limits)).toEqual({ status: 200, body: 'success' });
    expect(await poster.post(target.url, { headers: { 'content-type': 'text/plain' }, body: 'again' }, limits)).toEqual({ status: 200, body: 'success' });
    expect(seen).toEqual(['POST text/plain 9 支付 ok', 'POST text/plain 5 again']);
    expect(target.connections()).toBe(1);
    poster.closeIdle();
  });

  it('keeps only the first chunks of a long answer and still reads it to the end', async () => {
    const target = await receiver((_req, res) => {
      res.write('a'.repeat(100));
      res.end('b'.repeat(200_000));
    });
    const answer = await new Poster().post(target.url, { headers: {}, body: '' }, { timeoutMs: 2_000, keepBytes: 50 });
    expect('status' in answer && answer.status).toBe(200);
    const body = 'body' in answer ? answer.body : '';
    expect(body.startsWith('a'.repeat(100))).toBe(true);
    expect(body.length).toBeLessThan(200_100);
  });

  it('gives up after the time limit with the timeout message, and never throws for a bad URL or a closed port', async () => {
    const target = await receiver(() => undefined); // never answers
    expect(await new Poster().post(target.url, { headers: {}, body: 'x' }, { timeoutMs: 150, keepBytes: 10 })).toEqual({ error: postTimeoutMessage });
    expect(await new Poster().post('not a url', { headers: {}, body: 'x' }, { timeoutMs: 150, keepBytes: 10 })).toEqual({ error: expect.stringContaining('Invalid URL') });
    expect(await new Poster().post('ftp://127.0.0.1/x', { headers: {}, body: 'x' }, { timeoutMs: 150, keepBytes: 10 })).toEqual({ error: expect.stringContaining('ftp:') });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await new Poster().post(`http://127.0.0.1:${port}/`, { headers: {}, body: 'x' }, { timeoutMs: 1_000, keepBytes: 10 })).toEqual({ error: expect.stringContaining('ECONNREFUSED') });
  });
});
