// The simulator's dashboard: `/` (trades, notifications, faults, the clock, the live journal; drawn by
// assets/simulator.js from the control API's JSON, the same calls a script makes) and one page per
// trade (its facts, history, notifications and sequence timeline, rendered here and escaped).
import { Router, type Response } from 'express';
import { assetsPath, dashboardAssets } from '../../lib/dashboard/assets.ts';
import type { DashboardLinks } from '../../lib/dashboard/links.ts';
import { pageData } from '../../lib/dashboard/links.ts';
import { pageShell } from '../../lib/dashboard/look.ts';
import { renderTimeline } from '../../lib/dashboard/timeline.ts';
import { escapeHtml } from '../../lib/http.ts';
import { packageFile } from '../../lib/package-files.ts';
import { formatFen } from '../../lib/money.ts';
import { formatBeijingDateTime } from '../../lib/time-format.ts';
import { concernsTrade } from '../engine/journal.ts';
import type { Engine } from '../engine/engine.ts';
import type { SimEvent } from '../engine/events.ts';
import { notifyKinds } from '../faults/rule.ts';
import { tradeKeyOf, type Notification, type Trade } from '../engine/types.ts';
import { faultTemplates } from './fault-templates.ts';
import { tradeHistory, tradeLanes, tradeTimeline } from './trade-timeline.ts';

export const dashboardViews = ['trades', 'notifications', 'faults', 'journal'] as const;

/** Every event type, for the journal's type filter: a new type does not compile until it is listed. */
const eventTypes: Record<SimEvent['type'], true> = {
  'http.exchange': true, 'trade.created': true, 'trade.visible': true, 'trade.paid': true, 'trade.closed': true,
  'refund.created': true, 'refund.succeeded': true, 'refund.failed': true, 'notify.scheduled': true, 'notify.attempted': true,
  'notify.exhausted': true, 'buyer.acted': true, 'fault.injected': true, 'interceptor.failed': true, 'sim.reset': true,
};

const nav = dashboardViews.map((view) => ({ href: `/#${view}`, label: view[0]!.toUpperCase() + view.slice(1), id: `nav-${view}` }));

export interface SimulatorDashboardOptions {
  readonly engine: Engine;
  readonly channels: readonly string[];
  readonly links: DashboardLinks;
}

const time = (epochMs: number | undefined) => (epochMs === undefined ? '' : formatBeijingDateTime(epochMs));
const side = (links: DashboardLinks) => `<span id="clock" class="mono">clock</span>${links.html()}`;

export function simulatorDashboard(options: SimulatorDashboardOptions): Router {
  const { engine } = options;
  const router = Router();
  router.use(dashboardAssets(Object.fromEntries(['simulator.js', 'common.js', 'faults-view.js', 'journal-view.js'].map((name) => [name, packageFile(`simulator/dashboard/assets/${name}`)]))));
  const shell = (title: string, bodyHtml: string) =>
    pageShell({ title, product: 'channel simulator', nav, sideHtml: side(options.links), bodyHtml, cssHref: `${assetsPath}/style.css`, scripts: [`${assetsPath}/simulator.js`] });

  router.get('/', (_req, res) => {
    const data = { channels: options.channels, notifyKinds, faultTemplates, views: dashboardViews, journalTypes: Object.keys(eventTypes), clockKind: engine.clock.kind };
    const sections = dashboardViews.map((view) => `<section id="view-${view}" data-view="${view}" hidden></section>`).join('');
    html(res, 200, shell('paysim simulator', `<div id="clock-card"></div>${sections}${pageData('dashboard-data', data)}`));
  });

  router.get('/dashboard/trades/:channel/:appId/:outTradeNo', (req, res) => {
    const { channel, appId, outTradeNo } = req.params as Record<string, string>;
    const trade = engine.trades.get(tradeKeyOf(channel!, appId!, outTradeNo!));
    if (!trade) {
      return html(res, 404, shell('No such trade', `<div class="card"><h1>No such trade</h1><p>No ${escapeHtml(channel!)} trade ${escapeHtml(outTradeNo!)} of app ${escapeHtml(appId!)}. <a href="/#trades">All trades</a></p></div>`));
    }
    html(res, 200, shell(`Trade ${trade.outTradeNo}`, tradePage(engine, trade)));
  });
  return router;
}

function html(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').set('cache-control', 'no-store').send(body);
}

