// Alipay's HTTP surface on the simulator: `/gateway.do` (v2, JSON methods and page methods),
// `/v3/alipay/...` (v3) and the bill download. An official SDK needs only its base URL changed.
import { Router, type Request, type Response } from 'express';
import { readRawBody } from '../../../lib/http.ts';
import type { Engine } from '../../engine/engine.ts';
import { publicKeyObject } from '../../engine/keys.ts';
import type { App } from '../../engine/types.ts';
import { billDownloadPath, billMethods, downloadBill } from './bill-methods.ts';
import type { AlipayConfig } from './config.ts';
import { alipayErrors, type AlipayError } from './errors.ts';
import { admitV2, signTypeOf, unknownCommonParameter, unknownField } from './gateway.ts';
import type { MethodResult, MethodSpec } from './method.ts';
import { renderPageError, startPagePay } from './page-pay.ts';
import { refundMethods } from './refund-methods.ts';
import { send, v2Inner, v2Response, v3Error, v3Response, type WireResponse } from './respond.ts';
import { parseV3Authorization, v3RequestSignContent, verify, type SignType } from './sign.ts';
import { tradeMethods } from './trade-methods.ts';
import { BizReader, mergeParameters, methodNamePattern, parseBizContent } from './wire.ts';
import type { Firing } from '../../faults/book.ts';
import { exchangePipeline } from '../../exchange/pipeline.ts';
import { gatewayExchange, v2ProtocolFaults, v3ProtocolFaults } from './faults.ts';
import type { DirectRoute } from '../module.ts';

export const alipayMethods: Record<string, MethodSpec> = { ...tradeMethods, ...refundMethods, ...billMethods };
export const pageMethods = new Set(['alipay.trade.page.pay', 'alipay.trade.wap.pay']);

const v3Paths: Record<string, string> = {
  'POST /v3/alipay/trade/pay': 'alipay.trade.pay',
  'POST /v3/alipay/trade/query': 'alipay.trade.query',
  'POST /v3/alipay/trade/refund': 'alipay.trade.refund',
  'POST /v3/alipay/trade/fastpay/refund/query': 'alipay.trade.fastpay.refund.query',
  'POST /v3/alipay/trade/cancel': 'alipay.trade.cancel',
  'POST /v3/alipay/trade/close': 'alipay.trade.close',
  'POST /v3/alipay/trade/precreate': 'alipay.trade.precreate',
  'POST /v3/alipay/trade/create': 'alipay.trade.create',
  'GET /v3/alipay/data/dataservice/bill/downloadurl/query': 'alipay.data.dataservice.bill.downloadurl.query',
};

type Firings = Firing[];

/**
 * `business_error USERPAYING` on a barcode payment is not an error at Alipay: the trade is created and
 * waits for the buyer's password (10003). So it is taken out of the faults and the payment is made to
 * wait for the buyer instead, as a real USERPAYING would.
 */
function splitUserPaying(method: string, all: Firings): { firings: Firings; userPaying: boolean } {
  if (method !== 'alipay.trade.pay') return { firings: all, userPaying: false };
  const isUserPaying = (firing: Firings[number]) => firing.fault.type === 'business_error' && firing.fault.code === 'USERPAYING';
  return { firings: all.filter((firing) => !isUserPaying(firing)), userPaying: all.some(isUserPaying) };
}

export interface AlipayRoutesOptions {
  engine: Engine;
  config: AlipayConfig;
  /** The simulator's public base URL, for cashier and bill links. */
  baseUrl: () => string;
}

