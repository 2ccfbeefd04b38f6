// The core's HTTP app: the business API under /api, the channels' callbacks, and one error path that
// answers `{code, message}` with no stack trace whatever went wrong.
import express, { type NextFunction, type Request, type Response } from 'express';
import { coreError } from '../domain/index.ts';
import type { Components } from '../services/components.ts';
import type { ServiceContext } from '../services/context.ts';
import { apiRoutes } from './api-routes.ts';
import { channelRoutes } from './channel-routes.ts';
import { HttpError, sendError } from './errors.ts';

export function createHttpApp(context: ServiceContext, components: Components): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/api', apiRoutes(context, components));
  app.use(channelRoutes(context, components));
  app.get('/', (_request, response) => {
    response.type('text/plain; charset=utf-8').send('paysim merchant core: the API is under /api (see README "Core HTTP")\n');
  });
  app.use((request: Request, response: Response) => {
    sendError(response, coreError('NOT_FOUND', `no ${request.method} ${request.path.slice(0, 100)} on the paysim core; see README "Core HTTP"`));
  });
  app.use((error: unknown, request: Request, response: Response, _next: NextFunction) => {
    if (error instanceof HttpError) return sendError(response, error.error);
    // Express's own client errors (a malformed %-escape in the path, an aborted body) carry a 4xx status.
    const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 400 && status < 500) return sendError(response, coreError('INVALID_PARAMETER', `the request could not be read: ${error instanceof Error ? error.message.slice(0, 120) : 'malformed'}`));
    context.events.emit({
      type: 'task.failed',
      atMs: context.clock.now(),
      label: `${request.method} ${request.originalUrl.slice(0, 200)}`,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    sendError(response, coreError('INTERNAL_ERROR', 'the core failed to handle this request; its log has the details'));
  });
  return app;
}
