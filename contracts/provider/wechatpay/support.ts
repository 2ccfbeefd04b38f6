// The WeChat Pay provider under verification: the real simulator (as the contracts start it: fixture
// keys, virtual time) and what the verification needs around it. The provider states are set up through
// the engine's public API; each replayed request is signed again as the merchant, now (the simulator
// refuses an Authorization more than 5 minutes old, as WeChat does); and a loopback proxy checks every
// answer's signature as the core's SDK will, with the key its Wechatpay-Serial names.
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Wechatpay } from 'wechatpay-axios-plugin';
import type { Refund, Trade } from '../../../simulator/engine/types.ts';
import type { FaultRule } from '../../../simulator/faults/rule.ts';
import { fixtureKeys } from '../../../test/support/keys.ts';
import type { RunningSimulator } from '../../../test/support/simulator.ts';
import { pactLogLevel, wechatpayApiProviderName, wechatpayContract } from '../../support/participants.ts';
import { authorization, requestSignContent, responseSignContent, sha256RsaSign, sha256RsaVerifies } from '../../support/wechatpay-wire.ts';
import { wechatApiStates, type WechatTradeState } from '../../wechatpay-states.ts';
import { startContractSimulator } from '../support/contract-simulator.ts';
import { startLoopbackProxy, type LoopbackProxy } from '../support/loopback-proxy.ts';

export type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;

/** What the simulator keeps of its default WeChat Pay merchant (App.channelData), as the contracts need it. */
export interface WechatMerchant {
  readonly mchid: string;
  readonly merchantSerial: string;
  readonly apiV3Key: string;
  /** The keys answers and notifications may be signed with, by their Wechatpay-Serial. */
  readonly verifyKeys: Readonly<Record<string, string>>;
}

export function wechatMerchantOf(simulator: RunningSimulator): WechatMerchant {
  const app = simulator.sim.engine.apps.get('wechatpay', wechatpayContract.mchid);
  const data = app?.channelData ?? {};
  if (!app || !data.apiV3Key || !data.merchantSerial || !data.publicKeyId || !data.publicKeyPem || !data.platformSerial || !data.platformCertPem) {
    throw new Error(`the simulator has no complete default WeChat Pay merchant ${wechatpayContract.mchid}`);
  }
  return {
    mchid: app.appId,
    merchantSerial: data.merchantSerial,
    apiV3Key: data.apiV3Key,
    verifyKeys: { [data.publicKeyId]: data.publicKeyPem, [data.platformSerial]: data.platformCertPem },
  };
}

/** Moves on the simulator for the WeChat Pay states, each a step a buyer, the channel or the merchant takes. */
export function wechatMoves(simulator: RunningSimulator) {
  const { engine } = simulator.sim;
  async function createTrade(state: Pick<WechatTradeState, 'outTradeNo' | 'totalFen'>, notifyUrl?: string): Promise<Trade> {
    const outcome = await engine.trades.create({
      channel: 'wechatpay',
      appId: wechatpayContract.mchid,
      outTradeNo: state.outTradeNo,
      product: 'native',
      amountFen: state.totalFen,
      subject: 'paysim contract trade',
      visible: true,
      // The order names the app id the core's configuration has: WeChat echoes it back.
      echo: { appid: wechatpayContract.appid },
      ...(notifyUrl ? { notifyUrl } : {}),
    });
    if (outcome.kind !== 'created') throw new Error(`state set-up: order ${state.outTradeNo} was not created (${outcome.kind})`);
    return outcome.trade;
  }
  async function payTrade(state: Pick<WechatTradeState, 'outTradeNo' | 'totalFen'>, notifyUrl?: string): Promise<Trade> {
    const trade = await createTrade(state, notifyUrl);
    const paid = await engine.trades.pay(trade.key);
    if (paid.kind !== 'paid') throw new Error(`state set-up: order ${state.outTradeNo} could not be paid (${paid.kind})`);
    return paid.trade;
  }
  async function requestRefund(trade: Trade, outRefundNo: string, refundFen: number, notifyUrl?: string): Promise<Refund> {
    const outcome = await engine.refunds.request({ tradeKey: trade.key, outRequestNo: outRefundNo, amountFen: refundFen, ...(notifyUrl ? { notifyUrl } : {}) });
    if (outcome.kind !== 'accepted') throw new Error(`state set-up: refund ${outRefundNo} was not accepted (${outcome.kind})`);
    return outcome.refund;
  }
  async function completeRefund(refund: Refund): Promise<void> {
    const completed = await engine.refunds.complete(refund.key);
    if (completed?.state.kind !== 'succeeded') throw new Error(`state set-up: refund ${refund.outRequestNo} did not succeed (${completed?.state.kind})`);
  }
  async function forgetEverything(): Promise<void> {
    await engine.reset();
    engine.faults.clear();
  }
  return { engine, clock: simulator.clock, createTrade, payTrade, requestRefund, completeRefund, forgetEverything };
}

