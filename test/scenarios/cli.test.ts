// `paysim scenario list` and `paysim scenario run` as a QA engineer and CI use them: progress lines, a
// closing summary, reports, exit 1 on a failing scenario, exit 2 and a message for mistakes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { faultTypes } from '../../simulator/faults/rule.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin/paysim.js');
const temporary: string[] = [];
afterAll(async () => {
  for (const path of temporary) await rm(path, { recursive: true, force: true });
});

function paysim(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, cwd: root });
}

async function scratch(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'paysim-scenario-cli-'));
  temporary.push(directory);
  // A QA engineer's project is an ES module package, as this one is.
  await writeFile(join(directory, 'package.json'), '{"type":"module"}\n');
  return directory;
}

const userScenario = (status: string) => `import { defineScenario } from '${join(root, 'scenarios/define.ts')}';

export default defineScenario({
  name: 'my-coffee-order',
  title: 'A coffee order is paid while every notification is lost',
  why: 'seed 000 (支付系统设计: 支付、通知、查询、退款、对账): query the channel when no notification comes.',
  channel: 'alipay',
  faults: [{ match: { api: 'notify' }, fault: { type: 'drop' } }],
  steps: [
    { step: 'createOrder', order: 'A', amount: '18.00' },
    { step: 'pay', order: 'A' },
    { step: 'buyerPays', order: 'A' },
    { step: 'advance', by: '30m' },
  ],
  expect: { orders: { A: { status: '${status}' } } },
});
`;

it('lists the catalogue as JSON with name, title, why, channel and fault types', () => {
  const listed = paysim(['scenario', 'list', '--json']);
  expect(listed.status).toBe(0);
  const list = JSON.parse(listed.stdout) as { name: string; title: string; why: string; channel: string; faults: string[] }[];
  expect(list.length).toBeGreaterThanOrEqual(30);
  expect(Object.keys(list[0]!).sort()).toEqual(['channel', 'faults', 'name', 'title', 'why']);
  expect(list.find((entry) => entry.name === 'every-notification-lost')).toMatchObject({ channel: 'alipay', faults: ['drop'] });
  for (const entry of list) for (const type of entry.faults) expect(faultTypes).toContain(type);
});

it('runs named scenarios with a progress line each, a summary and the reports asked for', async () => {
  const directory = await scratch();
  const run = paysim(['scenario', 'run', 'happy-path', 'every-notification-lost', '--seed', '3', '--report-dir', directory, '--format', 'junit,md']);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^\[1\/2\] pass {2}happy-path {2}\d+ ms {2}trace [0-9a-f]{16}$/m);
  expect(run.stdout).toMatch(/^\[2\/2\] pass {2}every-notification-lost /m);
  expect(run.stdout).toContain('scenarios: 2 passed, 0 failed');
  expect(existsSync(join(directory, 'junit.xml')) && existsSync(join(directory, 'report.md'))).toBe(true);
  expect(existsSync(join(directory, 'report.json'))).toBe(false);
});

it("runs a user's own scenario file, and exits 1 with the failure and the reproduction command when it fails", async () => {
  const directory = await scratch();
  await writeFile(join(directory, 'good.scenario.ts'), userScenario('PAID'));
  await writeFile(join(directory, 'bad.scenario.ts'), userScenario('CLOSED'));
  const good = paysim(['scenario', 'run', join(directory, 'good.scenario.ts')]);
  expect(good.status, good.stdout + good.stderr).toBe(0);
  expect(good.stdout).toContain('pass  my-coffee-order');
  const bad = paysim(['scenario', 'run', join(directory, 'bad.scenario.ts'), '--seed', '9']);
  expect(bad.status).toBe(1);
  expect(bad.stdout).toContain('order A is CLOSED: it is PAID');
  expect(bad.stdout).toMatch(/reproduce: npx paysim scenario run \S*bad\.scenario\.ts --seed 9/);
  expect(bad.stdout).toContain('scenarios: 0 passed, 1 failed');
});

