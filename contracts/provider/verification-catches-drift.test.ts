// The verification is worth running only if it fails when the two sides disagree. These tests break the
// agreement on purpose and expect the failure, with a message that names what broke: a provider whose
// answers rename a field or change a status string (a rewriting proxy in front of the real simulator),
// a provider that signs one answer badly (which every interaction still matches: only the signature
// check catches it), and a consumer expectation the simulator does not meet (a method it does not have,
// refused for that reason and no other).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKeys } from '../../test/support/keys.ts';
import { alipaySdk } from '../../test/support/sdk.ts';
import type { RunningSimulator } from '../../test/support/simulator.ts';
import { execRequest, gatewayPact, signedAnswer, success } from '../consumer/support/gateway.ts';
import { gatewayStates } from '../states.ts';
import { requestParameters, requestSignatureProblem } from '../support/alipay-wire.ts';
import { mockServerBookkeeping } from '../support/mock-server-bookkeeping.ts';
import { consumerName, gatewayPactFile, gatewayProviderName } from '../support/participants.ts';
import { AnswerSignatureError } from './support/answer-signatures.ts';
import { startContractSimulator } from './support/contract-simulator.ts';
import { startRewritingProxy } from './support/loopback-proxy.ts';
import { verifyGateway } from './support/verify-gateway.ts';

interface Mismatch {
  readonly interaction: string;
  readonly path: string;
  readonly text: string;
}

/** The pact core rejects with its report as JSON text; this lists every mismatch in it. */
function mismatchesOf(failure: unknown): Mismatch[] {
  if (!(failure instanceof Error)) throw new Error(`expected the verification to fail, it ended with ${String(failure)}`);
  const report = JSON.parse(failure.message) as {
    errors: { interaction: string; mismatch: { mismatches?: { path?: string; key?: string; mismatch: string }[]; message?: string } }[];
  };
  return report.errors.flatMap((error) =>
    (error.mismatch.mismatches ?? [{ mismatch: error.mismatch.message ?? '' }]).map((mismatch) => ({
      interaction: error.interaction,
      path: mismatch.path ?? mismatch.key ?? '',
      text: mismatch.mismatch,
    })),
  );
}

async function failureOf(verification: Promise<unknown>): Promise<Mismatch[]> {
  return verification.then(
    () => {
      throw new Error('the verification passed, but it was meant to fail');
    },
    (failure: unknown) => mismatchesOf(failure),
  );
}

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startContractSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

