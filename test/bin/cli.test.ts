// The paysim executable as a user runs it: `paysim sim` starts, prints where everything is, serves,
// and closes cleanly on SIGINT; bad options fail with a message and exit code 2.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const bin = new URL('../../bin/paysim.js', import.meta.url).pathname;
const temporary: string[] = [];
afterEach(async () => {
  while (temporary.length > 0) await rm(temporary.pop()!, { recursive: true, force: true });
});

function runToEnd(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 20_000 });
}

/** Starts `paysim sim`, waits for its URL line, and returns the URL and a way to stop it. */
async function startSim(args: string[]) {
  const child = spawn(process.execPath, [bin, 'sim', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`paysim sim did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /listening at (http:\/\/\S+)/.exec(output);
      if (match && output.includes('default Alipay app')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`paysim sim exited:\n${output}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { url, pid: child.pid!, output: () => output, stop };
}

it('starts the simulator, prints its URLs, app id and key paths, and exits 0 on SIGINT', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-cli-'));
  temporary.push(dataDir);
  const sim = await startSim(['--data-dir', dataDir]);
  const health = (await (await fetch(`${sim.url}/_sim/health`)).json()) as { status: string };
  expect(health.status).toBe('ok');
  expect(sim.output().split('\n')[0]).toBe(`paysim dashboard: ${sim.url}/`);
  expect(sim.output()).toContain(`${sim.url}/gateway.do`);
  expect(sim.output()).toContain('2021000000000001');
  expect(sim.output()).toContain(join(dataDir, 'keys', 'alipay', '2021000000000001', 'app_private_key.pem'));
  expect(await sim.stop()).toBe(0);

  const keys = runToEnd(['keys', '--data-dir', dataDir, '--json']);
  expect(keys.status).toBe(0);
  const apps = JSON.parse(keys.stdout) as { channel: string; appId: string; files: Record<string, string> }[];
  expect(apps).toEqual([expect.objectContaining({ channel: 'alipay', appId: '2021000000000001' }), expect.objectContaining({ channel: 'wechatpay', appId: '1900000001' })]);
  expect(Object.keys(apps[0]!.files).sort()).toEqual(['alipay_public_key', 'app_private_key', 'app_public_key']);
  const serial = /wechatpay_([0-9A-F]{40})$/.exec(Object.keys(apps[1]!.files).find((name) => name.startsWith('wechatpay_')) ?? '')?.[1];
  expect(Object.keys(apps[1]!.files).sort()).toEqual(['apiclient_cert', 'apiclient_key', 'apiclient_public_key', 'apiv3_key', 'pub_key', `wechatpay_${serial}`]);
  expect(sim.output()).toContain(join(dataDir, 'keys', 'wechatpay', '1900000001', 'apiclient_key.pem'));
  for (const path of Object.values(apps[1]!.files)) expect((statSync(path).mode & 0o777).toString(8), path).toBe('600');

  // A stray file beside the apps' folders (a .DS_Store) is not an app, and not a crash.
  await writeFile(join(dataDir, 'keys', 'alipay', '.DS_Store'), '');
  const text = runToEnd(['keys', '--data-dir', dataDir]);
  expect(text.status).toBe(0);
  expect(text.stdout).not.toContain('.DS_Store');
  const secrets = text.stdout.slice(text.stdout.indexOf('secrets ('));
  expect(secrets).toContain(`${join(dataDir, 'simulator.json')}\n    the simulator's store (snapshot): the channel's private keys and the merchant keys it generated (mode 600)`);
  expect(secrets).toContain(`${join(dataDir, 'keys', 'alipay', '2021000000000001', 'app_private_key.pem')}\n    a merchant app's private key (mode 600)`);
});

it('keeps nothing on disk with --memory and says where the keys are instead', async () => {
  const sim = await startSim(['--memory', '--clock', 'virtual', '--seed', '7']);
  expect(sim.output()).toContain('keys                  in memory');
  expect(sim.output()).toContain('virtual, due-now auto, seed 7');
  expect(await sim.stop()).toBe(0);
});

/** The nice value of each thread of process `pid` (Linux). */
function threadNices(pid: number): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) nices.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
  return nices;
}