it('refuses an unknown scenario name, a bad --format and a file that is not a scenario with exit 2 and no stack trace', async () => {
  const directory = await scratch();
  await writeFile(join(directory, 'empty.scenario.ts'), 'export const nothing = 1;\n');
  await writeFile(join(directory, 'broken.scenario.ts'), "import { defineScenario } from '" + join(root, 'scenarios/define.ts') + "';\nexport default defineScenario({ name: 'Bad Name', title: '', why: '', channel: 'alipay', faults: [], steps: [], expect: {} });\n");
  await writeFile(join(directory, 'syntax.scenario.ts'), 'export default {\n');
  // Outside any package (no package.json), where the loader's own error was a misleading require(esm) "cycle".
  const bare = await mkdtemp(join(tmpdir(), 'paysim-scenario-bare-'));
  temporary.push(bare);
  await writeFile(join(bare, 'typo.scenario.ts'), "import { defineScenario } from 'paysim/scenari';\nexport default defineScenario({} as never);\n");
  const cases: [string[], RegExp][] = [
    [['scenario', 'run', join(directory, 'syntax.scenario.ts')], /syntax\.scenario\.ts could not be loaded: Transform failed with 1 error: \S*syntax\.scenario\.ts:2:0: ERROR: Expected identifier but found end of file/],
    [['scenario', 'run', join(bare, 'typo.scenario.ts')], /typo\.scenario\.ts could not be loaded: Cannot find (module|package) 'paysim\/scenari'/],
    [['scenario', 'run', 'every-notificaton-lost'], /no scenario named "every-notificaton-lost" \(did you mean every-notification-lost\?\)/],
    [['scenario', 'run', 'happy-path', '--format', 'pdf'], /--format "pdf" is not a report format; give a comma-separated list of json, junit, md, html/],
    [['scenario', 'run', join(directory, 'empty.scenario.ts')], /has no scenario as its default export/],
    [['scenario', 'run', join(directory, 'broken.scenario.ts')], /name must be kebab-case.*title is empty.*steps must list at least one step/],
    [['scenario', 'run', join(directory, 'missing.scenario.ts')], /no scenario file/],
    [['scenario', 'run', 'happy-path', '--channel', 'paypal'], /--channel "paypal" is not a channel with scenarios/],
  ];
  for (const [args, message] of cases) {
    const refused = paysim(args);
    expect(refused.status, args.join(' ')).toBe(2);
    expect(refused.stderr).toMatch(message);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  }
});

it('refuses a bad --seeds and an unknown --mutant with a message and exit 2, never a stack trace', () => {
  const seeds = paysim(['swarm', '--seeds', '0']);
  expect(seeds.status).toBe(2);
  expect(seeds.stderr).toContain('--seeds must be a whole number from 1 to');
  const mutant = paysim(['swarm', '--seeds', '3', '--mutant', 'no-active-querry']);
  expect(mutant.status).toBe(2);
  expect(mutant.stderr).toContain('no mutant named "no-active-querry" (did you mean no-active-query?)');
  const channel = paysim(['swarm', '--seeds', '3', '--channel', 'wechat']);
  expect(channel.status).toBe(2);
  expect(channel.stderr).toContain('--channel must be alipay, wechatpay, all, got "wechat" (did you mean wechatpay?)');
  expect(`${seeds.stderr}${mutant.stderr}${channel.stderr}`).not.toMatch(/\n\s+at /);
});

it('swarms WeChat Pay with --channel wechatpay over worker processes of the build: the report names the channel, a failure replays with it', () => {
  const swarm = paysim(['swarm', '--seeds', '2', '--workers', '2', '--channel', 'wechatpay', '--mutant', 'ledger-posts-one-side', '--json']);
  expect(swarm.status).toBe(1);
  const report = JSON.parse(swarm.stdout) as { channel: string; failed: number; failures: { seed: number; reproduce: string; workload: { step: string; method?: string }[] }[] };
  expect(report.channel).toBe('wechatpay');
  expect(report.failed).toBeGreaterThan(0);
  const [failure] = report.failures;
  expect(failure!.reproduce).toBe(`npx paysim swarm --replay ${failure!.seed} --channel wechatpay --mutant ledger-posts-one-side`);
  const replay = paysim(['swarm', '--replay', String(failure!.seed), '--channel', 'wechatpay', '--mutant', 'ledger-posts-one-side']);
  expect(replay.status).toBe(1);
  expect(replay.stdout).toMatch(new RegExp(`^seed ${failure!.seed}: FAIL invariant ledgerBalanced: `));
});

