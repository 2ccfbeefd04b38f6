// The core's dashboard at `/`: orders with their payments and refunds, the loss-prevention checks,
// reconciliation reports and the business notifications' manual queue. Drawn by assets/core.js from
// the core's own /api JSON, the calls a business system makes; the look is the simulator's.
import { Router } from 'express';
import { assetsPath, dashboardAssets } from '../../lib/dashboard/assets.ts';
import { pageData, type DashboardLinks } from '../../lib/dashboard/links.ts';
import { pageShell } from '../../lib/dashboard/look.ts';
import { packageFile } from '../../lib/package-files.ts';

export const coreDashboardViews = ['orders', 'checks', 'reconciliations', 'manual-queue'] as const;

const labels: Record<(typeof coreDashboardViews)[number], string> = { orders: 'Orders', checks: 'Checks', reconciliations: 'Reconciliation', 'manual-queue': 'Manual queue' };

export function coreDashboard(options: { readonly channels: () => readonly string[]; readonly links: DashboardLinks }): Router {
  const router = Router();
  router.use(dashboardAssets({ 'core.js': packageFile('core/dashboard/assets/core.js') }));
  router.get('/', (_request, response) => {
    const sections = coreDashboardViews.map((view) => `<section id="view-${view}" data-view="${view}" hidden></section>`).join('');
    const page = pageShell({
      title: 'paysim core',
      product: 'merchant core',
      nav: coreDashboardViews.map((view) => ({ href: `/#${view}`, label: labels[view], id: `nav-${view}` })),
      sideHtml: `<span class="muted">times in Beijing</span>${options.links.html()}`,
      bodyHtml: `${sections}${pageData('dashboard-data', { views: coreDashboardViews, channels: options.channels() })}`,
      cssHref: `${assetsPath}/style.css`,
      scripts: [`${assetsPath}/core.js`],
    });
    response.status(200).type('text/html; charset=utf-8').set('cache-control', 'no-store').send(page);
  });
  return router;
}
