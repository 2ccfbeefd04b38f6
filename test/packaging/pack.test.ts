// `npm pack` gives a package that installs into an empty folder and runs there: packed once per run
// (packing runs `prepare`, so the build is fresh), installed offline from the tarball and the npm cache,
// then `npx paysim up --memory` must answer healthy on loopback. Nothing reaches beyond this machine:
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
  // wechatpay-axios-plugin asks for yargs 17 as a peer (for its own CLI); paysim gives it its yargs, as its own package.json does.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { paysim: from }, overrides: { 'wechatpay-axios-plugin': { yargs: lock.packages['node_modules/yargs'].version } } }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--silent'], app);

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
    expect(out).toContain('paysim core listening at');
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
});
