// The control API (`/_sim`): apps and keys, the clock, buyer actions, inspection and reset.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { VirtualClock } from '../../lib/clock.ts';
import { readRawBody } from '../../lib/http.ts';
import { buyerActions, buyerActs, type BuyerAction } from '../cashier/buyer.ts';
import type { ChannelModule } from '../channels/module.ts';
import type { Engine } from '../engine/engine.ts';
import { outTradeNoOf, type App, type ChannelName } from '../engine/types.ts';
import { AdminRequestError, decodeObject, optionalString, sendAdminError } from './errors.ts';
import { concernsTrade, journalPageEntriesDefault, journalPageEntriesMax, type JournalEntry } from '../engine/journal.ts';
import { journalStream } from './journal-stream.ts';

/**
 * Limits of POST /clock/advance. Past year 9999 dates lose their 4-digit years (trade numbers begin
 * with yyyyMMdd), and past 8.64e15 ms the clock's time is no longer a date at all, which broke every
 * later request; ten years is far more than any refund window or retry schedule needs.
 */
const clockAdvanceMsMax = 10 * 365 * 24 * 60 * 60 * 1000;
const virtualTimeMsMax = Date.UTC(9999, 11, 31, 15, 59, 59, 999); // 9999-12-31 23:59:59.999 Beijing time

/** What the control API shows of an app: never the channel's private key. */
export function publicApp(app: App, merchantPrivateKeyPem?: string) {
  return {
    channel: app.channel,
    appId: app.appId,
    sellerId: app.sellerId,
    name: app.name,
    channelPublicKeyPem: app.channelPublicKeyPem,
    merchantPublicKeyPem: app.merchantPublicKeyPem,
    ...(merchantPrivateKeyPem ? { merchantPrivateKeyPem } : {}),
  };
}

/** The merchant's key from a registration: the module's reading, else the `publicKeyPem` every channel takes. */
function readRegistration(module: Pick<ChannelModule, 'readRegistration'>, body: Readonly<Record<string, unknown>>) {
  if (module.readRegistration) return module.readRegistration(body);
  const publicKeyPem = optionalString(body, 'publicKeyPem');
  if (!publicKeyPem) return { ok: false, message: '"publicKeyPem" is required: the merchant\'s RSA public key (PEM "PUBLIC KEY")' } as const;
  return { ok: true, merchantPublicKeyPem: publicKeyPem } as const;
}

export interface AdminOptions {
  engine: Engine;
  /** The channels this simulator serves, each with the name of its merchant-id field (Alipay appId, WeChat mchid). */
  channels: readonly Pick<ChannelModule, 'name' | 'appIdField' | 'registrationFields' | 'readRegistration' | 'describeApp'>[];
  /** Private keys of the merchant apps the simulator generated itself (the default apps). */
  generatedMerchantKeys: () => Map<string, string>;
  startedAtMs: number;
}