export type WechatMoves = ReturnType<typeof wechatMoves>;

const systemError = (api: string, outTradeNo: string): FaultRule => ({
  match: { channel: 'wechatpay', api, outTradeNo: `^${outTradeNo}$` },
  fault: { type: 'business_error', code: 'SYSTEM_ERROR', message: '系统异常，请稍后重试' },
});

/**
 * Where the bill state's requests go. A day's bill needs a payment on that day, and every interaction
 * starts from a forgotten channel while virtual time only moves forward; so the bill state stands up a
 * simulator of its own (the same seed and keys, started on the bill's day), pays there, lets the day
 * end, and has the requests of its interaction go to it.
 */
export interface BillDay {
  start(): Promise<RunningSimulator>;
}

export function wechatApiStateHandlers(moves: WechatMoves, merchant: () => WechatMerchant, billDay: BillDay): StateHandlers {
  const s = wechatApiStates;
  const nothing = async () => undefined;
  const done = (move: () => Promise<unknown>) => async () => {
    await move();
    return undefined;
  };
  return {
    [s.nativeNotCreated.name]: nothing,
    [s.h5NotCreated.name]: nothing,
    [s.missing.name]: nothing,
    [s.waiting.name]: done(() => moves.createTrade(s.waiting)),
    [s.paid.name]: done(() => moves.payTrade(s.paid)),
    [s.closedUnpaid.name]: done(async () => {
      const trade = await moves.createTrade(s.closedUnpaid);
      const closed = await moves.engine.trades.close(trade.key, 'merchant_close');
      if (closed.kind !== 'closed') throw new Error(`state set-up: ${s.closedUnpaid.outTradeNo} did not close (${closed.kind})`);
    }),
    [s.partlyRefunded.name]: done(async () => moves.completeRefund(await moves.requestRefund(await moves.payTrade(s.partlyRefunded), `${s.partlyRefunded.outTradeNo}-R`, 2000))),
    [s.refundable.name]: done(() => moves.payTrade(s.refundable)),
    [s.queryFailing.name]: done(async () => {
      await moves.payTrade(s.queryFailing);
      moves.engine.faults.add(systemError('GET /v3/pay/transactions/out-trade-no/{out_trade_no}', s.queryFailing.outTradeNo));
    }),
    [s.refundFailing.name]: done(async () => {
      await moves.payTrade(s.refundFailing);
      moves.engine.faults.add(systemError('POST /v3/refund/domestic/refunds', s.refundFailing.outTradeNo));
    }),
    [s.refundSucceeded.name]: done(async () => moves.completeRefund(await moves.requestRefund(await moves.payTrade(s.refundSucceeded), s.refundSucceeded.outRefundNo, s.refundSucceeded.refundFen))),
    [s.refundProcessing.name]: done(async () => moves.requestRefund(await moves.payTrade(s.refundProcessing), s.refundProcessing.outRefundNo, s.refundProcessing.refundFen)),
    [s.refundUnknown.name]: done(() => moves.payTrade(s.refundUnknown)),
    [s.billReady.name]: async () => {
      const day = await billDay.start();
      return billReady(wechatMoves(day), wechatMerchantOf(day), s.billReady.billDate, day.url);
    },
  };
}