it('swarms both channels with --channel all: odd seeds on Alipay, even on WeChat Pay, each failure named and replayed on its own channel', () => {
  const swarm = paysim(['swarm', '--seeds', '4', '--workers', '2', '--channel', 'all', '--mutant', 'ledger-posts-one-side']);
  expect(swarm.status).toBe(1);
  expect(swarm.stdout).toMatch(/^swarm \(all channels: alipay 2, wechatpay 2\) on mutant ledger-posts-one-side: seeds 1\.\.4, /);
  expect(swarm.stdout).toMatch(/\nseed 1 \(alipay\): invariant ledgerBalanced broke: /);
  expect(swarm.stdout).toMatch(/\nseed 2 \(wechatpay\): invariant ledgerBalanced broke: /);
  expect(swarm.stdout).toContain('reproduce: npx paysim swarm --replay 2 --channel wechatpay --mutant ledger-posts-one-side\n');
  expect(swarm.stdout).toContain('reproduce: npx paysim swarm --replay 3 --mutant ledger-posts-one-side\n');
  expect(swarm.stdout).toMatch(/\n  outcomes: [^\n]+\n  on alipay: [^\n]*closed unpaid \d+[^\n]*\n  on wechatpay: [^\n]+\n/);
  const traceOf = (seed: number) => new RegExp(`\\nseed ${seed} \\(\\w+\\): [^\\n]*\\n  [^\\n]*; trace ([0-9a-f]{16})\\n`).exec(swarm.stdout)?.[1];
  // Replayed under --channel all or on the seed's own channel: the same case, the same trace.
  for (const [args, shown] of [[['--channel', 'all'], 'seed 2 (wechatpay)'], [['--channel', 'wechatpay'], 'seed 2']] as const) {
    const replay = paysim(['swarm', '--replay', '2', ...args, '--mutant', 'ledger-posts-one-side']);
    expect(replay.status).toBe(1);
    expect(replay.stdout.startsWith(`${shown}: FAIL invariant ledgerBalanced: `), replay.stdout).toBe(true);
    expect(replay.stdout.endsWith(`trace ${traceOf(2)}\n`), replay.stdout).toBe(true);
  }
  expect(traceOf(2)).toMatch(/^[0-9a-f]{16}$/);
  const json = paysim(['swarm', '--replay', '2', '--channel', 'all', '--mutant', 'ledger-posts-one-side', '--json']);
  expect(JSON.parse(json.stdout)).toMatchObject({ seed: 2, channel: 'wechatpay', passed: false, invariant: 'ledgerBalanced', traceHash: traceOf(2) });
});

it('replays a swarm seed on a mutant: the broken invariant, the trace hash, exit 1', () => {
  const replay = paysim(['swarm', '--replay', '1', '--mutant', 'ledger-posts-one-side']);
  expect(replay.status).toBe(1);
  expect(replay.stdout).toMatch(/^seed 1: FAIL invariant ledgerBalanced: /);
  expect(replay.stdout).toMatch(/\ntrace [0-9a-f]{16}\n$/);
});

