// What channels call: `POST /notify/:channel` (asynchronous notify: the raw body goes to the connector
// untouched, because the signature covers exactly those bytes) and `GET /return/:channel` (the buyer's
// browser after paying: a page, never trusted).
import { Router, type Request } from 'express';
import { escapeHtml, flatHeaders } from '../../lib/http.ts';
import { coreError, type ChannelName } from '../domain/index.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { readText } from './body.ts';
import { sendError } from './errors.ts';

export function channelRoutes(context: ServiceContext, components: Components): Router {
  const router = Router();
  /** A channel this core has a connector for. */
  const channelParam = (request: Request): ChannelName | undefined => {
    const name = String(request.params.channel ?? '');
    return context.channels.has(name) ? name : undefined;
  };

  router.post('/notify/:channel', async (request, response) => {
    const channel = channelParam(request);
    const body = await readText(request, context.config.bodyBytesMax);
    const receivedAtMs = context.clock.now();
    const reply = channel === undefined ? undefined : await components.callbacks.notify(channel, { headers: flatHeaders(request.headers), rawBody: body, receivedAtMs });
    if (reply === undefined) return sendError(response, coreError('NOT_FOUND', `no channel ${String(request.params.channel).slice(0, 40)} is configured`));
    // The connector writes the channel's own answer; anything but its acknowledgement makes it resend.
    response.status(reply.wire.status).type(reply.wire.contentType).send(reply.wire.body);
  });

  router.get('/return/:channel', (request, response) => {
    const channel = channelParam(request);
    if (channel === undefined) return sendError(response, coreError('NOT_FOUND', 'no such channel'));
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.query)) if (typeof value === 'string') params[name] = value;
    const view = components.callbacks.syncReturn(channel, params);
    const line = view.orderNo === undefined
      ? 'We could not find this payment. If you paid, the merchant will confirm it shortly.'
      : view.status === 'PAID'
        ? `Order ${view.orderNo} is paid. Thank you.`
        : `Thank you. Order ${view.orderNo} is being confirmed with the payment channel; this page does not confirm the payment by itself.`;
    response
      .status(200)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payment</title></head><body><h1>Payment</h1><p>${escapeHtml(line)}</p></body></html>\n`);
  });

  return router;
}
