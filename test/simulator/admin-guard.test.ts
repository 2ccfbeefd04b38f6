// No web page can steer the simulator: the control API refuses a cross-site "simple" POST (text/plain or
// a form, which browsers send without a preflight), a page of another Origin, and a Host that is not one
// of the simulator's own (a DNS-rebinding page), and none of them changes anything. The channel's own
// paths answer SDKs under any name, as before.
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callGateway } from '../support/signed-gateway.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

let env: RunningSimulator;
let port: string;
beforeAll(async () => {
  env = await startSimulator();
  port = new URL(env.url).port;
});
afterAll(() => env.close());

interface RawAnswer {
  readonly status: number;
  readonly text: string;
}

/** One request with every header chosen by the test (fetch does not let a test set Host). */
function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, method, path, agent: false, setHost: false, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } };
    const outgoing = request(options, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const own = () => `127.0.0.1:${port}`;
const rule = JSON.stringify({ match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 502 } });
const state = async () => ({
  faults: await (await fetch(`${env.url}/_sim/faults`)).text(),
  trades: await (await fetch(`${env.url}/_sim/trades`)).text(),
  magic: (await (await fetch(`${env.url}/_sim/faults`)).json()).magicValues as boolean,
});

async function openTrade(): Promise<string> {
  const outTradeNo = `GUARD-${Math.floor(performance.now() * 1000)}`;
  const answer = await callGateway(env.url, 'alipay.trade.create', { out_trade_no: outTradeNo, total_amount: '9.90', subject: 'guard', buyer_id: '2088000000000001' });
  expect(answer.text).toContain('"code":"10000"');
  return outTradeNo;
}

