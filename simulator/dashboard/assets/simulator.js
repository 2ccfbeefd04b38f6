// The simulator's dashboard in the browser: every view is drawn from the control API's JSON, and every
// button makes the same JSON call a script would (POST /_sim/clock/advance, /_sim/faults,
// /_sim/buyer/pay, /_sim/notifications/:id/resend). The journal is live: server-sent events.
import { act, api, coalesced, currentView, formatDuration, formatTime, h, pill, toast } from './ui.js';
import { card, data, section, stateKind, tradePath, yuan } from './common.js';
import { drawFaults, updateFaults } from './faults-view.js';
import { drawJournal } from './journal-view.js';

const views = data.views ?? [];

// ---- buyer actions and resends, wherever their buttons are (the trade page is rendered by the server)
async function buyerActs(button, trade, outcome) {
  const answer = await act(button, () => api('POST', '/_sim/buyer/pay', { channel: trade.channel, appId: trade.appId, outTradeNo: trade.outTradeNo, outcome }));
  if (answer) toast(`buyer: ${answer.outcome}`);
  return answer;
}

async function resend(button, id) {
  const notification = await act(button, () => api('POST', `/_sim/notifications/${encodeURIComponent(id)}/resend`, {}));
  if (notification) {
    const last = notification.attempts[notification.attempts.length - 1];
    toast(`resent ${id}: ${last?.acknowledged ? 'acknowledged' : (last?.error ?? `HTTP ${last?.status}`)}`);
  }
  return notification;
}

document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button') : null;
  if (!button) return;
  if (button.dataset.buyer) {
    const answer = await buyerActs(button, { channel: button.dataset.channel, appId: button.dataset.app, outTradeNo: button.dataset.trade }, button.dataset.buyer);
    if (answer && !document.getElementById('dashboard-data')) location.reload();
  } else if (button.dataset.resend) {
    const answer = await resend(button, button.dataset.resend);
    if (answer && !document.getElementById('dashboard-data')) location.reload();
  }
});

// ---- the clock
const advanceSteps = [['Run due now', 0], ['+1 min', 60_000], ['+4 min', 240_000], ['+10 min', 600_000], ['+1 h', 3_600_000], ['+1 day', 86_400_000]];

/** "90s", "4m", "1h30m", "2d" or a number of ms → ms; undefined if unreadable. */
export function parseDuration(text) {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let rest = trimmed;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return trimmed === '' ? undefined : Math.round(total);
}

async function advance(button, ms) {
  const answer = await act(button, () => api('POST', '/_sim/clock/advance', { ms }));
  if (answer) toast(`clock now ${formatTime(answer.nowMs)}`);
  await refreshClock();
  refresh();
}

/** Under the real clock the page counts on between reads, so the time shown does not stand still. */
let realClock;
setInterval(() => {
  const shown = document.getElementById('clock-now');
  if (realClock && shown) shown.textContent = formatTime(realClock.nowMs + (Date.now() - realClock.readAtMs));
}, 1000);

async function refreshClock() {
  const clock = await api('GET', '/_sim/clock');
  const label = document.getElementById('clock');
  if (label) label.textContent = `${clock.kind} clock · ${formatTime(clock.nowMs)}`;
  const box = document.getElementById('clock-card');
  if (!box) return;
  const now = h('div', {}, h('div', { class: 'muted small' }, `${clock.kind} clock (Beijing time)`), h('div', { id: 'clock-now', class: 'mono', style: 'font-size:1.15rem;font-weight:600' }, formatTime(clock.nowMs)), h('div', { class: 'muted small', id: 'clock-pending' }, `${clock.pending} scheduled task${clock.pending === 1 ? '' : 's'}`));
  if (clock.kind !== 'virtual') {
    realClock = { nowMs: clock.nowMs, readAtMs: Date.now() };
    box.replaceChildren(h('div', { class: 'card row' }, now, h('span', { class: 'muted', style: 'margin-left:auto' }, 'The clock is real: start with --clock virtual to advance it from here.')));
    return;
  }
  const custom = h('input', { id: 'advance-by', placeholder: 'e.g. 90s, 1h30m, 2d', size: 14 });
  const controls = h(
    'form',
    { class: 'row', style: 'margin-left:auto', onsubmit: (event) => event.preventDefault() },
    ...advanceSteps.map(([label, ms]) => h('button', { type: 'button', 'data-advance': ms, class: ms === 0 ? 'primary' : '', onclick: (event) => advance(event.currentTarget, ms) }, label)),
    custom,
    h('button', {
      type: 'submit', id: 'advance-custom',
      onclick: (event) => {
        const ms = parseDuration(custom.value);
        if (ms === undefined) return toast(`"${custom.value}" is not a duration: write 90s, 4m, 1h30m or 2d`, 'bad');
        void advance(event.currentTarget, ms);
      },
    }, 'Advance'),
  );
  box.replaceChildren(h('div', { class: 'card row' }, now, controls));
}

/** Rows a list shows: a page stays quick with a million trades; the API has them all. */
const rowsMax = 200;
const more = (count, path) => (count > rowsMax ? h('p', { class: 'muted small' }, `The newest ${rowsMax} of ${count}; GET ${path} has them all.`) : null);