function tradePage(engine: Engine, trade: Trade): string {
  const notifications = engine.outbox.all().filter((notification) => notification.tradeKey === trade.key);
  const notificationTrade = (id: string) => (notifications.some((notification) => notification.id === id) ? trade.outTradeNo : undefined);
  const entries = engine.journal.list({ trade: (entry) => concernsTrade(entry, trade.outTradeNo, notificationTrade) });
  const refunds = engine.refunds.all().filter((refund) => refund.tradeKey === trade.key);
  const facts: [string, string][] = [
    ['channel', trade.channel],
    ['app', trade.appId],
    ['trade no', trade.tradeNo],
    ['product', trade.product],
    ['amount', `¥${formatFen(trade.amountFen)}`],
    ['subject', trade.subject],
    ['created', time(trade.createdAtMs)],
    ['seen by buyer', trade.visibleAtMs === undefined ? 'not yet' : time(trade.visibleAtMs)],
    ['expires', time(trade.expiresAtMs)],
    ['refunded', `¥${formatFen(trade.refundedFen)} (accepted ¥${formatFen(trade.refundAcceptedFen)})`],
    ['buyer', trade.buyer ? `${trade.buyer.logonId} (${trade.buyer.id})` : '—'],
    ['notify url', trade.notifyUrl ?? '—'],
  ];
  const buyerActions =
    trade.state.kind === 'waiting'
      ? `<div class="row" id="buyer-actions">${[
          ['success', 'Pay', 'primary'],
          ['insufficient', 'Pay with insufficient balance', ''],
          ['cancel', 'Cancel', ''],
        ]
          .map(([outcome, label, css]) => `<button class="${css}" data-buyer="${outcome}" data-channel="${escapeHtml(trade.channel)}" data-app="${escapeHtml(trade.appId)}" data-trade="${escapeHtml(trade.outTradeNo)}">${label}</button>`)
          .join('')}</div>`
      : '';
  const history = tradeHistory(entries);
  return `<h1>Trade <span class="mono">${escapeHtml(trade.outTradeNo)}</span> <span class="pill ${stateCss(trade.state.kind)}" id="trade-state">${escapeHtml(trade.state.kind)}</span></h1>
<div class="grid2"><div class="card"><h2>Facts</h2><dl class="facts">${facts.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>
${buyerActions ? `<h3>Buyer</h3>${buyerActions}` : ''}</div>
<div class="card"><h2>History</h2>${history.length === 0 ? '<p class="empty">the journal holds nothing about this trade</p>' : `<table id="trade-history"><tbody>${history.map((item) => `<tr><td class="mono small nowrap" style="width:1%">${escapeHtml(time(item.atMs))}</td><td>${escapeHtml(item.label)}</td></tr>`).join('')}</tbody></table>`}
${refunds.length === 0 ? '' : `<h3>Refunds</h3><table><thead><tr><th>out request no</th><th>amount</th><th>state</th></tr></thead><tbody>${refunds.map((refund) => `<tr><td class="mono">${escapeHtml(refund.outRequestNo)}</td><td>¥${formatFen(refund.amountFen)}</td><td>${escapeHtml(refund.state.kind)}</td></tr>`).join('')}</tbody></table>`}</div></div>
<div class="card"><h2>Notifications <span class="count">${notifications.length}</span></h2>${notifications.length === 0 ? '<p class="empty">none yet</p>' : notifications.map(notificationBlock).join('')}</div>
<div class="card"><h2>Sequence</h2>${renderTimeline(tradeLanes, tradeTimeline(entries), { formatTime: (atMs) => formatBeijingDateTime(atMs).slice(11) })}</div>`;
}

function stateCss(kind: string): string {
  return ({ paid: 'ok', finished: 'ok', acknowledged: 'ok', waiting: 'warn', pending: 'warn', closed: '', exhausted: 'bad' } as Record<string, string>)[kind] ?? '';
}

function notificationBlock(notification: Notification): string {
  const attempts = notification.attempts
    .map((attempt, index) => {
      const answer = attempt.error ?? `HTTP ${attempt.status} ${JSON.stringify((attempt.responseBody ?? '').slice(0, 80))}`;
      return `<li><span class="mono small">#${index + 1} ${escapeHtml(time(attempt.atMs))}</span><span class="pill ${attempt.acknowledged ? 'ok' : 'bad'}">${attempt.acknowledged ? 'acknowledged' : 'not acknowledged'}</span><span>${escapeHtml(answer)}</span>${attempt.resent ? '<span class="muted small">resent</span>' : attempt.extra ? '<span class="muted small">extra</span>' : ''}</li>`;
    })
    .join('');
  return `<div class="notification" data-id="${escapeHtml(notification.id)}"><div class="row"><span class="mono">${escapeHtml(notification.id)}</span><span>${escapeHtml(notification.kind)}</span><span class="pill ${stateCss(notification.state)}">${escapeHtml(notification.state)}</span>${notification.nextAttemptAtMs !== undefined ? `<span class="muted small">next attempt ${escapeHtml(time(notification.nextAttemptAtMs))}</span>` : ''}<button data-resend="${escapeHtml(notification.id)}">Resend</button></div><ul class="attempts">${attempts || '<li class="muted">no attempt yet</li>'}</ul>
<details class="small"><summary class="muted">fields sent (each attempt adds its time and signature)</summary><table><tbody>${Object.entries(notification.fields)
    .map(([name, value]) => `<tr><td class="mono nowrap" style="width:1%">${escapeHtml(name)}</td><td class="mono summary">${escapeHtml(value)}</td></tr>`)
    .join('')}</tbody></table></details></div>`;
}