describe('a provider whose answers drift from the contract', () => {
  it('still passes through the rewriting proxy when the proxy rewrites nothing', async () => {
    const proxy = await startRewritingProxy(simulator.url, (body) => body);
    try {
      await expect(verifyGateway({ simulator, pactFiles: [gatewayPactFile], providerBaseUrl: proxy.url })).resolves.toBeDefined();
    } finally {
      await proxy.close();
    }
  });

  it('fails, naming trade_status, when the answers call the field trade_state', async () => {
    const proxy = await startRewritingProxy(simulator.url, (body) => body.replaceAll('"trade_status":', '"trade_state":'));
    try {
      const mismatches = await failureOf(verifyGateway({ simulator, pactFiles: [gatewayPactFile], providerBaseUrl: proxy.url }));
      const paidQuery = mismatches.filter((mismatch) => mismatch.interaction.includes(`a query of paid trade ${gatewayStates.paid.outTradeNo}`));
      expect(paidQuery.length).toBeGreaterThan(0);
      expect(paidQuery.some((mismatch) => `${mismatch.path} ${mismatch.text}`.includes('trade_status'))).toBe(true);
      // Every query answer carries trade_status, and nothing else is rewritten.
      expect(mismatches.every((mismatch) => mismatch.interaction.includes('a query of'))).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('fails, naming trade_status and both values, when the answers say TRADE_SUCCEEDED for TRADE_SUCCESS', async () => {
    const proxy = await startRewritingProxy(simulator.url, (body) => body.replaceAll('"TRADE_SUCCESS"', '"TRADE_SUCCEEDED"'));
    try {
      const mismatches = await failureOf(verifyGateway({ simulator, pactFiles: [gatewayPactFile], providerBaseUrl: proxy.url }));
      expect(mismatches).toContainEqual(
        expect.objectContaining({
          interaction: expect.stringContaining(`a query of paid trade ${gatewayStates.paid.outTradeNo}`),
          path: '$.alipay_trade_query_response.trade_status',
          text: expect.stringMatching(/TRADE_SUCCESS.*TRADE_SUCCEEDED|TRADE_SUCCEEDED.*TRADE_SUCCESS/),
        }),
      );
    } finally {
      await proxy.close();
    }
  });
});

describe('a provider whose answer signature does not verify', () => {
  // The pact holds `sign` as a regex (the provider's answers carry their own numbers and times, so their
  // signatures cannot equal the examples'), so a badly signed answer matches every interaction. The
  // signature check in front of the simulator is what must fail the run.
  it('fails the run, naming the one call, when the simulator signs the answer to one query badly', async () => {
    const state = gatewayStates.paid;
    const failure = await verifyGateway({
      simulator,
      pactFiles: [gatewayPactFile],
      faultRules: [{ match: { api: 'alipay.trade.query', outTradeNo: `^${state.outTradeNo}$` }, fault: { type: 'bad_signature' } }],
    }).then(
      () => {
        throw new Error('the verification passed, but one answer was badly signed');
      },
      (error: unknown) => error,
    );
    // An AnswerSignatureError is thrown only once the pact core has passed every interaction.
    expect(failure).toBeInstanceOf(AnswerSignatureError);
    expect((failure as AnswerSignatureError).failures).toEqual([
      { method: 'alipay.trade.query', outTradeNo: state.outTradeNo, state: state.name, problem: expect.stringMatching(/does not verify/) },
    ]);
  });
});

describe('a consumer expectation the simulator does not meet', () => {
  let pactDirectory: string;
  beforeAll(async () => {
    pactDirectory = await mkdtemp(join(tmpdir(), 'paysim-pact-'));
  });
  afterAll(async () => {
    await rm(pactDirectory, { recursive: true, force: true });
  });

  it('fails verification of a pact that calls alipay.trade.order.settle, a method the simulator does not have', async () => {
    const state = gatewayStates.paid;
    const bizContent = { out_request_no: 'S-PACT-1', trade_no: '2026010122001471950503864977' };
    await gatewayPact({ dir: pactDirectory })
      .addInteraction()
      .given(state.name)
      .uponReceiving('a settlement of a paid trade')
      .withRequest('POST', '/gateway.do', (request) => execRequest(request, { method: 'alipay.trade.order.settle', bizContent }))
      .willRespondWith(200, (response) => signedAnswer(response, 'alipay.trade.order.settle', { ...success, trade_no: bizContent.trade_no }))
      .executeTest(async (mockServer) => {
        const answer = (await alipaySdk(mockServer.url).exec('alipay.trade.order.settle', { bizContent }, { validateSign: true })) as { code?: string };
        expect(answer.code).toBe('10000');
        await mockServerBookkeeping(mockServer.port);
      });

    const pactFile = join(pactDirectory, `${consumerName}-${gatewayProviderName}.json`);
    const mismatches = await failureOf(verifyGateway({ simulator, pactFiles: [pactFile] }));
    expect(mismatches).toContainEqual(
      expect.objectContaining({
        interaction: expect.stringContaining('a settlement of a paid trade'),
        path: '$.alipay_trade_order_settle_response.code',
        text: expect.stringMatching(/10000.*40002|40002.*10000/),
      }),
    );

    // 40002 is also what a badly re-signed replay gets (isv.invalid-signature): the simulator's journal
    // of the run (one interaction, so one exchange) pins the cause. The answer says isv.invalid-method,
    // and the replay it answered carried a merchant signature that verifies.
    const exchanges = simulator.sim.engine.journal
      .list({ type: 'http.exchange' })
      .flatMap((entry) => (entry.type === 'http.exchange' && entry.exchange.path.includes('method=alipay.trade.order.settle') ? [entry.exchange] : []));
    expect(exchanges).toHaveLength(1);
    const exchange = exchanges[0]!;
    const answer = JSON.parse(exchange.responseBody) as { alipay_trade_order_settle_response?: Record<string, unknown> };
    expect(answer.alipay_trade_order_settle_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
    expect(requestSignatureProblem(requestParameters(exchange.path, exchange.requestBody), fixtureKeys.merchant.publicKeyPem)).toBeUndefined();
  });
});