it.each([
  [[], 5],
  [['--pool-nice', '9'], 9],
])('gives the thread pool a lower priority than the event loop (%j: nice %i) once it listens', async (args, nice) => {
  const sim = await startSim(['--memory', ...args]);
  if (process.platform === 'linux') {
    const deadline = Date.now() + 10_000;
    let niced: number[] = [];
    while (Date.now() < deadline) {
      niced = [...threadNices(sim.pid)].filter(([, value]) => value === nice).map(([tid]) => tid);
      if (niced.length === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(niced).toHaveLength(4);
    expect(threadNices(sim.pid).get(sim.pid)).toBe(0);
    // Every other thread keeps the event loop's priority.
    expect([...threadNices(sim.pid).values()].filter((value) => value !== 0 && value !== nice)).toEqual([]);
  }
  expect(sim.output()).not.toContain('--pool-nice');
  expect(await sim.stop()).toBe(0);
});

it('installs the rules of a --faults file at start', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-cli-faults-'));
  temporary.push(directory);
  const file = join(directory, 'faults.json');
  await writeFile(file, JSON.stringify([{ match: { api: 'alipay.trade.query' }, fault: { type: 'http_error', status: 502 }, timesMax: 1 }]));
  const sim = await startSim(['--memory', '--faults', file]);
  const faults = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as { rules: { fault: { type: string }; source: string }[] };
  expect(faults.rules).toEqual([expect.objectContaining({ fault: { type: 'http_error', status: 502 }, source: 'file' })]);
  expect(await sim.stop()).toBe(0);
});

it('fails with a message naming the option and exit code 2 on bad input', () => {
  const cases: [string[], RegExp][] = [
    [['sim', '--time-scale', '-1'], /--time-scale must be a positive number/],
    [['sim', '--port', '70000', '--memory'], /--port must be a port number/],
    [['sim', '--pool-nice', '20', '--memory'], /--pool-nice must be a whole number of nice levels from 0 \(the pool as it is\) to 19 \(lowest priority\), got 20/],
    [['up', '--pool-nice', 'low', '--memory'], /--pool-nice must be a whole number of nice levels from 0 .* got "low"/],
    // A number option given text shows the text, not the NaN yargs made of it.
    [['sim', '--port', 'abc', '--memory'], /--port must be a port number between 0 and 65535, got "abc"/],
    [['swarm', '--seeds=ten'], /--seeds must be a whole number from 1 to 10000000, got "ten"/],
    [['sim', '--seed', '1.5', '--memory'], /--seed must be an integer/],
    [['sim', '--clock', 'sideways'], /clock/],
    [['sim', '--faults', '/nonexistent/faults.json', '--memory'], /--faults \/nonexistent\/faults.json: cannot read it/],
    [['bogus'], /^paysim: unknown command "bogus"\. Commands: up, sim, core/],
    [['foo'], /^paysim: unknown command "foo"\. Did you mean core\? Commands: /],
    [['scenario'], /^paysim: Name a subcommand: list or run\./],
    // An empty value (an unset shell variable) is not 0, nor every interface; an on/off option takes no value.
    [['sim', '--memory', '--port='], /^paysim: --port needs a value, got an empty one/],
    [['up', '--memory', '--core-port', ''], /^paysim: --core-port needs a value, got an empty one/],
    [['sim', '--memory', '--host='], /^paysim: --host needs a value, got an empty one/],
    [['sim', '--memory=yes', '--port', '0'], /^paysim: --memory is on or off and takes no value \(got "yes"\): write --memory or --no-memory/],
    [['bill', '--channel', 'wechatpay', '--date', '2026-01-01', '--gzip=on'], /^paysim: --gzip is on or off and takes no value/],
    [['core', '--channel-url', 'http://127.0.0.1:9', '--memory', '--due-now', 'manual'], /^paysim: --due-now is for a virtual clock/],
    [['keys', '--data-dir', '/nonexistent/paysim'], /no keys under/],
    // An option typed without its value is refused, not run with its default (`up --port` is not port 4010).
    [['up', '--memory', '--port'], /^paysim: --port needs a value\n/],
    [['sim', '--memory', '--log-level'], /^paysim: --log-level needs a value\n/],
    [['swarm', '--seeds', '1', '--channel'], /^paysim: --channel needs a value\n/],
    [['scenario', 'run', 'happy-path', '--seed'], /^paysim: --seed needs a value\n/],
    [['mutants', '--mutant'], /^paysim: --mutant needs one or more names; `paysim mutants --list` shows them\n/],
    [['sim', '--memory', '--allowed-host'], /^paysim: --allowed-host needs a name: pass e\.g\. --allowed-host paysim\.test/],
    [['sim', '--memory', '--allowed-host', 'http://paysim.test/'], /--allowed-host "http:\/\/paysim\.test\/" is not a host name or address with an optional port: pass e\.g\. --allowed-host paysim\.test/],
  ];
  for (const [args, message] of cases) {
    const result = runToEnd(args);
    expect(result.status, args.join(' ')).toBe(2);
    expect(result.stderr, args.join(' ')).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  }
  // Twenty-odd CLI processes one after the other: on a shared two-core machine each start can take several seconds.
}, 240_000);

it('writes nothing where no simulator data dir is, refuses --out under a file, and lists the mutants as JSON', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'paysim-cli-nothing-'));
  temporary.push(folder);
  const bill = spawnSync(process.execPath, [bin, 'bill', '--date', '2026-01-01'], { cwd: folder, encoding: 'utf8', timeout: 20_000 });
  expect(bill.status).toBe(1);
  expect(bill.stderr).toMatch(/^paysim: no simulator data dir at \.paysim \(no simulator\.json there\)/);
  expect(readdirSync(folder)).toEqual([]);
  await writeFile(join(folder, 'afile'), 'x');
  const out = runToEnd(['bill', '--sim-url', 'http://127.0.0.1:9', '--date', '2026-01-01', '--out', join(folder, 'afile', 'bill.zip')]);
  expect([out.status, out.stderr]).toEqual([2, `paysim: --out ${join(folder, 'afile', 'bill.zip')}: ${join(folder, 'afile')} is a file, not a folder; choose another --out\n`]);
  const list = runToEnd(['mutants', '--list', '--json']);
  expect(list.status).toBe(0);
  const mutants = JSON.parse(list.stdout) as { name: string; breaks: string; killers: string[] }[];
  expect(mutants.length).toBeGreaterThanOrEqual(15);
  expect(mutants.every((mutant) => mutant.name && mutant.breaks && mutant.killers.length > 0)).toBe(true);
});