/** The gateway is also answered without Express's router (server.ts): the hot path of every SDK call. */
export function alipayRoutes(options: AlipayRoutesOptions): { router: Router; directRoute: (path: string) => DirectRoute | undefined } {
  const { engine, config } = options;
  const router = Router();
  const random = engine.ctx.random.fork('alipay-wire');
  const traceId = () => random.hex(30);
  /** Errors for an unknown app are signed with the default app's channel key. */
  const fallbackApp = () => engine.apps.ofChannel('alipay')[0]!;

  const exchanges = exchangePipeline(engine, 'alipay', random);
  const { journal } = exchanges;

  async function runMethod(spec: MethodSpec, app: App, biz: Record<string, unknown>, params: Record<string, string>, forceUserPaying = false): Promise<MethodResult> {
    const unknown = unknownField(biz, spec.fields, config);
    if (unknown) return { ok: false, error: unknown };
    return spec.handle({ engine, app, biz, reader: new BizReader(biz), params, baseUrl: options.baseUrl(), config, forceUserPaying });
  }

  async function gateway(req: Request, res: Response): Promise<void> {
    const oneOff = exchanges.oneOffFaults(req, res);
    if (!oneOff) return;
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    const raw = await readRawBody(req, config.bodyBytesMax);
    const method = query.get('method') ?? undefined;
    const answer = async (app: App | undefined, methodName: string | undefined, inner: Record<string, unknown>, bodyText: string, signType: SignType) => {
      const response = await v2Response(methodName, inner, app ?? fallbackApp(), traceId(), signType);
      send(res, response);
      journal(req, methodName !== undefined && methodNamePattern.test(methodName) ? methodName : 'gateway', bodyText, response);
    };
    if (raw.kind === 'tooLarge') {
      const appId = query.get('app_id');
      return answer(appId ? engine.apps.get('alipay', appId) : undefined, method, v2Inner({ ok: false, error: alipayErrors.bodyTooLarge(raw.limitBytes) }), '', signTypeOf(query.get('sign_type')));
    }
    const body = new URLSearchParams(raw.text);
    const admitted = admitV2(engine, config, query, body, (name) => name in alipayMethods || pageMethods.has(name));
    if (!admitted.ok) {
      if (admitted.method && pageMethods.has(admitted.method)) return sendPage(res, renderPageError(admitted.error));
      return answer(admitted.app, admitted.method, v2Inner({ ok: false, error: admitted.error }), raw.text, admitted.signType);
    }
    const { request } = admitted;
    const misplaced = unknownCommonParameter(request.params, config);
    if (pageMethods.has(request.method)) {
      if (misplaced) return sendPage(res, renderPageError(misplaced));
      const outcome = await startPagePay({ engine, app: request.app, method: request.method, biz: request.biz, params: request.params, config, baseUrl: options.baseUrl() });
      if (!outcome.ok) return sendPage(res, renderPageError(outcome.error));
      journal(req, request.method, raw.text, { status: 302, headers: { location: outcome.cashierPath }, body: '' });
      res.redirect(302, outcome.cashierPath);
      return;
    }
    // A v2 call answers to its method and to `POST /gateway.do`, never to a v3 path: a rule naming a
    // v3 path is meant for v3 calls only.
    const decided = exchanges.decide(req, res, gatewayExchange([request.method, `${req.method} /gateway.do`], request.biz), oneOff, raw.text);
    if (!decided) return;
    const { firings, userPaying } = splitUserPaying(request.method, decided);
    const protocol = v2ProtocolFaults(request.method, request.app, traceId, request.signType);
    if (await exchanges.answeredByFault(req, res, firings, protocol, request.method, raw.text)) return;
    const result = misplaced ? ({ ok: false, error: misplaced } as const) : await runMethod(alipayMethods[request.method]!, request.app, request.biz, request.params, userPaying);
    const response = await v2Response(request.method, v2Inner(result), request.app, traceId(), request.signType);
    return exchanges.finish(req, res, firings, protocol, request.method, raw.text, response);
  }

  // The SDK sends POST (exec, page forms) and GET (page URLs); anything else is not a gateway call.
  const gatewayMethodNotAllowed = (req: Request, res: Response) => {
    res.status(405).set('allow', 'GET, POST').type('text/plain; charset=utf-8').send(`/gateway.do answers GET and POST only, not ${req.method}\n`);
  };
  router.route('/gateway.do').head(gatewayMethodNotAllowed).get(gateway).post(gateway).all(gatewayMethodNotAllowed);

  router.use('/v3/alipay', async (req: Request, res: Response) => {
    const oneOff = exchanges.oneOffFaults(req, res);
    if (!oneOff) return;
    const path = `/v3/alipay${req.path}`;
    const method = v3Paths[`${req.method} ${path}`];
    const raw = await readRawBody(req, config.bodyBytesMax);
    const fail = (error: AlipayError) => {
      const response = v3Error(error, config, traceId());
      send(res, response);
      journal(req, method ?? path, raw.kind === 'ok' ? raw.text : '', response);
    };
    if (!method) return fail(alipayErrors.invalidMethod(`${req.method} ${path}`));
    if (raw.kind === 'tooLarge') return fail(alipayErrors.bodyTooLarge(raw.limitBytes));
    const auth = parseV3Authorization(req.header('authorization'));
    if (!auth) return fail(alipayErrors.missingSignature());
    const appId = auth.fields.app_id;
    if (!appId) return fail(alipayErrors.missingAppId());
    const app = engine.apps.get('alipay', appId);
    if (!app) return fail(alipayErrors.invalidAppId(appId));
    const appAuthToken = req.header('alipay-app-auth-token');
    const content = v3RequestSignContent({ authString: auth.authString, method: req.method, pathAndQuery: req.originalUrl, body: raw.text, ...(appAuthToken ? { appAuthToken } : {}) });
    if (!verify(content, auth.signature, publicKeyObject(app.merchantPublicKeyPem))) return fail(alipayErrors.invalidSignature(content));
    let biz: Record<string, unknown>;
    if (req.method === 'GET') {
      // As on the v2 gateway, a parameter given twice with different values is refused, not guessed at.
      const query = mergeParameters(new URLSearchParams(req.originalUrl.split('?')[1] ?? ''), new URLSearchParams());
      if (!query.ok) return fail(query.error);
      biz = query.value;
    } else {
      const parsed = parseBizContent(raw.text);
      if (!parsed.ok) return fail(parsed.error);
      biz = parsed.value;
    }
    if (biz.notify_url !== undefined && typeof biz.notify_url !== 'string') return fail(alipayErrors.invalidParameter('notify_url 必须是字符串'));
    const notifyUrl = biz.notify_url;
    const { notify_url: _notifyUrl, ...bizFields } = biz;
    const decided = exchanges.decide(req, res, gatewayExchange([method, `${req.method} ${path}`], bizFields), oneOff, raw.text);
    if (!decided) return;
    const { firings, userPaying } = splitUserPaying(method, decided);
    const protocol = v3ProtocolFaults(config, traceId, random);
    if (await exchanges.answeredByFault(req, res, firings, protocol, method, raw.text)) return;
    const result = await runMethod(alipayMethods[method]!, app, bizFields, notifyUrl ? { notify_url: notifyUrl } : {}, userPaying);
    const response = result.ok
      ? await v3Response(result.status ? { ...result.status, ...result.fields } : result.fields, app, random, engine.clock.now(), traceId())
      : v3Error(result.error, config, traceId());
    return exchanges.finish(req, res, firings, protocol, method, raw.text, response);
  });

  router.get(billDownloadPath, async (req: Request, res: Response) => {
    const download = await downloadBill(engine, config, new URLSearchParams(req.originalUrl.split('?')[1] ?? ''));
    switch (download.kind) {
      case 'file':
        res.status(200).set({ 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${download.fileName}"` }).send(download.zip);
        return;
      case 'expired':
        res.status(410).type('text/plain; charset=utf-8').send('bill download link expired: ask alipay.data.dataservice.bill.downloadurl.query for a new one (links live 30 s)');
        return;
      case 'invalid':
        res.status(404).type('text/plain; charset=utf-8').send(`no such bill file (${download.reason})`);
        return;
    }
  });

  return { router, directRoute: (path) => (path === '/gateway.do' ? gateway : undefined) };
}

function sendPage(res: Response, html: string): void {
  res.status(200).type('text/html; charset=utf-8').send(html);
}
