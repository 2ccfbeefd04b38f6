// The channel-neutral life of one gateway exchange, shared by every channel's routes: the one-off fault
// header, the interceptors that decide its faults, the faults that act before and after processing, and
// the journal entry. A channel's routes parse and answer in its own wire format; everything between
// the request and the wire that fault injection touches happens here, once.
import type { Request, Response } from 'express';
import { flatHeaders } from '../../lib/http.ts';
import type { Random } from '../../lib/random.ts';
import type { Engine } from '../engine/engine.ts';
import type { ChannelName } from '../engine/types.ts';
import { sendSimulatorError } from '../errors.ts';
import type { Exchange, Firing } from '../faults/book.ts';
import { decodeFault } from '../faults/decode.ts';
import { faultLayer, faultTypes, type Fault } from '../faults/rule.ts';
import { applyAfter, applyBefore, deliver, faultHeader, type ProtocolFaults, type WireAnswer } from '../faults/transport.ts';

/**
 * Decides the faults of one gateway exchange. The fault rule book is the default one; a test or a tool
 * can add its own. It runs in line: if it throws, the exchange fails visibly (500 INTERCEPTOR_FAILED,
 * an `interceptor.failed` journal event and a process warning), it never proceeds as if unfaulted.
 */
export interface ExchangeInterceptor {
  readonly name: string;
  decide(exchange: Exchange, oneOff: readonly Fault[]): Firing[];
}

export interface ExchangePipeline {
  /** The request's `X-Paysim-Fault`; undefined when it was malformed and the exchange is already answered. */
  oneOffFaults(req: Request, res: Response): Fault[] | undefined;
  /** Every interceptor's firings; undefined when one threw and the exchange is already answered. */
  decide(req: Request, res: Response, exchange: Exchange, oneOff: readonly Fault[], requestBody: string): Firing[] | undefined;
  /** Faults that act before processing: true when they already ended the exchange. */
  answeredByFault(req: Request, res: Response, firings: readonly Firing[], protocol: ProtocolFaults, api: string, requestBody: string): Promise<boolean>;
  /** Sends a processed answer, spoiled or lost if a fault says so, and journals what went on the wire. */
  finish(req: Request, res: Response, firings: readonly Firing[], protocol: ProtocolFaults, api: string, requestBody: string, response: WireAnswer): Promise<void>;
  /** Journals an exchange answered outside the fault path (a refusal before the method ran). */
  journal(req: Request, api: string, requestBody: string, response: WireAnswer): void;
}

/** `random` is the channel's wire stream (delays sampled by faults draw from it, so a seed replays them). */
export function exchangePipeline(engine: Engine, channel: ChannelName, random: Random): ExchangePipeline {
  const journal = (req: Request, api: string, requestBody: string, response: WireAnswer) =>
    engine.events.emit({
      type: 'http.exchange', atMs: engine.clock.now(), channel, api,
      exchange: { method: req.method, path: req.originalUrl, requestHeaders: flatHeaders(req.headers), requestBody, status: response.status, responseHeaders: response.headers, responseBody: response.body },
    });

  return {
    oneOffFaults(req, res) {
      const header = req.header(faultHeader);
      if (header === undefined) return [];
      let value: unknown;
      try {
        value = JSON.parse(header);
      } catch {
        sendSimulatorError(res, 'INVALID_FAULT_HEADER', `${faultHeader} must be a JSON fault such as {"type":"http_error","status":502}`);
        return undefined;
      }
      const decoded = decodeFault(value);
      if (!decoded.ok) {
        sendSimulatorError(res, 'INVALID_FAULT_HEADER', `${faultHeader}: ${decoded.message}`);
        return undefined;
      }
      // Only a fault of this exchange can apply to it; anything else would be silently ignored.
      if (faultLayer[decoded.value.type] !== 'gateway') {
        const gatewayTypes = faultTypes.filter((type) => faultLayer[type] === 'gateway').join(', ');
        sendSimulatorError(
          res,
          'INVALID_FAULT_HEADER',
          `${faultHeader}: "${decoded.value.type}" does not act on a gateway call; the header takes one of ${gatewayTypes}. Install other faults with POST /_sim/faults`,
        );
        return undefined;
      }
      return [decoded.value];
    },

    decide(req, res, exchange, oneOff, requestBody) {
      const firings: Firing[] = [];
      for (const interceptor of engine.exchangeInterceptors) {
        try {
          firings.push(...interceptor.decide(exchange, oneOff));
        } catch (error) {
          const api = exchange.apis[0] ?? req.path;
          const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
          engine.events.emit({ type: 'interceptor.failed', atMs: engine.clock.now(), interceptor: interceptor.name, channel, api, error: reason.slice(0, 2_000) });
          process.emitWarning(`paysim: interceptor "${interceptor.name}" failed on ${channel} ${api}; the exchange was answered 500: ${reason}`);
          const message = `the fault interceptor "${interceptor.name}" failed on ${api} (${(error instanceof Error ? error.message : String(error)).slice(0, 200)}); the request was not processed`;
          sendSimulatorError(res, 'INTERCEPTOR_FAILED', message);
          journal(req, api, requestBody, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'INTERCEPTOR_FAILED', message }) });
          return undefined;
        }
      }
      return firings;
    },

    async answeredByFault(req, res, firings, protocol, api, requestBody) {
      const before = await applyBefore(firings, { clock: engine.clock, random, req, res, protocol });
      if (before.kind === 'proceed') return false;
      if (before.answer) {
        res.status(before.answer.status).set(before.answer.headers).send(before.answer.body);
        journal(req, api, requestBody, before.answer);
      }
      return true;
    },

    async finish(req, res, firings, protocol, api, requestBody, response) {
      const after = await applyAfter(firings, response, protocol);
      deliver(req, res, after);
      journal(req, api, requestBody, after.kind === 'send' ? after.answer : { status: 0, headers: {}, body: '(response lost by fault injection)' });
    },

    journal,
  };
}
