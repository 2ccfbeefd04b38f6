// `npm pack` gives a package that installs into an empty folder and runs there: packed once per run
// (packing runs `prepare`, so the build is fresh), installed offline from the tarball and the npm cache,
// then `npx paysim up --memory` must answer healthy on loopback, serve its dashboards and pay an order end
// to end: the installed bin runs the start-up bundle (dist/bundle/), which finds the dashboards' files, the
// SDK thread and the catalogue in dist/ from inside node_modules. Nothing reaches beyond this machine:
// the install is --offline, resolved from a lock file made from this repo's own lock file.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'paysim-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

test('the packed package installs offline into an empty folder, runs a scenario written against paysim/scenario, and `npx paysim up` there answers healthy', { timeout: 300_000 }, async () => {
  run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const listing = run('tar', ['tzf', join(work, tarball!)], work).split('\n');
  expect(listing).toContain('package/LICENSE');
  expect(listing).toContain('package/dist/bin/cli.js');
  expect(listing).toContain('package/dist/bundle/paysim.js');
  expect(listing).toContain('package/dist/bundle/locales/zh_CN.json');
  expect(listing).toContain('package/dist/simulator/dashboard/assets/simulator.js');
  expect(listing).toContain('package/dist/scenarios/define.d.ts');
  expect(listing.some((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toBe(false);

  const app = join(work, 'app');
  spawnSync('mkdir', [app]);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const from = `file:../${tarball}`;
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies: { paysim: from } } };
  packages['node_modules/paysim'] = { version: pkg.version, resolved: from, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines };
  for (const [path, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean; link?: boolean }>)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  // The lock file above is paysim's, made under its package.json's overrides (wechatpay-axios-plugin, which
  // asks for yargs 17 as a peer for its own CLI, gets paysim's yargs; yargs' cliui gets string-width 8), so
  // the project declares the same overrides, `$name` references spelled out as versions, as README says.
  const overrides = JSON.parse(JSON.stringify(pkg.overrides), (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith('$') ? (lock.packages[`node_modules/${value.slice(1)}`] as { version: string }).version : value,
  );
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '9.9.9', private: true, dependencies: { paysim: from }, overrides }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--silent'], app);

  // paysim's own version, not the project's it runs in.
  expect(run('npx', ['--offline', 'paysim', '--version'], app).trim()).toBe(pkg.version);

  // A scenario of the user's own, written against the package's public entry paysim/scenario, runs there too.
  writeFileSync(
    join(app, 'lunch.scenario.mjs'),
    `import { defineScenario } from 'paysim/scenario';
export default defineScenario({
  name: 'lunch-paid-once',
  title: 'A lunch is paid once, its notification sent twice',
  why: 'seed 002: duplicate notifications change nothing',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'duplicate', copies: 1 } }],
  steps: [{ step: 'createOrder', order: 'A', amount: '32.00' }, { step: 'pay', order: 'A' }, { step: 'buyerPays', order: 'A' }, { step: 'advance', by: '15m' }],
  expect: { orders: { A: { status: 'PAID', paidAmount: '32.00' } }, businessNotifications: { 'order.paid': 1 } },
});
`,
  );
  const scenario = spawnSync('npx', ['--offline', 'paysim', 'scenario', 'run', './lunch.scenario.mjs'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(scenario.stderr).toBe('');
  expect(scenario.status).toBe(0);
  expect(scenario.stdout).toMatch(/\[1\/1\] pass {2}lunch-paid-once/);
  // The same in TypeScript without tsx installed there: a one-line message saying what to do, exit 2.
  writeFileSync(join(app, 'typed.scenario.ts'), "import { defineScenario } from 'paysim/scenario';\nexport default defineScenario({} as never);\n");
  const typed = spawnSync('npx', ['--offline', 'paysim', 'scenario', 'run', './typed.scenario.ts'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(typed.status).toBe(2);
  expect(typed.stderr.trim()).toMatch(/^paysim: \S*typed\.scenario\.ts is TypeScript, which paysim's compiled build runs through tsx: install it beside paysim \(npm install --save-dev tsx\), or write the scenario in JavaScript \(\.scenario\.mjs, importing defineScenario from paysim\/scenario\)$/);
  // The catalogue ships compiled in the package: it lists from node_modules, and a mutant from it is killed there.
  const catalogue = run('npx', ['--offline', 'paysim', 'scenario', 'list'], app);
  expect(catalogue).toMatch(/^happy-path +alipay/m);
  const mutants = spawnSync('npx', ['--offline', 'paysim', 'mutants', '--mutant', 'trusts-sync-redirect', '--first-kill', '--swarm-seeds', '0', '--json'], { cwd: app, encoding: 'utf8', timeout: 180_000 });
  expect(mutants.status, mutants.stderr).toBe(0);
  expect(JSON.parse(mutants.stdout)).toMatchObject({ reference: { passed: true }, killRate: 1, mutants: [{ name: 'trusts-sync-redirect', killedBy: [expect.any(String)] }] });
  // A failure the swarm finds is printed as a scenario file for this project (paysim/scenario), which runs here as it is.
  const swarm = spawnSync('npx', ['--offline', 'paysim', 'swarm', '--mutant', 'trusts-sync-redirect', '--seeds', '4', '--workers', '1'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(swarm.status, swarm.stderr).toBe(1);
  const printed = /\n {2}as a scenario file:\n((?: {4}.*\n| *\n)+)/.exec(swarm.stdout)?.[1]?.replace(/^ {4}/gm, '');
  const saveAs = /^\/\/ \.\/(swarm-seed-\d+\.scenario\.mjs) /.exec(printed ?? '')?.[1];
  expect(printed).toContain("import { defineScenario } from 'paysim/scenario';");
  writeFileSync(join(app, saveAs!), printed!);
  const found = spawnSync('npx', ['--offline', 'paysim', 'scenario', 'run', `./${saveAs}`], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(found.stderr).toBe('');
  expect(found.status).toBe(0); // the reference core passes what the mutant failed
  expect(found.stdout).toMatch(/\[1\/1\] pass {2}swarm-seed-\d+/);
  // Only the public entries are importable: the build's other files are not part of the package's surface.
  const deep = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('paysim/dist/core/app.js')"], { cwd: app, encoding: 'utf8' });
  expect(deep.status).not.toBe(0);
  expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');

  const child = spawn('npx', ['--offline', 'paysim', 'up', '--memory', '--port', '0', '--core-port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`paysim up exited with ${code}: ${out}`)));
    });
    const health = await fetch(`${url}/_sim/health`);
    expect(health.status).toBe(200);
    const core = /paysim core listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(core).toBeDefined();
    for (const asset of [`${url}/dashboard/assets/ui.js`, `${url}/dashboard/assets/simulator.js`, `${core}/dashboard/assets/core.js`]) {
      const response = await fetch(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.text()).length, asset).toBeGreaterThan(100);
    }
    // An order paid end to end: the core's Alipay connector runs the SDK on its thread.
    const post = async (target: string, body: unknown) => {
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, target).toBeLessThan(300);
      return (await response.json()) as Record<string, string>;
    };
    const order = await post(`${core}/api/orders`, { outOrderNo: 'PACK-1', amount: '12.30', currency: 'CNY', subject: 'packed' });
    const payment = await post(`${core}/api/orders/${order.orderNo}/pay`, { method: 'alipay.qr' });
    expect(payment.qrCode).toContain(`${url}/cashier/`);
    expect(await post(`${url}/_sim/buyer/pay`, { channel: 'alipay', outTradeNo: payment.paymentNo })).toMatchObject({ outcome: 'paid' });
    let status = '';
    for (let attempt = 0; attempt < 50 && status !== 'PAID'; attempt++) {
      status = ((await (await fetch(`${core}/api/orders/${order.orderNo}`)).json()) as { status: string }).status;
      if (status !== 'PAID') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('PAID');
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
});
