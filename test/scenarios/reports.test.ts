// Reports in every format of SURFACE.md, from a real run of one passing and one failing scenario:
// report.json in the documented shape, junit.xml that an XML parser accepts with one testcase per
// scenario and a failure naming the invariant and the seed, report.md, and a self-contained report.html.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brokenCores } from '../../scenarios/broken/corrupting-notifier.ts';
import { loadCatalog } from '../../scenarios/catalog/index.ts';
import { runScenario } from '../../scenarios/runner/run.ts';
import type { RunReport } from '../../scenarios/report/types.ts';
import { writeReports } from '../../scenarios/report/write.ts';

let directory: string;
let report: RunReport;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'paysim-reports-'));
  const entries = await loadCatalog();
  const byName = (name: string) => entries.find((entry) => entry.scenario.name === name)!.scenario;
  const passing = await runScenario(byName('late-success-after-close'));
  const failing = await runScenario(byName('notification-ten-copies-at-once'), { seed: 4, core: { components: brokenCores.booksPaymentTwice.components } });
  report = { seed: null, passed: 1, failed: 1, durationMs: passing.durationMs + failing.durationMs, scenarios: [passing, failing] };
  writeReports(report, directory, ['json', 'junit', 'md', 'html'], (name) => byName(name).why);
}, 60_000);

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

it('writes report.json in the shape of SURFACE.md', async () => {
  const json = JSON.parse(await readFile(join(directory, 'report.json'), 'utf8'));
  expect(Object.keys(json).sort()).toEqual(['durationMs', 'failed', 'passed', 'scenarios', 'seed']);
  expect(json.scenarios).toHaveLength(2);
  const [scenario] = json.scenarios;
  expect(Object.keys(scenario).sort()).toEqual(['channel', 'checks', 'durationMs', 'expectations', 'faults', 'invariants', 'name', 'passed', 'reproduce', 'seed', 'timeline', 'traceHash'].sort());
  expect(scenario.faults).toEqual([{ type: 'late_success', fired: 1 }]);
  const fault = scenario.timeline.find((entry: { fault?: string }) => entry.fault === 'late_success');
  expect(fault).toMatchObject({ from: 'channel', to: 'core' });
  expect(Object.keys(scenario.timeline[0]).sort()).toEqual(['atMs', 'from', 'label', 'to']);
});

it('writes junit.xml that validates as XML, with a testsuite per channel and a testcase per scenario', async () => {
  const xml = await readFile(join(directory, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suite = parsed.testsuites.testsuite;
  expect(suite.name).toBe('scenarios.alipay');
  expect(suite.tests).toBe('2');
  expect(suite.failures).toBe('1');
  const cases = suite.testcase as { name: string; failure?: { message: string; '#text': string } }[];
  expect(cases.map((testcase) => testcase.name)).toEqual(['late-success-after-close', 'notification-ten-copies-at-once']);
  expect(cases[0]!.failure).toBeUndefined();
  expect(cases[1]!.failure!.message).toMatch(/^invariant duplicatesChangeNothing broke: .*\(seed 4\)$/);
  expect(cases[1]!.failure!['#text']).toContain('reproduce: npx paysim scenario run notification-ten-copies-at-once --seed 4');
});

it('writes report.md with the summary and each failure with its reproduction command', async () => {
  const markdown = await readFile(join(directory, 'report.md'), 'utf8');
  expect(markdown).toContain('1 passed, 1 failed');
  expect(markdown).toContain('| ✅ | **late-success-after-close**');
  expect(markdown).toContain('### notification-ten-copies-at-once');
  expect(markdown).toContain('Reproduce: `npx paysim scenario run notification-ten-copies-at-once --seed 4`');
});

it('writes report.html as one self-contained page with a timeline per scenario and the faults marked', async () => {
  const html = await readFile(join(directory, 'report.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  expect(html).not.toContain('<script');
  // The timeline is the shared one of the dashboard's trade pages (lib/dashboard/timeline.ts).
  expect(html.match(/<div class="timeline"/g)).toHaveLength(2);
  expect(html).toContain('class="tl-arrow left fault"');
  expect(html).toContain('<span class="tl-fault">late_success</span>fault late_success');
  const lanes = [...html.matchAll(/<div class="tl-name"[^>]*>([^<]*)<\/div>/g)].map((match) => match[1]);
  expect(lanes.slice(0, 4)).toEqual(['Buyer', 'Business system', 'Payment core', 'Channel (simulator)']);
  expect(html).toContain('<details id="notification-ten-copies-at-once" open>');
});

it('names the payment of each WeChat Pay notification on the timeline, though its body is encrypted', async () => {
  const happy = (await loadCatalog()).find((entry) => entry.scenario.name === 'wechatpay-happy-path')!.scenario;
  const result = await runScenario(happy);
  const notifies = result.timeline.filter((entry) => entry.from === 'channel' && entry.to === 'core' && entry.label.startsWith('notify '));
  expect(notifies.length).toBeGreaterThan(0);
  for (const entry of notifies) expect(entry.label).toMatch(/^notify trade_paid payment A #\d+ → 20[04] success$/);
}, 60_000);