it('stops quietly when its reader closes the pipe early (paysim scenario list | head -1)', async () => {
  const child = spawn(process.execPath, [bin, 'scenario', 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // As head does: read the first chunk, then close the pipe while paysim still writes.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect([code, stderr]).toEqual([0, '']);
});

it('fails at once, exit code 2, for a data or report directory that cannot be made: behind a dangling link or under /proc', async () => {
  // Node's recursive mkdir never returns on these (it spins at full CPU): the spawn's timeout would end it.
  const directory = await mkdtemp(join(tmpdir(), 'paysim-cli-dirs-'));
  temporary.push(directory);
  const dangling = join(directory, 'data');
  await symlink(join(directory, 'unmounted-disk'), dangling);
  const cases: [string[], RegExp][] = [
    [['sim', '--data-dir', dangling], /cannot start the simulator: ENOTDIR: .*data exists and is not a directory \(a file, or a symbolic link to something missing\)/],
    [['up', '--data-dir', join(dangling, 'paysim')], /ENOTDIR: .*data exists and is not a directory/],
    [['sim', '--data-dir', '/proc/paysim-cli-test'], /cannot start the simulator: ENOENT: no such file or directory, mkdir '\/proc\/paysim-cli-test'/],
    [['scenario', 'run', 'happy-path', '--report-dir', '/proc/paysim-cli-test'], /--report-dir \/proc\/paysim-cli-test: cannot write the reports there \(ENOENT[^)]*\); name a directory you can write/],
  ];
  for (const [args, message] of cases) {
    const result = runToEnd(args);
    expect(result.status, args.join(' ')).toBe(2);
    expect(result.stderr, args.join(' ')).toMatch(message);
    expect(result.stdout, args.join(' ')).not.toMatch(/\[1\/1\]/); // the report directory is refused before any scenario runs
  }
}, 120_000);

it('answers the control API under a name given with --allowed-host, and no other', async () => {
  const sim = await startSim(['--memory', '--allowed-host', 'paysim.test', '--allowed-host', 'proxy.test:8080']);
  const port = new URL(sim.url).port;
  const statusUnder = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path: '/_sim/health', agent: false, headers: { host } }, (incoming) => {
        incoming.resume();
        resolve(incoming.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  expect([await statusUnder('paysim.test'), await statusUnder('proxy.test:8080'), await statusUnder('evil.test')]).toEqual([200, 200, 403]);
  expect(await sim.stop()).toBe(0);
});

it('refuses a --faults file whose rule is malformed, naming the rule and the field', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-cli-bad-faults-'));
  temporary.push(directory);
  const file = join(directory, 'faults.json');
  await writeFile(file, JSON.stringify([{ fault: { type: 'drop' } }, { match: { probability: 2 }, fault: { type: 'drop' } }]));
  const result = runToEnd(['sim', '--memory', '--faults', file]);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/rule 1: match.probability must be a number in \(0, 1\]/);
});

