// `/api/reconciliations`: run (or fetch) the reconciliation of one (channel, bill date), read a run by
// id, list runs. Input is checked strictly; every refusal is `{code, message}` saying what to send.
import { Router, type Request } from 'express';
import { coreError } from '../domain/index.ts';
import { readJson } from '../http/body.ts';
import { sendError } from '../http/errors.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { parseBeijingDateTime } from '../../lib/time-format.ts';
import type { ChannelName } from '../domain/index.ts';
import { reportView } from './view.ts';

const requestKeys = ['channel', 'billDate', 'rerun'];

type Parsed = { ok: true; channel: ChannelName; billDate: string; rerun: boolean } | { ok: false; message: string };

function parseRequest(body: unknown, channels: readonly string[]): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'send a JSON object {channel, billDate, rerun?}' };
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !requestKeys.includes(key));
  if (unknown.length > 0) return { ok: false, message: `unknown field ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}; known: ${requestKeys.join(', ')}` };
  if (typeof fields.channel !== 'string' || !channels.includes(fields.channel)) {
    return { ok: false, message: `channel must be one of the channels this core has (${channels.join(', ') || 'none'}), got ${JSON.stringify(String(fields.channel).slice(0, 40))}` };
  }
  if (typeof fields.billDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(fields.billDate) || parseBeijingDateTime(fields.billDate) === undefined) {
    return { ok: false, message: `billDate must be a date yyyy-MM-dd (Beijing), got ${JSON.stringify(String(fields.billDate).slice(0, 40))}` };
  }
  if (fields.rerun !== undefined && typeof fields.rerun !== 'boolean') return { ok: false, message: 'rerun must be true or false' };
  return { ok: true, channel: fields.channel as ChannelName, billDate: fields.billDate, rerun: fields.rerun === true };
}

export function reconciliationRoutes(context: ServiceContext, components: Components): Router {
  const router = Router();
  const channels = () => [...context.channels.keys()];

  router.post('/reconciliations', async (request, response) => {
    const parsed = parseRequest(await readJson(request, context.config.bodyBytesMax), channels());
    if (!parsed.ok) return sendError(response, coreError('INVALID_PARAMETER', parsed.message));
    const outcome = await components.reconciliation.reconcile({ channel: parsed.channel, billDate: parsed.billDate, rerun: parsed.rerun });
    switch (outcome.outcome) {
      case 'unknownChannel':
        return sendError(response, coreError('INVALID_PARAMETER', `channel ${outcome.channel} is not configured on this core`));
      case 'dayNotOver':
        return sendError(response, coreError('RECONCILIATION_DAY_NOT_OVER', `${outcome.billDate} has not ended yet in Beijing time: its bill exists from the next day (normally by 09:00 Beijing time); ask again then`));
      case 'created':
      case 'existing':
        return void response.status(outcome.outcome === 'created' ? 201 : 200).json(reportView(outcome.report));
    }
  });

  router.get('/reconciliations/:id', (request, response) => {
    const id = String(request.params.id ?? '');
    const report = components.reconciliation.get(id);
    if (!report) return sendError(response, coreError('RECONCILIATION_NOT_FOUND', `no reconciliation run ${id.slice(0, 80)}; GET /api/reconciliations lists them`));
    response.json(reportView(report));
  });

  router.get('/reconciliations', (request: Request, response) => {
    const query = request.query as Record<string, unknown>;
    const unknown = Object.keys(query).filter((key) => key !== 'channel' && key !== 'billDate');
    if (unknown.length > 0) return sendError(response, coreError('INVALID_PARAMETER', `unknown query parameter ${unknown.map((key) => key.slice(0, 40)).join(', ')}; known: channel, billDate`));
    const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
    const channel = text('channel');
    const billDate = text('billDate');
    response.json({ reconciliations: components.reconciliation.list({ ...(channel ? { channel } : {}), ...(billDate ? { billDate } : {}) }).map(reportView) });
  });

  return router;
}
