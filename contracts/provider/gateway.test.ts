// Provider verification of the HTTP contract: the real simulator, started as tests start it, must
// answer every request the core's connector makes as the core expects, and every v2 answer must carry a
// signature that verifies with the channel's public key over its exact bytes (the pact can only say
// that `sign` looks like a signature; verifyGateway checks it on the wire).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../test/support/simulator.ts';
import { gatewayPactFile } from '../support/participants.ts';
import { startContractSimulator } from './support/contract-simulator.ts';
import { verifyGateway } from './support/verify-gateway.ts';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startContractSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

interface PactFile {
  readonly interactions: readonly { readonly description: string; readonly request: { readonly method: string; readonly path: string } }[];
}

it('meets every expectation the core has of the Alipay gateway and the bill download, every answer validly signed', async () => {
  const { answers } = await verifyGateway({ simulator, pactFiles: [gatewayPactFile] });
  // Every exec call of the pact (a POST to /gateway.do; wap pay is a browser GET answered with a page)
  // went through the signature check once, and verified.
  const pact = JSON.parse(readFileSync(gatewayPactFile, 'utf8')) as PactFile;
  const execCalls = pact.interactions.filter((interaction) => interaction.request.method === 'POST' && interaction.request.path === '/gateway.do');
  expect(answers).toHaveLength(execCalls.length);
  expect(answers.filter((answer) => answer.problem !== undefined)).toEqual([]);
});