it('lists the mutants, each with the rule it breaks', () => {
  const list = paysim(['mutants', '--list']);
  expect(list.status).toBe(0);
  expect(list.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(14);
  expect(list.stdout).toMatch(/trusts-sync-redirect\s+breaks: the sync redirect/);
});

it('gives every mutant a short swarm over both channels, up to its first failing seed, and prints it beside the scenarios that kill it', () => {
  const args = ['mutants', '--mutant', 'ledger-posts-one-side', '--mutant', 'payment-expiry-fixed', '--first-kill', '--swarm-seeds', '3'];
  const json = paysim([...args, '--json']);
  expect(json.status, json.stderr).toBe(0);
  const report = JSON.parse(json.stdout) as { killRate: number; mutants: { name: string; killedBy: string[]; swarm: { seeds: number; found?: { seed: number; channel: string; invariant: string } } }[] };
  const [ledger, expiry] = report.mutants;
  // ledger-posts-one-side breaks the ledger on the first seed (Alipay); the search stops there.
  expect(ledger).toMatchObject({ name: 'ledger-posts-one-side', swarm: { seeds: 1, found: { seed: 1, channel: 'alipay', invariant: 'ledgerBalanced' } } });
  // killedBy names scenarios only, as ../shared/SURFACE.md gives it; the swarm's seed is in `swarm`.
  expect(ledger!.killedBy.length).toBeGreaterThan(0);
  expect(ledger!.killedBy.every((killer) => !killer.includes('swarm'))).toBe(true);
  // A fixed expiry shows only in a scenario that waits for it: three random seeds miss it, the catalogue does not.
  expect(expiry).toMatchObject({ name: 'payment-expiry-fixed', swarm: { seeds: 3 } });
  expect(expiry!.swarm.found).toBeUndefined();
  expect(expiry!.killedBy.length).toBeGreaterThan(0);
  expect(report.killRate).toBe(1);
  const text = paysim(args);
  expect(text.status, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/\nmutant +scenarios +swarm +killed by\n/);
  expect(text.stdout).toMatch(/\nledger-posts-one-side +1 +seed 1 alipay +[\w-]+\n/);
  expect(text.stdout).toMatch(/\npayment-expiry-fixed +1 +- \(3 seeds\) +[\w-]+\n/);
  // Not a terminal: progress as whole lines, at most one a tenth of each phase, never a carriage return.
  expect(text.stderr).not.toContain('\r');
  expect(text.stderr).toMatch(/^mutant 1\/2: ledger-posts-one-side\n(.*\n)*short swarm 1\/2: ledger-posts-one-side\nshort swarm 2\/2: payment-expiry-fixed\n$/);
  expect(text.stderr.split('\n').length).toBeLessThanOrEqual(2 * 11 + 1);
});

it('runs the nightly script (.ci/nightly): a swarm on both channels from tonight\'s start seed, then the mutant matrix', () => {
  const nightly = (env: Record<string, string>) =>
    spawnSync('bash', [join(root, '.ci/nightly')], { encoding: 'utf8', timeout: 120_000, cwd: tmpdir(), env: { ...process.env, MUTANTS_ARGS: '--mutant ledger-posts-one-side --first-kill --swarm-seeds 1', ...env } });
  const pinned = nightly({ SWARM_START: '7', SWARM_SEEDS: '2' });
  expect(pinned.status, pinned.stderr).toBe(0);
  // Over one worker process a core by default (both seeds at once on any machine with two cores or more).
  expect(pinned.stdout).toMatch(new RegExp(`^swarm \\(all channels: alipay 1, wechatpay 1\\): seeds 7\\.\\.8, 2 passed, 0 failed, [\\d.]+ seeds/s ${availableParallelism() === 1 ? 'in this process' : 'over 2 worker processes'}\n`));
  expect(pinned.stdout).toMatch(/\nledger-posts-one-side +1 +seed 1 alipay +[\w-]+\n/);
  expect(pinned.stdout).toContain('\nkill rate 100% (1/1), stopping at the first kill\n');
  // Unpinned, each night starts at its day's number since 1970 × 10,000: seeds no earlier night ran.
  const before = Math.floor(Date.now() / 86_400_000) * 10_000;
  const tonight = nightly({ SWARM_SEEDS: '1' });
  const after = Math.floor(Date.now() / 86_400_000) * 10_000;
  expect(tonight.status, tonight.stderr).toBe(0);
  const start = Number(/seeds (\d+)\.\.\1,/.exec(tonight.stdout)?.[1]);
  expect([before, after]).toContain(start);
}, 240_000);
