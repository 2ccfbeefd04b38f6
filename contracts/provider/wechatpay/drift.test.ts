// The WeChat Pay verification is worth running only if it fails when the two sides disagree. A rewriting
// proxy in front of the real simulator renames a field of its answers, as a careless change to its wire
// code would: verification fails naming the field. The same proxy rewriting nothing passes, so the
// failure comes from the rename. A badly signed answer matches every interaction (the signature is a
// regex in the pact): only the signature check catches it, and it names the call.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { wechatpayApiPactFile } from '../../support/participants.ts';
import { wechatApiStates } from '../../wechatpay-states.ts';
import { startContractSimulator } from '../support/contract-simulator.ts';
import { startRewritingProxy } from '../support/loopback-proxy.ts';
import { verifyWechatApi, WechatAnswerSignatureError } from './support.ts';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startContractSimulator();
});
afterAll(async () => {
  await simulator?.close();
});

interface Mismatch {
  readonly interaction: string;
  readonly path: string;
  readonly text: string;
}

function mismatchesOf(failure: unknown): Mismatch[] {
  if (!(failure instanceof Error)) throw new Error(`expected the verification to fail, it ended with ${String(failure)}`);
  const report = JSON.parse(failure.message) as { errors: { interaction: string; mismatch: { mismatches?: { path?: string; key?: string; mismatch: string }[]; message?: string } }[] };
  return report.errors.flatMap((error) =>
    (error.mismatch.mismatches ?? [{ mismatch: error.mismatch.message ?? '' }]).map((mismatch) => ({ interaction: error.interaction, path: mismatch.path ?? mismatch.key ?? '', text: mismatch.mismatch })),
  );
}

async function verifiedThrough(rewrite: (body: string) => string): Promise<unknown> {
  const proxy = await startRewritingProxy(simulator.url, rewrite);
  try {
    return await verifyWechatApi({ simulator, pactFiles: [wechatpayApiPactFile], providerBaseUrl: proxy.url });
  } finally {
    await proxy.close();
  }
}

it('fails verification, naming the field, when the simulator renames trade_state in its answers', async () => {
  const failure = await verifiedThrough((body) => body.replaceAll('"trade_state"', '"trade_status"')).then(
    () => undefined,
    (error: unknown) => error,
  );
  const mismatches = mismatchesOf(failure);
  const queries = mismatches.filter((mismatch) => /a query of (waiting|paid) order/.test(mismatch.interaction));
  expect(queries.length).toBeGreaterThan(0);
  expect(queries.every((mismatch) => mismatch.path === '$' && /missing the following keys: trade_state/.test(mismatch.text))).toBe(true);
  // Nothing that does not carry trade_state failed: the rename is the only cause.
  expect(mismatches.every((mismatch) => /query of .*order|close of paid order/.test(mismatch.interaction))).toBe(true);
});

it('passes through the same proxy when it rewrites nothing', async () => {
  const result = (await verifiedThrough((body) => body)) as { answers: readonly unknown[] };
  expect(result.answers.length).toBeGreaterThan(0);
});

it('fails with the call named when the simulator signs one answer badly, though every interaction matches', async () => {
  const state = wechatApiStates.paid;
  const failure = await verifyWechatApi({
    simulator,
    pactFiles: [wechatpayApiPactFile],
    faultRules: [{ match: { channel: 'wechatpay', api: 'GET /v3/pay/transactions/out-trade-no/{out_trade_no}', outTradeNo: `^${state.outTradeNo}$` }, fault: { type: 'bad_signature' } }],
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WechatAnswerSignatureError);
  const failures = (failure as WechatAnswerSignatureError).failures;
  expect(failures.length).toBeGreaterThan(0);
  expect(failures.every((answer) => answer.request.startsWith(`GET /v3/pay/transactions/out-trade-no/${state.outTradeNo}?`) && /does not verify/.test(answer.problem ?? ''))).toBe(true);
});
