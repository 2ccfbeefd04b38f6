// Provider verification of the WeChat Pay HTTP contract: the real simulator's WeChat Pay dialect must
// answer every request the core's connector makes as the core expects, and every answer but the bill
// file must carry a signature that verifies with the key its Wechatpay-Serial names (the pact can only
// say the headers look right; the answer check verifies them on the wire).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { wechatpayApiPactFile, wechatpayNotifyPactFile } from '../../support/participants.ts';
import { allWechatStateNames } from '../../wechatpay-states.ts';
import { startContractSimulator } from '../support/contract-simulator.ts';
import { verifyWechatApi, wechatApiStateHandlers, wechatMerchantOf, wechatMoves } from './support.ts';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startContractSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

it('meets every expectation the core has of WeChat Pay API v3 and the bill download, every answer validly signed', async () => {
  const { answers } = await verifyWechatApi({ simulator, pactFiles: [wechatpayApiPactFile] });
  const pact = JSON.parse(readFileSync(wechatpayApiPactFile, 'utf8')) as { interactions: { request: { path: string } }[] };
  const signedCalls = pact.interactions.filter((interaction) => interaction.request.path !== '/v3/billdownload/file');
  expect(answers).toHaveLength(signedCalls.length);
  expect(answers.filter((answer) => answer.problem !== undefined)).toEqual([]);
});

function statesNamedIn(pactFile: string): string[] {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: { providerStates?: { name: string }[] }[] };
  return pact.interactions.flatMap((interaction) => (interaction.providerStates ?? []).map((state) => state.name));
}

it('names every state of wechatpay-states.ts in a pact, and has a set-up for every API state a pact names', () => {
  const named = new Set([...statesNamedIn(wechatpayApiPactFile), ...statesNamedIn(wechatpayNotifyPactFile)]);
  expect([...named].sort()).toEqual([...new Set(allWechatStateNames)].sort());
  const handled = Object.keys(wechatApiStateHandlers(wechatMoves(simulator), () => wechatMerchantOf(simulator), { start: startContractSimulator }));
  expect(statesNamedIn(wechatpayApiPactFile).filter((name) => !handled.includes(name))).toEqual([]);
});
