// How gateway faults change an HTTP exchange, channel-neutrally. Faults that act before the request is
// processed (delay, hang, reset, http_error and the protocol errors) stop it from changing state;
// those that act after (response_lost, malformed_body, bad_signature) let the state change and spoil
// only the answer, as a real network or gateway would.
import type { Request, Response } from 'express';
import type { Clock } from '../../lib/clock.ts';
import type { Random } from '../../lib/random.ts';
import type { Firing } from './book.ts';
import type { DelayDistribution, Fault } from './rule.ts';

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body as text; for a binary answer, what the journal shows of it. */
  body: string;
  /** A binary body (a gzip bill file): sent instead of `body`. */
  bytes?: Buffer;
}

/** The channel's own rendering of protocol faults (its error format, its keys). */
export interface ProtocolFaults {
  businessError(fault: Extract<Fault, { type: 'business_error' }>): Promise<WireAnswer>;
  rateLimited(): Promise<WireAnswer>;
  /** The same answer with a signature that does not verify; `probe`: the channel's own probe signature where it has one. */
  badlySigned(answer: WireAnswer, options?: { probe?: boolean }): Promise<WireAnswer>;
}

/** How long a hung request is held before the socket is dropped, in real time: past any client timeout. */
const hangMsMax = 10 * 60_000;

/** No sampled delay is longer: a lognormal tail would otherwise reach years, or Infinity. */
export const delaySampleMsMax = 86_400_000;

export function sampleDelayMs(fault: { ms?: number; distribution?: DelayDistribution }, random: Random): number {
  if (fault.ms !== undefined) return fault.ms;
  const distribution = fault.distribution!;
  if (distribution.kind === 'uniform') return random.int(distribution.minMs, distribution.maxMs);
  const sampledMs = Math.round(distribution.medianMs * Math.exp(distribution.sigma * random.normal()));
  return Math.min(Math.max(sampledMs, 0), delaySampleMsMax);
}

const before = new Set(['delay', 'hang', 'reset', 'http_error', 'business_error', 'rate_limit']);

export type BeforeOutcome = { kind: 'proceed' } | { kind: 'answered'; answer?: WireAnswer };

/** Applies the faults that act before processing. `answered` means the exchange is over. */
export async function applyBefore(firings: readonly Firing[], deps: { clock: Clock; random: Random; req: Request; res: Response; protocol: ProtocolFaults }): Promise<BeforeOutcome> {
  for (const { fault } of firings) {
    if (!before.has(fault.type)) continue;
    switch (fault.type) {
      case 'delay':
        await deps.clock.sleep(sampleDelayMs(fault, deps.random));
        break;
      case 'hang': {
        const timer = setTimeout(() => deps.req.socket.destroy(), hangMsMax);
        timer.unref();
        deps.req.socket.once('close', () => clearTimeout(timer));
        return { kind: 'answered' };
      }
      case 'reset':
        deps.req.socket.resetAndDestroy();
        return { kind: 'answered' };
      case 'http_error': {
        const answer = { status: fault.status, headers: { 'content-type': 'text/html' }, body: `<html><head><title>${fault.status}</title></head><body><center><h1>${fault.status}</h1></center><hr><center>paysim fault injection</center></body></html>` };
        return { kind: 'answered', answer };
      }
      case 'business_error':
        return { kind: 'answered', answer: await deps.protocol.businessError(fault) };
      case 'rate_limit':
        return { kind: 'answered', answer: await deps.protocol.rateLimited() };
    }
  }
  return { kind: 'proceed' };
}

export type AfterOutcome = { kind: 'send'; answer: WireAnswer } | { kind: 'lost' };

/** Applies the faults that act on the answer of a processed request. */
export async function applyAfter(firings: readonly Firing[], answer: WireAnswer, protocol: ProtocolFaults): Promise<AfterOutcome> {
  let current = answer;
  for (const { fault } of firings) {
    switch (fault.type) {
      case 'response_lost':
        return { kind: 'lost' };
      case 'malformed_body':
        current = {
          ...current,
          body: current.body.slice(0, Math.max(1, Math.floor(current.body.length / 2))),
          ...(current.bytes ? { bytes: current.bytes.subarray(0, Math.max(1, Math.floor(current.bytes.length / 2))) } : {}),
        };
        break;
      case 'bad_signature':
        current = await protocol.badlySigned(current, fault.probe ? { probe: true } : {});
        break;
      default:
        break;
    }
  }
  return { kind: 'send', answer: current };
}

/** Sends an answer, or drops the connection when the answer is lost. */
export function deliver(req: Request, res: Response, outcome: AfterOutcome): void {
  if (outcome.kind === 'lost') {
    req.socket.destroy();
    return;
  }
  res.status(outcome.answer.status).set(outcome.answer.headers).send(outcome.answer.bytes ?? outcome.answer.body);
}

/** The per-request one-off fault header: a fault object, e.g. `{"type":"http_error","status":502}`. */
export const faultHeader = 'x-paysim-fault';