/**
 * A payment on the bill's day, the day over, and a fresh download link (it lives 30 seconds), asked for
 * with the official SDK as any merchant would: its token goes to the replayed GET as a provider-state value.
 */
async function billReady(moves: WechatMoves, merchant: WechatMerchant, billDate: string, simulatorUrl: string): Promise<Record<string, string>> {
  const dayStartMs = Date.parse(`${billDate}T00:00:00+08:00`);
  const nextDayMs = dayStartMs + 86_400_000;
  if (moves.clock.now() >= nextDayMs) throw new Error(`state set-up: the bill day's simulator starts after ${billDate}`);
  await moves.payTrade({ outTradeNo: 'W-PACT-BILL-ROW', totalFen: 6660 });
  // The trade bill is ready the next morning (T+1).
  await moves.clock.advanceTo(nextDayMs + 10 * 3_600_000);
  const sdk = new Wechatpay({
    mchid: merchant.mchid,
    serial: merchant.merchantSerial,
    privateKey: fixtureKeys.merchant.privateKeyPem,
    certs: { ...merchant.verifyKeys },
    baseURL: `${simulatorUrl}/`,
  });
  const answer = await sdk.chain('v3/bill/tradebill').get({ params: { bill_date: billDate, bill_type: 'ALL' } });
  const link = (answer.data as { download_url?: string }).download_url;
  if (!link) throw new Error(`state set-up: no bill link for ${billDate}: ${JSON.stringify(answer.data)}`);
  return Object.fromEntries(new URL(link).searchParams);
}

/**
 * The verifier replays each request with the Authorization of the consumer's run (its time, its nonce,
 * the example merchant serial). This filter plays the merchant once more: the simulator's merchant
 * serial, a fresh timestamp and nonce, signed over the request as it goes out (§2.1).
 */
export function resignWechatRequests(merchant: () => WechatMerchant, nowMs: () => number = Date.now): RequestHandler {
  let sequence = 0;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/v3/')) return next();
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0 ? JSON.stringify(req.body) : '';
    if (!Buffer.isBuffer(req.body) && body !== '') {
      // The proxy forwards req.body: as a Buffer it goes out byte for byte, the bytes signed here.
      req.body = Buffer.from(body, 'utf8');
      req.headers['content-length'] = String(Buffer.byteLength(body));
    }
    const timestamp = String(Math.floor(nowMs() / 1000));
    sequence += 1;
    const nonce = `PAYSIMREPLAY${String(sequence).padStart(20, '0')}`;
    const signature = sha256RsaSign(requestSignContent(req.method.toUpperCase(), req.url, timestamp, nonce, body), fixtureKeys.merchant.privateKeyPem);
    req.headers.authorization = authorization({ mchid: merchant().mchid, serial_no: merchant().merchantSerial, timestamp, nonce_str: nonce, signature });
    next();
  };
}

export interface CheckedWechatAnswer {
  readonly request: string;
  readonly status: number;
  readonly problem?: string;
}

export interface WechatAnswerCheck extends LoopbackProxy {
  readonly answers: readonly CheckedWechatAnswer[];
}

export class WechatAnswerSignatureError extends Error {
  override readonly name = 'WechatAnswerSignatureError';
  constructor(readonly failures: readonly CheckedWechatAnswer[]) {
    super(`${failures.length} answer(s) of the simulator do not verify with WeChat Pay's key (the core's SDK would reject them):\n${failures.map((failure) => `- ${failure.request} → ${failure.status}: ${failure.problem}`).join('\n')}`);
  }
}

/** The bill file is the one answer WeChat does not sign (§6.6). */
const unsignedPaths = new Set(['/v3/billdownload/file']);

