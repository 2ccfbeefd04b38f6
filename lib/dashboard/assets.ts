// Serves a dashboard's static files from memory: the shared stylesheet and helpers under
// /dashboard/assets/, and the page's own scripts. Only the files named here exist; nothing is read
// from a path a request chooses.
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { packageFile } from '../package-files.ts';
import { pageCss } from './look.ts';
import { timelineCss } from './timeline.ts';

export const assetsPath = '/dashboard/assets';

/** File texts by URL, each read on the first request that needs it: a world of the swarm starts a core and a simulator a seed, and never shows a page. */
const texts = new Map<string, string>();

function textOf(url: URL): string {
  let text = texts.get(url.href);
  if (text === undefined) {
    text = readFileSync(url, 'utf8');
    texts.set(url.href, text);
  }
  return text;
}

/** `scripts`: served name → file URL (e.g. packageFile('simulator/dashboard/assets/simulator.js')). */
export function dashboardAssets(scripts: Readonly<Record<string, URL>>): Router {
  const router = Router();
  const files = new Map<string, { type: string; body: () => string }>([
    ['style.css', { type: 'text/css; charset=utf-8', body: () => pageCss + timelineCss }],
    ['ui.js', { type: 'text/javascript; charset=utf-8', body: () => textOf(packageFile('lib/dashboard/assets/ui.js')) }],
  ]);
  for (const [name, url] of Object.entries(scripts)) files.set(name, { type: 'text/javascript; charset=utf-8', body: () => textOf(url) });
  router.get(`${assetsPath}/:name`, (request, response, next) => {
    const file = files.get(String(request.params.name));
    if (!file) return next();
    response.type(file.type).set('cache-control', 'no-cache').send(file.body());
  });
  return router;
}