it('refuses a cross-site text/plain POST (no preflight needed) with 403 ORIGIN_NOT_ALLOWED, and installs no fault', async () => {
  const before = await state();
  const answer = await send('POST', '/_sim/faults', { host: own(), origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' }, rule);
  expect(answer.status).toBe(403);
  expect(JSON.parse(answer.text)).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', message: expect.stringMatching(/^requests from web pages of another origin \("http:\/\/evil\.example"\) are refused/) });
  expect(await state()).toEqual(before);
});

it.each([
  ['text/plain', 'text/plain;charset=UTF-8'],
  ['a form', 'application/x-www-form-urlencoded'],
  ['multipart', 'multipart/form-data; boundary=x'],
])('refuses a %s body without an Origin with 415 UNSUPPORTED_MEDIA_TYPE: a buyer/pay, a reset and a fault change nothing', async (_label, type) => {
  const outTradeNo = await openTrade();
  const before = await state();
  const paid = await send('POST', '/_sim/buyer/pay', { host: own(), 'content-type': type }, JSON.stringify({ channel: 'alipay', outTradeNo }));
  const reset = await send('POST', '/_sim/reset', { host: own(), 'content-type': type }, '{}');
  const fault = await send('POST', '/_sim/faults', { host: own(), 'content-type': type }, rule);
  const magic = await send('PUT', '/_sim/faults/magic', { host: own(), 'content-type': type }, '{"enabled":false}');
  for (const answer of [paid, reset, fault, magic]) {
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text)).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `the control API reads JSON only: send the body with content-type: application/json (got ${JSON.stringify(type)})` });
  }
  expect(await state()).toEqual(before);
  expect(JSON.parse(await (await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`)).text()).state.kind).toBe('waiting');
});

it('refuses a body sent with no content type at all, but takes an empty POST (curl -X POST …/_sim/reset)', async () => {
  const noType = await send('POST', '/_sim/faults', { host: own() }, rule);
  expect(noType.status).toBe(415);
  const empty = await send('DELETE', '/_sim/faults', { host: own() });
  expect(empty.status).toBe(200);
});

it('refuses a foreign Host (DNS rebinding) with 403 HOST_NOT_ALLOWED: GET /_sim/apps shows no key, a POST changes nothing', async () => {
  const apps = await send('GET', '/_sim/apps', { host: `evil.example:${port}` });
  expect(apps.status).toBe(403);
  expect(apps.text).not.toContain('PRIVATE KEY');
  expect(JSON.parse(apps.text)).toEqual({
    code: 'HOST_NOT_ALLOWED',
    message: `Host "evil.example:${port}" is not an address of this simulator (localhost:${port}, 127.0.0.1:${port}, [::1]:${port}); start the simulator with --allowed-host NAME (SimulatorOptions.allowedHosts) to allow another name; see README "Control API"`,
  });
  const before = await state();
  const outTradeNo = await openTrade();
  const paid = await send('POST', '/_sim/buyer/pay', { host: `evil.example:${port}`, 'content-type': 'application/json' }, JSON.stringify({ channel: 'alipay', outTradeNo }));
  expect(paid.status).toBe(403);
  expect(JSON.parse(await (await fetch(`${env.url}/_sim/trades/alipay/${outTradeNo}`)).text()).state.kind).toBe('waiting');
  const faults = await send('POST', '/_sim/faults', { host: `evil.example:${port}`, 'content-type': 'application/json' }, rule);
  expect(faults.status).toBe(403);
  expect((await state()).faults).toBe(before.faults);
});

it('refuses a loopback name on another port and an Origin of "null"', async () => {
  expect((await send('GET', '/_sim/health', { host: '127.0.0.1:1' })).status).toBe(403);
  const sandboxed = await send('POST', '/_sim/faults', { host: own(), origin: 'null', 'content-type': 'application/json' }, rule);
  expect(sandboxed.status).toBe(403);
  expect(JSON.parse(sandboxed.text).code).toBe('ORIGIN_NOT_ALLOWED');
});

it.each(['localhost', '127.0.0.1', '[::1]', 'LOCALHOST'])('answers JSON calls under Host %s with the real port of a port-0 start, and its own Origin', async (name) => {
  const host = `${name}:${port}`;
  expect((await send('GET', '/_sim/health', { host })).status).toBe(200);
  const added = await send('POST', '/_sim/faults', { host, origin: `http://${host}`, 'content-type': 'application/json; charset=utf-8' }, rule);
  expect(added.status).toBe(201);
  const { id } = JSON.parse(added.text) as { id: string };
  expect((await send('DELETE', `/_sim/faults/${id}`, { host })).status).toBe(200);
});

it('leaves the official SDK paths alone: a gateway call and a cashier page answer under any Host and Origin', async () => {
  const headers = { host: `evil.example:${port}`, origin: 'http://evil.example' };
  const query = await callGateway(env.url, 'alipay.trade.query', { out_trade_no: 'NO-SUCH-TRADE' }, { headers });
  expect(query.status).toBe(200);
  expect(query.text).toContain('ACQ.TRADE_NOT_EXIST');
  const cashier = await send('GET', '/cashier/no-such-token', headers);
  expect(cashier.status).toBe(404);
  expect(cashier.text).toContain('<html');
});

it('answers the names given in allowedHosts, with or without a port, and their Origin', async () => {
  const named = await startSimulator({ allowedHosts: ['paysim.test', 'proxy.test:8443'] });
  try {
    const namedPort = new URL(named.url).port;
    const call = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = request({ host: '127.0.0.1', port: namedPort, method: 'GET', path: '/_sim/health', agent: false, headers }, (incoming) => {
          incoming.resume();
          resolve(incoming.statusCode ?? 0);
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    expect(await call({ host: 'paysim.test' })).toBe(200);
    expect(await call({ host: 'paysim.test:80', origin: 'https://paysim.test' })).toBe(200);
    expect(await call({ host: 'proxy.test:8443', origin: 'https://proxy.test:8443' })).toBe(200);
    expect(await call({ host: 'proxy.test:8444' })).toBe(403);
    expect(await call({ host: 'paysim.test', origin: 'http://other.test' })).toBe(403);
  } finally {
    await named.close();
  }
});

it('refuses to start with a malformed allowedHosts entry, naming it', async () => {
  await expect(startSimulator({ allowedHosts: ['http://paysim.test/'] })).rejects.toThrow(/^simulator options: allowedHosts\[0\] "http:\/\/paysim\.test\/" is not a host name or address with an optional port/);
});
