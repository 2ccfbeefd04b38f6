// A core started on a port that is taken says so in one line and exits 2, like the simulator, instead
// of crashing with a stack trace.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
const key = (name: string) => new URL(`../fixtures/keys/${name}.pem`, import.meta.url).pathname;
let blocker: Server;
let takenPort: number;

beforeAll(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  takenPort = (blocker.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

it.each([
  ['paysim core', ['core', '--memory', '--channel-url', 'http://127.0.0.1:9', '--alipay-private-key', key('merchant_private'), '--alipay-public-key', key('channel_public'), '--alipay-seller-id', '2088000000000001']],
  ['paysim up', ['up', '--memory', '--port', '0']],
])('%s on a taken core port exits 2 with a one-line message', (_label, args) => {
  const result = spawnSync(process.execPath, [bin, ...args, '--core-port', String(takenPort)], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status).toBe(2);
  expect(result.stderr.trim()).toMatch(new RegExp(`^paysim: port ${takenPort} is in use: pass --core-port with a free port \\(or 0 for any\\)$`));
});
