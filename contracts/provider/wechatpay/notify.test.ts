// Provider verification of the WeChat Pay message contract: the notifications the real simulator's outbox
// sends, encrypted and signed by its WeChat Pay dialect (fault rules applied), must be what the core's
// notify handling expects. Each message is a notification that really arrived at a loopback endpoint,
// opened here with the merchant's APIv3 key, and its signature checked with the key its Wechatpay-Serial
// names: `signedBy` says what that check found, so the forged notification must be found forged.
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { pactLogLevel, wechatpayNotifyPactFile, wechatpayNotifyProviderName } from '../../support/participants.ts';
import { aeadDecrypt, responseSignContent, sha256RsaVerifies } from '../../support/wechatpay-wire.ts';
import { wechatNotifyStates, wechatTamperedFen, type WechatTradeState } from '../../wechatpay-states.ts';
import { startContractSimulator } from '../support/contract-simulator.ts';
import { wechatMerchantOf, wechatMoves, type StateHandlers, type WechatMoves } from './support.ts';

interface Arrived {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let simulator: RunningSimulator;
let moves: WechatMoves;
let server: Server;
let notifyUrl: string;
const arrived: Arrived[] = [];
const history: Arrived[] = [];

beforeAll(async () => {
  simulator = await startContractSimulator();
  moves = wechatMoves(simulator);
  // The merchant's end: records each POST as it came and acknowledges it with 204, as WeChat expects.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const notification = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      arrived.push(notification);
      history.push(notification);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/wechatpay`;
});
afterAll(async () => {
  await simulator?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
});

const header = (notification: Arrived, name: string): string => String(notification.headers[name] ?? '');

/** Whether the notification's signature verifies with the WeChat Pay key its serial names (§3). */
function signedByWechatpay(notification: Arrived): boolean {
  const key = wechatMerchantOf(simulator).verifyKeys[header(notification, 'wechatpay-serial')];
  return key !== undefined && sha256RsaVerifies(responseSignContent(header(notification, 'wechatpay-timestamp'), header(notification, 'wechatpay-nonce'), notification.body), header(notification, 'wechatpay-signature'), key);
}

/** The notification with its resource opened with the merchant's APIv3 key (§5). */
function opened(notification: Arrived): { event: Record<string, unknown>; resource: Record<string, unknown> } {
  const envelope = JSON.parse(notification.body) as { resource: { ciphertext: string; nonce: string; associated_data: string } & Record<string, unknown> } & Record<string, unknown>;
  const { ciphertext, ...resourceFields } = envelope.resource;
  const plain = aeadDecrypt(ciphertext, wechatMerchantOf(simulator).apiV3Key, envelope.resource.nonce, envelope.resource.associated_data);
  if (plain === undefined) throw new Error(`the notification's resource does not decrypt with the merchant's APIv3 key: ${notification.body.slice(0, 200)}`);
  return { event: { ...envelope, resource: resourceFields }, resource: JSON.parse(plain) as Record<string, unknown> };
}

const eventType = (notification: Arrived) => (JSON.parse(notification.body) as { event_type?: string }).event_type;

function stateHandlers(): StateHandlers {
  const s = wechatNotifyStates;
  const pay = (state: WechatTradeState) => async () => {
    await moves.payTrade(state, notifyUrl);
    return undefined;
  };
  const onlyFor = (state: WechatTradeState) => ({ channel: 'wechatpay' as const, api: 'notify', outTradeNo: `^${state.outTradeNo}$` });
  return {
    [s.paid.name]: pay(s.paid),
    [s.refunded.name]: async () => {
      const trade = await moves.payTrade(s.refunded, notifyUrl);
      await moves.clock.advance(0); // the payment's own notification goes out and is acknowledged first
      await moves.completeRefund(await moves.requestRefund(trade, s.refunded.outRefundNo, s.refunded.refundFen, notifyUrl));
      return undefined;
    },
    [s.tampered.name]: async () => {
      moves.engine.faults.add({ match: onlyFor(s.tampered), fault: { type: 'tamper_amount', amount: (wechatTamperedFen / 100).toFixed(2) } });
      return pay(s.tampered)();
    },
    [s.forged.name]: async () => {
      moves.engine.faults.add({ match: onlyFor(s.forged), fault: { type: 'forge_signature' } });
      return pay(s.forged)();
    },
  };
}

type MessageProviders = NonNullable<VerifierOptions['messageProviders']>;

function messageProviders(): MessageProviders {
  const delivered = (type: string) => async () => {
    await moves.clock.advance(0); // the first attempt is due now: the outbox encrypts, signs and POSTs it
    const notification = arrived.filter((candidate) => eventType(candidate) === type).at(-1);
    if (!notification) throw new Error(`no ${type} notification arrived (${arrived.length} did)`);
    return {
      __pactMessageMetadata: {
        contentType: 'application/json',
        'Wechatpay-Serial': header(notification, 'wechatpay-serial'),
        'Wechatpay-Signature-Type': header(notification, 'wechatpay-signature-type'),
        signedBy: signedByWechatpay(notification) ? 'wechatpay' : 'another key',
      },
      message: opened(notification),
    };
  };
  return {
    'a payment success notification': delivered('TRANSACTION.SUCCESS'),
    'a refund success notification': delivered('REFUND.SUCCESS'),
    'a payment success notification whose amount was rewritten': delivered('TRANSACTION.SUCCESS'),
    'a payment success notification with a forged signature': delivered('TRANSACTION.SUCCESS'),
  };
}

it('can produce every message the WeChat Pay notify pact names', () => {
  const pact = JSON.parse(readFileSync(wechatpayNotifyPactFile, 'utf8')) as { interactions: { description: string }[] };
  const known = Object.keys(messageProviders());
  expect(pact.interactions.map((interaction) => interaction.description).filter((description) => !known.includes(description))).toEqual([]);
});

it('sends the notifications the core expects, as its outbox encrypts and signs them', async () => {
  const verification = new Verifier({
    provider: wechatpayNotifyProviderName,
    pactUrls: [wechatpayNotifyPactFile],
    logLevel: pactLogLevel,
    stateHandlers: stateHandlers(),
    messageProviders: messageProviders(),
    beforeEach: async () => {
      await moves.forgetEverything();
      arrived.length = 0;
    },
  });
  await expect(verification.verifyProvider()).resolves.toBeDefined();
  // Every notification that arrived verifies with WeChat Pay's key, except the forged one, which does not.
  const forged = wechatNotifyStates.forged.outTradeNo;
  const verdicts = history.map((notification) => ({ outTradeNo: opened(notification).resource.out_trade_no, verifies: signedByWechatpay(notification) }));
  expect(verdicts.some((verdict) => verdict.outTradeNo === forged)).toBe(true);
  expect(verdicts).toEqual(verdicts.map((verdict) => ({ outTradeNo: verdict.outTradeNo, verifies: verdict.outTradeNo !== forged })));
});
