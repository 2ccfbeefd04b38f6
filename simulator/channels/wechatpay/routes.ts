// WeChat Pay API v3 on the simulator, at the real host's paths (docs/wechatpay-protocol.md §1, §6): every
// call is admitted (signature, serial, timestamp), runs through the shared exchange pipeline (so every
// gateway fault applies) and is answered signed, business errors included.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { readRawBody } from '../../../lib/http.ts';
import type { Engine } from '../../engine/engine.ts';
import type { App } from '../../engine/types.ts';
import { exchangePipeline } from '../../exchange/pipeline.ts';
import type { WireAnswer } from '../../faults/transport.ts';
import type { DirectRoute } from '../module.ts';
import { looseBody, type ApiResult, type ApiSpec } from './api.ts';
import { platformKeyOf, signingKeyFor } from './app-data.ts';
import { admit } from './auth.ts';
import { billApis } from './bill-apis.ts';
import { BillFiles } from './bill-files.ts';
import { certificatesApi } from './certificate-api.ts';
import type { WechatpayConfig } from './config.ts';
import { wechatpayErrors, type WechatpayError } from './errors.ts';
import { isUserPaying, wechatpayExchange, wechatpayProtocolFaults } from './faults.ts';
import { refundApis } from './refund-apis.ts';
import { errorAnswer, noContentAnswer, okAnswer, type AnswerContext } from './respond.ts';
import { transactionApis } from './transaction-apis.ts';

export const wechatpayApis: readonly ApiSpec[] = [...transactionApis, ...refundApis, ...billApis, certificatesApi];

/** The path families WeChat Pay answers; other /v3 paths belong to other channels. */
const ownPrefixes = ['/v3/pay/', '/v3/refund/', '/v3/bill/', '/v3/billdownload/', '/v3/certificates'];
/** The families' roots without their slash (`/v3/pay`), answered too; computed once, off the hot path. */
const ownRoots = ownPrefixes.map((prefix) => prefix.replace(/\/$/, ''));
const isOwnPath = (path: string) => ownPrefixes.some((prefix, index) => path.startsWith(prefix) || path === ownRoots[index]);

export interface WechatpayRoutesOptions {
  readonly engine: Engine;
  readonly config: WechatpayConfig;
  readonly baseUrl: () => string;
}

function pathParams(spec: ApiSpec, path: string): Record<string, string> | undefined {
  const groups = spec.path.exec(path)?.groups ?? {};
  try {
    return Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    return undefined;
  }
}

export function wechatpayRoutes(options: WechatpayRoutesOptions): { router: Router; directRoute: (path: string) => DirectRoute | undefined } {
  const { engine, config } = options;
  const router = Router();
  const random = engine.ctx.random.fork('wechatpay-wire');
  const billFiles = new BillFiles(engine.clock, random.fork('bill-links'), config.billUrlTtlMs);
  const exchanges = exchangePipeline(engine, 'wechatpay', random);
  const wallMs = () => engine.ctx.wallClock();
  /** Answers to a merchant the simulator does not know are signed with the default merchant's keys. */
  const fallbackApp = (): App | undefined => engine.apps.ofChannel('wechatpay')[0];
  // The certificate list is signed by the certificate it lists; when it is not served, the mode's key signs the refusal.
  const servesCertificates = config.keyMode === 'platform_certificate' || config.certificatesInPublicKeyMode === 'serve';
  const contextFor = (app: App | undefined, req: Request, spec?: ApiSpec): AnswerContext => ({
    key: app === undefined ? undefined : spec === certificatesApi && servesCertificates ? platformKeyOf(app) : signingKeyFor(app, config, req.header('wechatpay-serial')),
    wallMs: wallMs(),
    random,
  });

  async function answerOf(result: ApiResult, context: AnswerContext): Promise<WireAnswer> {
    switch (result.kind) {
      case 'json':
        return okAnswer(result.fields, context);
      case 'empty':
        return noContentAnswer(context);
      case 'error':
        return errorAnswer(result.error, context);
      case 'file':
        // The file stream is not signed (clients skip verification of /v3/billdownload/file, §6.6).
        return { status: 200, headers: { 'content-type': result.contentType }, body: result.contentType.startsWith('text/') ? result.bytes.toString('utf8') : `(${result.bytes.length} bytes)`, bytes: result.bytes };
    }
  }

  /** Every call on one of WeChat Pay's paths, known API or not: WeChat Pay answers it. */
  async function serve(req: Request, res: Response): Promise<void> {
    const oneOff = exchanges.oneOffFaults(req, res);
    if (!oneOff) return;
    const spec = wechatpayApis.find((candidate) => candidate.method === req.method && candidate.path.test(req.path));
    const raw = await readRawBody(req, config.bodyBytesMax);
    const bodyText = raw.kind === 'ok' ? raw.text : '';
    const refuse = async (error: WechatpayError, app: App | undefined, signed = true) => {
      const answer = await errorAnswer(error, contextFor(signed ? app : undefined, req));
      res.status(answer.status).set(answer.headers).send(answer.body);
      exchanges.journal(req, spec?.name ?? `${req.method} ${req.path}`, bodyText, answer);
    };
    if (!spec) return refuse(wechatpayErrors.noSuchApi(`${req.method} ${req.path}`), fallbackApp());
    if (raw.kind === 'tooLarge') return refuse(wechatpayErrors.bodyTooLarge(raw.limitBytes), fallbackApp());
    const admission = admit(engine, config, req, bodyText, wallMs());
    if (!admission.ok) {
      const signs = admission.error.code !== 'SIGN_ERROR' || config.signAuthorizationErrors;
      return refuse(admission.error, admission.app ?? fallbackApp(), signs);
    }
    const { app } = admission;
    const params = pathParams(spec, req.path);
    if (!params) return refuse(wechatpayErrors.paramError('path', '路径参数的百分号编码不正确', 'path'), app);
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    const decided = exchanges.decide(req, res, wechatpayExchange(spec, spec.facts({ params, query, body: looseBody(bodyText) })), oneOff, bodyText);
    if (!decided) return;
    const userPaying = spec.createsTrade === true && decided.some((firing) => firing.fault.type === 'business_error' && isUserPaying(firing.fault.code));
    const firings = userPaying ? decided.filter((firing) => !(firing.fault.type === 'business_error' && isUserPaying(firing.fault.code))) : decided;
    const context = contextFor(app, req, spec);
    const protocol = wechatpayProtocolFaults(context, random);
    if (await exchanges.answeredByFault(req, res, firings, protocol, spec.name, bodyText)) return;
    const result = await spec.handle({ engine, config, app, params, query, body: bodyText, baseUrl: options.baseUrl(), random, billFiles, userPaying });
    // Signed at the moment of answering: a fault's delay must not age the timestamp.
    const answer = await answerOf(result, { ...context, wallMs: wallMs() });
    return exchanges.finish(req, res, firings, protocol, spec.name, bodyText, answer);
  }

  router.use((req: Request, res: Response, next: NextFunction) => (isOwnPath(req.path) ? serve(req, res) : next()));
  return { router, directRoute: (path) => (isOwnPath(path) ? serve : undefined) };
}
