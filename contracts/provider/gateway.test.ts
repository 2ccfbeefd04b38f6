// Provider verification of the HTTP contract: the real simulator, started as tests start it, must
// answer every request the core's connector makes as the core expects.
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

it('meets every expectation the core has of the Alipay gateway and the bill download', async () => {
  await expect(verifyGateway({ simulator, pactFiles: [gatewayPactFile] })).resolves.toBeDefined();
});
