// The provider states are defined once (contracts/states.ts) and must stay in step on both sides: every
// sentence is named by some pact, no pact names a sentence that is not defined, and the provider can
// set up each one.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../test/support/simulator.ts';
import { allStateNames } from '../states.ts';
import { gatewayPactFile, notifyPactFile } from '../support/participants.ts';
import { providerMoves, startContractSimulator } from './support/contract-simulator.ts';
import { gatewayStateHandlers, RequestSigner } from './support/gateway-states.ts';
import { startNotifyCapture, type NotifyCapture } from './support/notify-capture.ts';
import { notifyStateHandlers } from './support/notify-states.ts';

let simulator: RunningSimulator;
let capture: NotifyCapture;
beforeAll(async () => {
  simulator = await startContractSimulator();
  capture = await startNotifyCapture();
});
afterAll(async () => {
  await simulator?.close();
  await capture?.close();
});

function statesNamedIn(pactFile: string): string[] {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: { providerStates?: { name: string }[] }[] };
  return pact.interactions.flatMap((interaction) => (interaction.providerStates ?? []).map((state) => state.name));
}

it('names every state of states.ts in a pact, and no state that states.ts does not define', () => {
  const named = new Set([...statesNamedIn(gatewayPactFile), ...statesNamedIn(notifyPactFile)]);
  expect([...named].sort()).toEqual([...new Set(allStateNames)].sort());
});

it('has a set-up on the simulator for every state a pact names', () => {
  const moves = providerMoves(simulator);
  const gateway = Object.keys(gatewayStateHandlers(moves, new RequestSigner(), () => simulator.url));
  const notify = Object.keys(notifyStateHandlers(moves, capture));
  expect(statesNamedIn(gatewayPactFile).filter((name) => !gateway.includes(name))).toEqual([]);
  expect(statesNamedIn(notifyPactFile).filter((name) => !notify.includes(name))).toEqual([]);
});