// ---- trades
async function drawTrades() {
  const trades = (await api('GET', '/_sim/trades')).slice().reverse();
  const rows = trades.slice(0, rowsMax).map((trade) =>
    h('tr', { 'data-trade': trade.outTradeNo },
      h('td', {}, trade.channel),
      h('td', { class: 'mono' }, h('a', { href: tradePath(trade) }, trade.outTradeNo)),
      h('td', { class: 'mono small' }, trade.tradeNo),
      h('td', {}, trade.product),
      h('td', { class: 'right' }, yuan(trade.amountFen)),
      h('td', {}, trade.subject),
      h('td', {}, pill(trade.state.kind, stateKind[trade.state.kind]), trade.refundedFen > 0 ? h('span', { class: 'muted small' }, ` refunded ${yuan(trade.refundedFen)}`) : null),
      h('td', { class: 'mono small nowrap' }, formatTime(trade.createdAtMs)),
      h('td', {}, trade.state.kind === 'waiting'
        ? h('div', { class: 'row nowrap' },
            h('button', { class: 'primary', 'data-buyer': 'success', 'data-channel': trade.channel, 'data-app': trade.appId, 'data-trade': trade.outTradeNo }, 'Pay'),
            h('button', { 'data-buyer': 'cancel', 'data-channel': trade.channel, 'data-app': trade.appId, 'data-trade': trade.outTradeNo }, 'Cancel'))
        : null),
    ));
  const table = h('table', { id: 'trades' }, h('thead', {}, h('tr', {}, ...['channel', 'out trade no', 'trade no', 'product', 'amount', 'subject', 'state', 'created', 'buyer'].map((name) => h('th', {}, name)))), h('tbody', {}, rows));
  section('trades').replaceChildren(card('Trades', trades.length, trades.length === 0 ? h('p', { class: 'empty' }, 'No trade yet: create one with the SDK, or pay an order of the core.') : table, more(trades.length, '/_sim/trades')));
}

// ---- notifications
function attemptLine(attempt, index) {
  const answer = attempt.error ?? `HTTP ${attempt.status} ${JSON.stringify((attempt.responseBody ?? '').slice(0, 80))}`;
  return h('li', { class: 'attempt' },
    h('span', { class: 'mono small nowrap' }, `#${index + 1} ${formatTime(attempt.atMs)}`),
    pill(attempt.acknowledged ? 'acknowledged' : attempt.error === 'dropped by fault injection' ? 'dropped' : 'not acknowledged', attempt.acknowledged ? 'ok' : 'bad'),
    h('span', { class: 'answer' }, answer),
    attempt.resent ? h('span', { class: 'muted small' }, 'resent') : attempt.extra ? h('span', { class: 'muted small' }, 'extra copy') : null);
}

async function drawNotifications() {
  const [notifications, trades] = await Promise.all([api('GET', '/_sim/notifications'), api('GET', '/_sim/trades')]);
  const tradeByKey = new Map(trades.map((trade) => [trade.key, trade]));
  const sorted = notifications.slice().sort((a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : -1));
  const rows = sorted.slice(0, rowsMax).map((notification) => {
    const trade = tradeByKey.get(notification.tradeKey);
    return h('tr', { 'data-notification': notification.id, 'data-trade': trade?.outTradeNo ?? '' },
      h('td', {}, h('div', { class: 'mono small' }, notification.id), h('div', { class: 'muted small' }, `${notification.channel} · ${notification.kind}`)),
      h('td', { class: 'mono' }, trade ? h('a', { href: tradePath(trade) }, trade.outTradeNo) : notification.tradeKey),
      h('td', {}, pill(notification.state, stateKind[notification.state]), h('div', { class: 'muted small' }, `${notification.attempts.length} attempt${notification.attempts.length === 1 ? '' : 's'}`)),
      h('td', { class: 'small' }, notification.nextAttemptAtMs === undefined ? '—' : h('span', { class: 'mono' }, formatTime(notification.nextAttemptAtMs)), notification.nextAttemptAtMs === undefined ? null : h('div', { class: 'muted' }, `+${formatDuration(notification.nextAttemptAtMs - notification.createdAtMs)} after creation`)),
      h('td', {}, notification.attempts.length === 0 ? h('span', { class: 'muted' }, 'not sent yet') : h('ul', { class: 'attempts' }, notification.attempts.map(attemptLine))),
      h('td', {}, h('button', { 'data-resend': notification.id }, 'Resend')),
    );
  });
  const table = h('table', { id: 'notifications' }, h('thead', {}, h('tr', {}, ...['notification', 'trade', 'state', 'next attempt', 'attempts: time, status, merchant’s answer', ''].map((name) => h('th', {}, name)))), h('tbody', {}, rows));
  section('notifications').replaceChildren(card('Notifications', notifications.length, notifications.length === 0 ? h('p', { class: 'empty' }, 'No notification yet: they are sent when a trade with a notify URL is paid, closed or refunded.') : table, more(notifications.length, '/_sim/notifications')));
}

// ---- the page
const drawers = { trades: drawTrades, notifications: drawNotifications, faults: drawFaults, journal: drawJournal };
let shown;
async function refreshView() {
  const view = currentView(views);
  for (const name of views) section(name).hidden = name !== view;
  for (const name of views) document.getElementById(`nav-${name}`)?.classList.toggle('active', name === view);
  if (view === 'faults' && shown === 'faults') await updateFaults();
  else await drawers[view]();
  shown = view;
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn ?? 0) + 1);
}

async function refreshAll() {
  try {
    await Promise.all([refreshClock(), refreshView()]);
  } catch (error) {
    toast(`cannot read the control API: ${error.message}`, 'bad');
  }
}

const refresh = document.getElementById('dashboard-data') ? coalesced(refreshAll, 150) : () => {};
if (document.getElementById('dashboard-data')) {
  window.addEventListener('hashchange', refresh);
  // Anything the journal records may change what a view shows: redraw on each (coalesced).
  const changes = new EventSource(`/_sim/journal/stream?sinceSeq=${Number.MAX_SAFE_INTEGER}`);
  changes.addEventListener('entry', refresh);
  setInterval(refresh, 5000);
} else {
  void refreshClock().catch(() => {});
}