/** Checks every /v3/ answer's signature with the key its Wechatpay-Serial names; the bytes pass unchanged. */
export async function startWechatAnswerCheck(targetUrl: string | (() => string), merchant: () => WechatMerchant): Promise<WechatAnswerCheck> {
  const answers: CheckedWechatAnswer[] = [];
  const proxy = await startLoopbackProxy(targetUrl, (exchange) => {
    const path = new URL(exchange.url, 'http://provider.invalid').pathname;
    if (!path.startsWith('/v3/') || unsignedPaths.has(path)) return exchange.answerBody;
    const header = (name: string) => {
      const value = exchange.answerHeaders[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const [timestamp, nonce, serial, signature] = ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-serial', 'wechatpay-signature'].map(header);
    const key = serial === undefined ? undefined : merchant().verifyKeys[serial];
    const problem = !timestamp || !nonce || !serial || !signature
      ? 'Wechatpay-Timestamp, -Nonce, -Serial or -Signature is missing'
      : !key
        ? `Wechatpay-Serial ${serial} is none of the merchant's WeChat Pay keys`
        : sha256RsaVerifies(responseSignContent(timestamp, nonce, exchange.answerBody.toString('utf8')), signature, key)
          ? undefined
          : 'the signature does not verify over timestamp, nonce and the exact body';
    answers.push({ request: `${exchange.method} ${exchange.url.slice(0, 80)}`, status: exchange.status, ...(problem ? { problem } : {}) });
    return exchange.answerBody;
  });
  return { ...proxy, answers };
}

export interface WechatVerification {
  readonly simulator: RunningSimulator;
  readonly pactFiles: readonly string[];
  /** Where the verifier's requests go, behind the signature check: the simulator unless something stands in front of it. */
  readonly providerBaseUrl?: string;
  /** Fault rules installed at the start of every interaction (only for tests that break the provider on purpose). */
  readonly faultRules?: readonly FaultRule[];
}

/** Resolves when every interaction is met and every answer verifies; rejects with the pact core's report, or a WechatAnswerSignatureError. */
export async function verifyWechatApi(verification: WechatVerification): Promise<{ output: string; answers: readonly CheckedWechatAnswer[] }> {
  const { simulator } = verification;
  const moves = wechatMoves(simulator);
  const merchant = () => wechatMerchantOf(simulator);
  // The bill state's own simulator, while its interaction runs (see BillDay).
  let billSimulator: RunningSimulator | undefined;
  const behind = () => billSimulator?.url ?? verification.providerBaseUrl ?? simulator.url;
  const check = await startWechatAnswerCheck(behind, () => (billSimulator ? wechatMerchantOf(billSimulator) : merchant()));
  const billDay: BillDay = {
    async start() {
      billSimulator = await startContractSimulator();
      for (const rule of verification.faultRules ?? []) billSimulator.sim.engine.faults.add(rule);
      return billSimulator;
    },
  };
  const closeBillDay = async () => {
    const day = billSimulator;
    billSimulator = undefined;
    await day?.close();
  };
  try {
    const output = await new Verifier({
      provider: wechatpayApiProviderName,
      providerBaseUrl: check.url,
      pactUrls: [...verification.pactFiles],
      logLevel: pactLogLevel,
      stateHandlers: wechatApiStateHandlers(moves, merchant, billDay),
      beforeEach: async () => {
        await closeBillDay();
        await moves.forgetEverything();
        for (const rule of verification.faultRules ?? []) moves.engine.faults.add(rule);
      },
      requestFilter: resignWechatRequests(() => (billSimulator ? wechatMerchantOf(billSimulator) : merchant())),
    }).verifyProvider();
    const failures = check.answers.filter((answer) => answer.problem !== undefined);
    if (failures.length > 0) throw new WechatAnswerSignatureError(failures);
    return { output, answers: [...check.answers] };
  } finally {
    await closeBillDay();
    await check.close();
  }
}
