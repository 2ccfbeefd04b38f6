// The core's HTTP app: the business API under /api, the channels' callbacks, and one error path that
// answers `{code, message}` with no stack trace whatever went wrong. Every answer waits until the
// state it was read from is durable.
import { maxHeaderSize, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { StoreUnavailableError, type Store } from '../../lib/store/index.ts';
import { coreError, coreErrors } from '../domain/index.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { reconciliationRoutes } from '../recon/routes.ts';
import { apiRoutes } from './api-routes.ts';
import { channelRoutes } from './channel-routes.ts';
import { HttpError, sendError, unparsedRequestAnswer } from './errors.ts';
import { raiseAlert } from '../services/alerts.ts';
import { coreDashboard } from '../dashboard/routes.ts';
import type { DashboardLinks } from '../../lib/dashboard/links.ts';

export function createHttpApp(context: ServiceContext, components: Components, dashboardLinks: DashboardLinks): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(answerWhenDurable(context.store));
  app.use('/api', apiRoutes(context, components));
  app.use('/api', reconciliationRoutes(context, components));
  app.use(channelRoutes(context, components));
  app.use(coreDashboard({ channels: () => [...context.channels.keys()], links: dashboardLinks }));
  app.use((request: Request, response: Response) => {
    sendError(response, coreError('NOT_FOUND', `no ${request.method} ${request.path.slice(0, 100)} on the paysim core; see README "Core HTTP"`));
  });
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof HttpError) return sendError(response, error.error);
    // The store closed under this request (a shutdown, a crash): nothing was made durable, nothing is acknowledged.
    if (error instanceof StoreUnavailableError) return sendError(response, coreError('STORE_UNAVAILABLE', `${coreErrors.STORE_UNAVAILABLE.meaning} (${error.message})`));
    // Express's own client errors (a malformed %-escape in the path, an aborted body) carry a 4xx status.
    const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 400 && status < 500) return sendError(response, coreError('INVALID_PARAMETER', `the request could not be read: ${error instanceof Error ? error.message.slice(0, 120) : 'malformed'}`));
    // A bug (an assertion in a connector or a service): reported loudly, as an event, a stored alert and
    // a process warning, and answered 500. It is never taken for "the channel's outcome is unknown".
    const where = `${request.method} ${request.originalUrl.slice(0, 200)}`;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.events.emit({ type: 'bug.reported', atMs: context.clock.now(), where, error: detail });
    process.emitWarning(`paysim core: bug while handling ${where}: ${detail}`);
    const answer = () => sendError(response, coreError('INTERNAL_ERROR', 'the core failed to handle this request (a bug, not the channel); its log has the details'));
    raiseAlert(context, { kind: 'core.bug', detail: `${where}: ${error instanceof Error ? error.message : String(error)}` }).then(answer, answer);
  });
  // Whoever starts the app (core/app.ts) gets a server that answers unparsable requests too.
  const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
  app.listen = ((...args: unknown[]) => answerUnparsedRequests(listen(...args))) as typeof app.listen;
  return app;
}

/**
 * Holds every answer until the store has made durable all it has applied so far. Reads are served from
 * memory, where a commit is visible at once, before it is on disk: an answer read from state (an order,
 * "already paid", "already closed", a refund replay, "exceeds refundable") may rest on another request's
 * commit still being written, and must not be given before it would survive a crash. One place, so no
 * route can forget; it costs nothing when nothing is pending.
 */
function answerWhenDurable(store: Store): RequestHandler {
  return (_request, response, next) => {
    const send = response.send.bind(response);
    response.send = ((body?: unknown) => {
      response.send = send;
      store.durable().then(
        () => {
          if (!response.headersSent) send(body);
        },
        () => {
          if (response.headersSent) return;
          response.status(500).type('application/json; charset=utf-8');
          send(JSON.stringify(coreError('INTERNAL_ERROR', 'the core could not make its state durable; nothing was answered from it')));
        },
      );
      return response;
    }) as typeof response.send;
    next();
  };
}

/**
 * A request Node rejects before Express sees it (a path or headers over `maxHeaderSize`, a malformed
 * request line) gets `{code, message}` like any other, instead of Node's empty-bodied 431 or 400.
 */
export function answerUnparsedRequests(server: Server): Server {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(unparsedRequestAnswer(error.code, maxHeaderSize));
  });
  return server;
}