export function adminRoutes(options: AdminOptions): Router {
  const { engine } = options;
  const router = Router();
  const json = async (req: Request) => {
    const raw = await readRawBody(req, 256 * 1024);
    if (raw.kind === 'tooLarge') throw new AdminRequestError('INVALID_REQUEST', `body exceeds ${raw.limitBytes} bytes`);
    return raw.text;
  };
  const channelNames = options.channels.map((channel) => channel.name);
  const channelOf = (value: unknown): ChannelName => {
    if (!channelNames.includes(value as ChannelName)) throw new AdminRequestError('INVALID_REQUEST', `"channel" must be one of ${channelNames.join(', ')}`);
    return value as ChannelName;
  };
  // Every channel's merchant-id field is taken (appId, mchid), and every field a channel's registration reads.
  const appIdFields = [...new Set(['appId', ...options.channels.map((item) => item.appIdField)])];
  const registrationFields = [...new Set(['channel', 'name', 'publicKeyPem', ...appIdFields, ...options.channels.flatMap((item) => item.registrationFields ?? [])])];
  const moduleOf = (channel: ChannelName) => options.channels.find((item) => item.name === channel)!;
  const appIdFieldOf = (channel: ChannelName) => moduleOf(channel).appIdField;
  const describe = (app: App): Readonly<Record<string, unknown>> =>
    moduleOf(app.channel)?.describeApp?.(app) ?? { appId: app.appId, sellerId: app.sellerId, channelPublicKeyPem: app.channelPublicKeyPem };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', clock: engine.clock.kind, nowMs: engine.clock.now(), now: new Date(engine.clock.now()).toISOString(), trades: engine.trades.all().length });
  });

  router.get('/apps', (_req, res) => {
    const keys = options.generatedMerchantKeys();
    res.json(engine.apps.all().map((app) => ({ ...publicApp(app, keys.get(`${app.channel}:${app.appId}`)), ...(moduleOf(app.channel)?.describeApp?.(app) ?? {}) })));
  });

  /** appIds whose registration is under way, so that two concurrent requests cannot both create one. */
  const registering = new Set<string>();
  router.post('/apps', async (req, res) => {
    const body = decodeObject(await json(req), registrationFields);
    const channel = channelOf(body.channel);
    const appIdField = appIdFieldOf(channel);
    const appId = optionalString(body, appIdField);
    const registration = readRegistration(moduleOf(channel), body);
    if (!registration.ok) throw new AdminRequestError('INVALID_REQUEST', registration.message);
    const name = optionalString(body, 'name');
    // Registering over an app would swap its channel keys and seller id under every SDK already using it.
    const key = `${channel}:${appId}`;
    if (appId !== undefined && (engine.apps.get(channel, appId) || registering.has(key))) {
      throw new AdminRequestError('APP_EXISTS', `${channel} app "${appId}" already exists; GET /_sim/apps shows its keys. Omit "${appIdField}" to get a fresh one`);
    }
    if (appId !== undefined) registering.add(key);
    try {
      const outcome = await engine.apps.register({
        channel,
        merchantPublicKeyPem: registration.merchantPublicKeyPem,
        ...(registration.channelData ? { channelData: registration.channelData } : {}),
        ...(appId ? { appId } : {}),
        ...(name ? { name } : {}),
      });
      if (outcome.kind !== 'registered') throw new AdminRequestError('INVALID_REQUEST', outcome.message);
      res.status(201).json(describe(outcome.app));
    } finally {
      registering.delete(key);
    }
  });

  router.get('/clock', (_req, res) => {
    const clock = engine.clock;
    res.json({ kind: clock.kind, nowMs: clock.now(), now: new Date(clock.now()).toISOString(), pending: clock.pendingCount() });
  });

  router.post('/clock/advance', async (req, res) => {
    const body = decodeObject(await json(req), ['ms']);
    if (!(engine.clock instanceof VirtualClock)) throw new AdminRequestError('CLOCK_NOT_VIRTUAL', 'the clock is real; start with --clock virtual to advance it');
    const ms = body.ms;
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) throw new AdminRequestError('INVALID_REQUEST', '"ms" must be a non-negative integer number of milliseconds');
    if (ms > clockAdvanceMsMax) {
      throw new AdminRequestError('INVALID_REQUEST', `"ms" must be at most ${clockAdvanceMsMax} (10 years) per call; advance in steps for longer`);
    }
    if (engine.clock.now() + ms > virtualTimeMsMax) {
      throw new AdminRequestError('INVALID_REQUEST', `advancing by ${ms} ms would pass ${new Date(virtualTimeMsMax).toISOString()}, the end of virtual time (dates have 4-digit years)`);
    }
    await engine.clock.advance(ms);
    res.json({ kind: 'virtual', nowMs: engine.clock.now(), now: new Date(engine.clock.now()).toISOString() });
  });

  router.post('/buyer/pay', async (req, res) => {
    const body = decodeObject(await json(req), ['channel', 'outTradeNo', ...appIdFields, 'outcome']);
    const channel = channelOf(body.channel);
    const outTradeNo = optionalString(body, 'outTradeNo');
    if (!outTradeNo) throw new AdminRequestError('INVALID_REQUEST', '"outTradeNo" is required');
    const appId = appIdFields.map((field) => optionalString(body, field)).find((value) => value !== undefined);
    const outcomeName = (optionalString(body, 'outcome') ?? 'success') as string;
    const actionByOutcome: Record<string, BuyerAction> = { success: 'pay', insufficient: 'insufficient', cancel: 'cancel' };
    const action = actionByOutcome[outcomeName];
    if (!action || !buyerActions.includes(action)) throw new AdminRequestError('INVALID_REQUEST', '"outcome" must be one of success, insufficient, cancel');
    const candidates = engine.trades.all().filter((trade) => trade.channel === channel && trade.outTradeNo === outTradeNo && (appId === undefined || trade.appId === appId));
    if (candidates.length === 0) throw new AdminRequestError('NOT_FOUND', `no ${channel} trade with outTradeNo "${outTradeNo}"${appId ? ` for app ${appId}` : ''}`);
    if (candidates.length > 1) throw new AdminRequestError('AMBIGUOUS_TRADE', `${candidates.length} apps have a trade "${outTradeNo}"; give appId (or mchid)`);
    const outcome = await buyerActs(engine, candidates[0]!, action);
    if (outcome.kind === 'notPayable') throw new AdminRequestError('NOT_PAYABLE', `trade "${outTradeNo}" cannot be paid: ${outcome.reason}`);
    res.json({ outcome: outcome.kind, trade: outcome.trade });
  });

  router.get('/faults', (_req, res) => {
    res.json({ magicValues: engine.faults.magicValues, rules: engine.faults.list() });
  });
  router.post('/faults', async (req, res) => {
    const text = await json(req);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AdminRequestError('INVALID_JSON', 'the request body is not valid JSON: send one rule {match, fault, timesMax?}');
    }
    const decoded = engine.faults.decode(value);
    if (!decoded.ok) throw new AdminRequestError('INVALID_FAULT', decoded.message);
    const rule = engine.faults.add(decoded.value, 'api');
    res.status(201).json({ id: rule.id, rule });
  });
  router.put('/faults/magic', async (req, res) => {
    const body = decodeObject(await json(req), ['enabled']);
    if (typeof body.enabled !== 'boolean') throw new AdminRequestError('INVALID_REQUEST', '"enabled" must be true or false');
    engine.faults.magicValues = body.enabled;
    res.json({ magicValues: engine.faults.magicValues });
  });
  router.delete('/faults/:id', (req, res) => {
    if (!engine.faults.remove(String(req.params.id))) throw new AdminRequestError('NOT_FOUND', `no fault rule "${req.params.id}"; GET /_sim/faults lists them`);
    res.json({ removed: req.params.id });
  });
  router.delete('/faults', (_req, res) => {
    const count = engine.faults.list().length;
    engine.faults.clear();
    res.json({ removed: count });
  });

  router.get('/trades', (_req, res) => res.json(engine.trades.all()));
  router.get('/trades/:channel/:outTradeNo', (req, res) => {
    const channel = channelOf(req.params.channel);
    const trades = engine.trades.all().filter((trade) => trade.channel === channel && trade.outTradeNo === req.params.outTradeNo);
    if (trades.length === 0) throw new AdminRequestError('NOT_FOUND', `no ${channel} trade with outTradeNo "${req.params.outTradeNo}"`);
    res.json(trades.length === 1 ? trades[0] : trades);
  });
  router.get('/refunds', (_req, res) => res.json(engine.refunds.all()));
  router.get('/notifications', (_req, res) => res.json(engine.outbox.all()));
  router.post('/notifications/:id/resend', async (req, res) => {
    decodeObject(await json(req), []);
    const id = String(req.params.id);
    const notification = await engine.outbox.resend(id);
    if (!notification) throw new AdminRequestError('NOT_FOUND', `no notification "${id.slice(0, 100)}"; GET /_sim/notifications lists them`);
    res.json(notification);
  });

  /** The trade a notification is about, by its out_trade_no (journal filters name trades so). */
  const notificationTrade = (notificationId: string) => {
    const notification = engine.outbox.get(notificationId);
    return notification ? outTradeNoOf(notification) : undefined;
  };
  const tradeFilter = (value: unknown): ((entry: JournalEntry) => boolean) | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new AdminRequestError('INVALID_REQUEST', '"outTradeNo" must be given once, as text');
    return (entry) => concernsTrade(entry, value, notificationTrade);
  };
  const typeFilter = (value: unknown): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new AdminRequestError('INVALID_REQUEST', '"type" must be given once, as text');
    return value;
  };
  // One read returns at most journalPageEntriesMax entries, so the answer stays far below V8's string
  // limit; a reader pages forward with sinceSeq (the oldest after it come first when limited).
  router.get('/journal', (req, res) => {
    const sinceSeq = req.query.sinceSeq === undefined ? undefined : Number(req.query.sinceSeq);
    const limit = req.query.limit === undefined ? journalPageEntriesDefault : Number(req.query.limit);
    if ((sinceSeq !== undefined && !Number.isSafeInteger(sinceSeq)) || !(Number.isSafeInteger(limit) && limit > 0 && limit <= journalPageEntriesMax)) {
      throw new AdminRequestError('INVALID_REQUEST', `"sinceSeq" and "limit" must be integers (limit from 1 to ${journalPageEntriesMax}; default ${journalPageEntriesDefault})`);
    }
    const type = typeFilter(req.query.type);
    const trade = tradeFilter(req.query.outTradeNo);
    const page = engine.journal.page({ ...(sinceSeq !== undefined ? { sinceSeq } : {}), limit, ...(type ? { type } : {}), ...(trade ? { trade } : {}) });
    // How many matching entries this read left out: read on with sinceSeq, or a larger limit.
    if (page.omitted > 0) res.set('x-paysim-journal-omitted', String(page.omitted));
    res.json(page.entries);
  });
  // The live journal: server-sent events, one entry per event, with the same filters.
  router.get('/journal/stream', (req, res) => {
    const lastEventId = req.get('last-event-id') ?? (typeof req.query.sinceSeq === 'string' ? req.query.sinceSeq : undefined);
    const sinceSeq = lastEventId === undefined || lastEventId === '' ? undefined : Number(lastEventId);
    if (sinceSeq !== undefined && !Number.isSafeInteger(sinceSeq)) throw new AdminRequestError('INVALID_REQUEST', '"sinceSeq" (or Last-Event-ID) must be an integer');
    const type = typeFilter(req.query.type);
    const trade = tradeFilter(req.query.outTradeNo);
    journalStream(req, res, engine.journal, { ...(sinceSeq !== undefined ? { sinceSeq } : {}), ...(type ? { type } : {}), ...(trade ? { trade } : {}) });
  });
  router.post('/reset', async (_req, res) => {
    await engine.reset();
    res.json({ status: 'reset' });
  });

  router.use((_req: Request, res: Response) => sendAdminError(res, 'NOT_FOUND', 'no such control API path; see README "Control API"'));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof AdminRequestError) return sendAdminError(res, error.code, error.message);
    throw error;
  });
  return router;
}
