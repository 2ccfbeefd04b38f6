// Provider verification of the message contract: the notifications the real simulator's outbox sends,
// rendered and signed by its Alipay dialect, must be what the core's notify handling expects. The pact
// holds `sign` as a regex only, so every notification that reached the capture endpoint during the run
// is then checked against the channel's public key under the notification rule (docs/alipay-protocol.md
// §3: every parameter but sign and sign_type, sorted, k=v): each must verify, except the forged one,
// which must not (so the check is also shown to catch a bad signature).
import { Verifier } from '@pact-foundation/pact';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../test/support/simulator.ts';
import { fixtureKeys } from '../../test/support/keys.ts';
import { notifyStates } from '../states.ts';
import { notificationSignatureProblem } from '../support/alipay-wire.ts';
import { notifyPactFile, notifyProviderName, pactLogLevel } from '../support/participants.ts';
import { providerMoves, startContractSimulator, type ProviderMoves } from './support/contract-simulator.ts';
import { startNotifyCapture, type NotifyCapture } from './support/notify-capture.ts';
import { notifyMessageProviders, notifyStateHandlers } from './support/notify-states.ts';

let simulator: RunningSimulator;
let capture: NotifyCapture;
let moves: ProviderMoves;
beforeAll(async () => {
  simulator = await startContractSimulator();
  capture = await startNotifyCapture();
  moves = providerMoves(simulator);
});
afterAll(async () => {
  await simulator?.close();
  await capture?.close();
});

interface PactFile {
  readonly interactions: readonly { readonly description: string }[];
}

it('can produce every message the notify pact names', () => {
  const pact = JSON.parse(readFileSync(notifyPactFile, 'utf8')) as PactFile;
  const messages = Object.keys(notifyMessageProviders(moves, capture));
  expect(pact.interactions.map((interaction) => interaction.description).filter((description) => !messages.includes(description))).toEqual([]);
});

it('sends the notifications the core expects, as its outbox renders and signs them', async () => {
  const verification = new Verifier({
    provider: notifyProviderName,
    pactUrls: [notifyPactFile],
    logLevel: pactLogLevel,
    stateHandlers: notifyStateHandlers(moves, capture),
    messageProviders: notifyMessageProviders(moves, capture),
    beforeEach: async () => {
      await moves.forgetEverything();
      capture.clear();
    },
  });
  await expect(verification.verifyProvider()).resolves.toBeDefined();

  // Every message of the pact came from a notification that arrived (the refund state sends two).
  const pact = JSON.parse(readFileSync(notifyPactFile, 'utf8')) as PactFile;
  expect(capture.history.length).toBeGreaterThanOrEqual(pact.interactions.length);
  const verdicts = capture.history.map((notification) => ({
    outTradeNo: notification.parameters.out_trade_no,
    verifies: notificationSignatureProblem(notification.parameters, fixtureKeys.channel.publicKeyPem) === undefined,
  }));
  const forged = notifyStates.forged.outTradeNo;
  expect(verdicts).toEqual(verdicts.map((verdict) => ({ outTradeNo: verdict.outTradeNo, verifies: verdict.outTradeNo !== forged })));
  expect(verdicts.some((verdict) => verdict.outTradeNo === forged)).toBe(true);
});