it('reports a port in use with what to do about it', async () => {
  const first = await startSim(['--memory']);
  const port = new URL(first.url).port;
  const result = runToEnd(['sim', '--memory', '--port', port]);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(new RegExp(`port ${port} is in use`));
  await first.stop();
});

/** Starts `paysim up` on loopback ports, waits for both URLs, and returns them with a JSON helper and a stop. */
async function startUp(args: string[] = []) {
  const store = args.includes('--data-dir') ? [] : ['--memory'];
  const child = spawn(process.execPath, [bin, 'up', ...store, '--port', '0', '--core-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const urls = await new Promise<{ sim: string; core: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`paysim up did not start:\n${output}`)), 25_000);
    child.stdout.on('data', () => {
      const sim = /simulator listening at (http:\/\/\S+)/.exec(output)?.[1];
      const core = /core listening at (http:\/\/\S+)/.exec(output)?.[1];
      if (sim && core) {
        clearTimeout(timer);
        resolve({ sim, core });
      }
    });
  });
  const json = async (url: string, body?: unknown) => {
    const response = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as Record<string, unknown>;
  };
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { urls, json, output: () => output, stop, child };
}

/** An order of the core, paid at the simulator's cashier without a browser; resolves with its order number. */
async function orderPaidByBuyer(up: Awaited<ReturnType<typeof startUp>>, outOrderNo: string): Promise<string> {
  const { urls, json } = up;
  const order = await json(`${urls.core}/api/orders`, { outOrderNo, amount: '12.30', currency: 'CNY', subject: 'paysim up' });
  const payment = await json(`${urls.core}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr' });
  expect(payment).toMatchObject({ channel: 'alipay', qrCode: expect.stringContaining(`${urls.sim}/cashier/`) });
  expect(await json(`${urls.sim}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo })).toMatchObject({ outcome: 'paid' });
  return order.orderNo as string;
}

/** The order's status once it is PAID, or the last one seen after `waitMs` of real time. */
async function statusWithin(up: Awaited<ReturnType<typeof startUp>>, orderNo: string, waitMs: number): Promise<string> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const status = (await up.json(`${up.urls.core}/api/orders/${orderNo}`)).status as string;
    if (status === 'PAID' || performance.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('runs simulator and core together with paysim up: an order is paid end to end, and SIGINT exits 0', async () => {
  const up = await startUp();
  const { urls, json } = up;
  const output = up.output();
  const order = await json(`${urls.core}/api/orders`, { outOrderNo: 'CLI-UP-1', amount: '12.30', currency: 'CNY', subject: 'paysim up' });
  const payment = await json(`${urls.core}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr' });
  expect(payment).toMatchObject({ channel: 'alipay', qrCode: expect.stringContaining(`${urls.sim}/cashier/`) });
  expect(await json(`${urls.sim}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo })).toMatchObject({ outcome: 'paid' });
  let status = '';
  for (let attempt = 0; attempt < 50 && status !== 'PAID'; attempt++) {
    status = (await json(`${urls.core}/api/orders/${order.orderNo}`)).status as string;
    if (status !== 'PAID') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(status).toBe('PAID');
  // The first line is the dashboard, and it and the core's dashboard link to each other.
  expect(output.split('\n')[0]).toBe(`paysim dashboard: ${urls.sim}/  (the merchant core's: ${urls.core}/)`);
  const simPage = await (await fetch(`${urls.sim}/`)).text();
  expect(simPage).toContain(`href="${urls.core}/"`);
  expect(await (await fetch(`${urls.core}/`)).text()).toContain(`href="${urls.sim}/"`);
  expect(await up.stop()).toBe(0);
});

