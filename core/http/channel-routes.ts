// What channels call: `POST /notify/:channel` (asynchronous notify: the raw body goes to the connector
// untouched, because the signature covers exactly those bytes) and `GET /return/:channel` (the buyer's
// browser after paying: a page, never trusted).
import { Router, type Request } from 'express';
import { escapeHtml, flatHeaders } from '../../lib/http.ts';
import { channelNames, coreError, type ChannelName } from '../domain/index.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { readText } from './body.ts';
import { sendError } from './errors.ts';

function channelParam(request: Request): ChannelName | undefined {
  const name = String(request.params.channel ?? '');
  return (channelNames as readonly string[]).includes(name) ? (name as ChannelName) : undefined;
}

export function channelRoutes(context: ServiceContext, components: Components): Router {
  const router = Router();

  router.post('/notify/:channel', async (request, response) => {
    const channel = channelParam(request);
    const body = await readText(request, context.config.bodyBytesMax);
    const reply = channel === undefined ? undefined : await components.callbacks.notify(channel, { headers: flatHeaders(request.headers), body });
    if (reply === undefined) return sendError(response, coreError('NOT_FOUND', `no channel ${String(request.params.channel).slice(0, 40)} is configured`));
    if (reply.acknowledged) return void response.status(reply.status).type(reply.contentType).send(reply.body);
    // Anything but the channel's acknowledgement makes it resend, which is what we want.
    response.status(reply.kind === 'rejected' ? 400 : 503).type('text/plain').send('fail');
  });

  router.get('/return/:channel', (request, response) => {
    const channel = channelParam(request);
    if (channel === undefined || !context.channels.has(channel)) return sendError(response, coreError('NOT_FOUND', 'no such channel'));
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
