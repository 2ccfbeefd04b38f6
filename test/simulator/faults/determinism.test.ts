// Faults are reproducible: probabilities are drawn from the seeded source, so the same seed, rules and
// requests fault the same calls, and two fresh simulators driven identically write the same journal,
// byte for byte. Requests are built with a fixed timestamp and Host, so the inputs are identical too.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFault } from '../../support/fault-api.ts';
import { startMerchantReceiver, type MerchantReceiver } from '../../support/merchant-receiver.ts';
import { alipaySdk, verified } from '../../support/sdk.ts';
import { journalOfScriptedRun } from '../../support/scripted-run.ts';
import { startSimulator } from '../../support/simulator.ts';

/** Receives the notifications of every scripted run, so that all runs name the same notify URL. */
let merchant: MerchantReceiver;

beforeAll(async () => {
  merchant = await startMerchantReceiver(() => 0);
});
afterAll(() => merchant.close());

const coinFlipRule = { match: { api: 'alipay.trade.query', probability: 0.5 }, fault: { type: 'business_error', code: 'ACQ.SYSTEM_ERROR' } };

/** Which of 24 queries a fresh simulator with this seed faulted, by the SDK's answers and by the journal. */
async function faultedQueries(seed: number): Promise<{ answers: boolean[]; journal: string[] }> {
  const env = await startSimulator({ seed });
  try {
    await addFault(env.url, coinFlipRule);
    const sdk = alipaySdk(env.url);
    const answers: boolean[] = [];
    for (let index = 0; index < 24; index++) {
      const answer = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: `COIN${index}` } }, verified);
      expect(answer.code).toBe('40004');
      answers.push(answer.subCode === 'ACQ.SYSTEM_ERROR');
    }
    const journal = (await (await fetch(`${env.url}/_sim/journal?type=fault.injected`)).json()) as { detail: string }[];
    return { answers, journal: journal.map((entry) => entry.detail) };
  } finally {
    await env.close();
  }
}

it('faults the same calls under match.probability 0.5 with the same seed, and other calls with another seed', async () => {
  const first = await faultedQueries(7);
  const again = await faultedQueries(7);
  const other = await faultedQueries(8);
  expect(first.answers.filter(Boolean).length).toBeGreaterThan(3);
  expect(first.answers.filter((faulted) => !faulted).length).toBeGreaterThan(3);
  expect(first.journal).toEqual(first.answers.flatMap((faulted, index) => (faulted ? [`COIN${index}`] : [])));
  expect(again).toEqual(first);
  expect(other.answers).not.toEqual(first.answers);
});

it('writes the same journal, byte for byte, for the same seed, rules and requests', async () => {
  const notifyUrl = merchant.notifyUrl('det');
  const first = await journalOfScriptedRun(42, notifyUrl);
  const again = await journalOfScriptedRun(42, notifyUrl);
  const entries = JSON.parse(first) as { type: string; faultType?: string }[];
  // The run exercised faults of several layers, so the comparison covers them.
  expect(new Set(entries.filter((entry) => entry.type === 'fault.injected').map((entry) => entry.faultType))).toEqual(
    new Set(['business_error', 'bad_signature', 'delay', 'duplicate', 'drop', 'tamper_amount', 'forge_signature', 'refund_stuck', 'bill_extra_row']),
  );
  expect(entries.filter((entry) => entry.type === 'notify.attempted').length).toBeGreaterThan(5);
  expect(again).toBe(first);
  // And the comparison is sharp: another seed draws other trade numbers, trace ids and coin flips.
  expect(await journalOfScriptedRun(43, notifyUrl)).not.toBe(first);
});

it('writes the same journal in another process, forged signatures included', async () => {
  const notifyUrl = merchant.notifyUrl('det');
  const script = fileURLToPath(new URL('../../support/scripted-run.ts', import.meta.url));
  const [here, elsewhere] = await Promise.all([
    journalOfScriptedRun(42, notifyUrl),
    promisify(execFile)(process.execPath, ['--import', 'tsx', script, '42', notifyUrl], { maxBuffer: 16 * 1024 * 1024 }),
  ]);
  expect(elsewhere.stdout).toBe(here);
});