it('under --clock virtual sends a notification due now without an advance, and time stays where it was', async () => {
  const up = await startUp(['--clock', 'virtual']);
  try {
    expect(up.output()).toContain('clock                 virtual, due-now auto');
    const before = (await up.json(`${up.urls.sim}/_sim/clock`)).nowMs;
    const orderNo = await orderPaidByBuyer(up, 'CLI-UP-DUE-NOW');
    expect(await statusWithin(up, orderNo, 10_000)).toBe('PAID');
    expect((await up.json(`${up.urls.sim}/_sim/clock`)).nowMs).toBe(before);
  } finally {
    await up.stop();
  }
});

it('under --clock virtual on a data dir resumes the shared virtual time where it stood, after a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'paysim-cli-up-clock-'));
  temporary.push(dataDir);
  const first = await startUp(['--clock', 'virtual', '--data-dir', dataDir]);
  const startMs = (await first.json(`${first.urls.sim}/_sim/clock`)).nowMs as number;
  await first.json(`${first.urls.sim}/_sim/clock/advance`, { ms: 3_600_000 });
  expect(await first.stop()).toBe(0);
  const second = await startUp(['--clock', 'virtual', '--data-dir', dataDir]);
  try {
    expect((await second.json(`${second.urls.sim}/_sim/clock`)).nowMs).toBe(startMs + 3_600_000);
    // The core is on the same clock: an order placed now is stamped with the resumed time.
    const order = await second.json(`${second.urls.core}/api/orders`, { outOrderNo: 'CLI-UP-RESUMED', amount: '1.00', currency: 'CNY', subject: 'resumed' });
    expect(Date.parse(String(order.createdAt))).toBe(startMs + 3_600_000);
  } finally {
    await second.stop();
  }
});

it('under --clock virtual --due-now manual sends nothing until the clock is advanced', async () => {
  const up = await startUp(['--clock', 'virtual', '--due-now', 'manual']);
  try {
    const orderNo = await orderPaidByBuyer(up, 'CLI-UP-MANUAL');
    expect(await statusWithin(up, orderNo, 1_500)).not.toBe('PAID');
    expect(await up.json(`${up.urls.sim}/_sim/clock/advance`, { ms: 0 })).toMatchObject({ kind: 'virtual' });
    expect(await statusWithin(up, orderNo, 0)).toBe('PAID');
  } finally {
    await up.stop();
  }
});

it('quits at once on a second SIGINT while the first waits for a business webhook that never answers', async () => {
  const hooks: string[] = [];
  const silent = createServer((incoming) => void hooks.push(incoming.url ?? '')); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const up = await startUp(['--merchant-webhook', `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`]);
  try {
    const orderNo = await orderPaidByBuyer(up, 'CLI-UP-TWO-SIGNALS');
    expect(await statusWithin(up, orderNo, 10_000)).toBe('PAID');
    for (const deadline = Date.now() + 10_000; hooks.length === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hooks.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => up.child.once('exit', resolve));
    up.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondAt = performance.now();
    up.child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(performance.now() - secondAt).toBeLessThan(3_000);
    expect(up.output()).toContain('paysim: SIGINT again, quitting without waiting');
    expect(up.output()).not.toMatch(/\n\s+at .*:\d+:\d+/);
  } finally {
    if (up.child.exitCode === null) up.child.kill('SIGKILL');
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

it('tells the user what paysim core needs when it is missing', () => {
  const missing = runToEnd(['core', '--memory']);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toMatch(/channel-url/);
  const badWebhook = runToEnd(['up', '--memory', '--merchant-webhook', 'not a url']);
  expect(badWebhook.status).toBe(2);
  expect(badWebhook.stderr).toMatch(/--merchant-webhook must be an http\(s\) URL/);
});
