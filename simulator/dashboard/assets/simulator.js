// The simulator's dashboard in the browser: every view is drawn from the control API's JSON, and every
// button makes the same JSON call a script would (POST /_sim/clock/advance, /_sim/faults,
// /_sim/buyer/pay, /_sim/notifications/:id/resend). The journal is live: server-sent events.
import { act, api, coalesced, currentView, formatDuration, formatTime, h, pill, toast } from './ui.js';

const data = JSON.parse(document.getElementById('dashboard-data')?.textContent ?? '{}');
const views = data.views ?? [];

const stateKind = { paid: 'ok', finished: 'ok', acknowledged: 'ok', waiting: 'warn', pending: 'warn', exhausted: 'bad', closed: '' };
const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
const tradePath = (trade) => `/dashboard/trades/${[trade.channel, trade.appId, trade.outTradeNo].map(encodeURIComponent).join('/')}`;
const section = (view) => document.getElementById(`view-${view}`);
const card = (title, count, ...body) => h('div', { class: 'card' }, h('h2', {}, title, count === undefined ? null : h('span', { class: 'count' }, String(count))), ...body);

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

async function refreshClock() {
  const clock = await api('GET', '/_sim/clock');
  const label = document.getElementById('clock');
  if (label) label.textContent = `${clock.kind} clock · ${formatTime(clock.nowMs)}`;
  const box = document.getElementById('clock-card');
  if (!box) return;
  const now = h('div', {}, h('div', { class: 'muted small' }, `${clock.kind} clock (Beijing time)`), h('div', { id: 'clock-now', class: 'mono', style: 'font-size:1.15rem;font-weight:600' }, formatTime(clock.nowMs)), h('div', { class: 'muted small', id: 'clock-pending' }, `${clock.pending} scheduled task${clock.pending === 1 ? '' : 's'}`));
  if (clock.kind !== 'virtual') {
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

// ---- trades
async function drawTrades() {
  const trades = (await api('GET', '/_sim/trades')).slice().reverse();
  const rows = trades.map((trade) =>
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
  section('trades').replaceChildren(card('Trades', trades.length, trades.length === 0 ? h('p', { class: 'empty' }, 'No trade yet: create one with the SDK, or pay an order of the core.') : table));
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
  const rows = sorted.map((notification) => {
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
  section('notifications').replaceChildren(card('Notifications', notifications.length, notifications.length === 0 ? h('p', { class: 'empty' }, 'No notification yet: they are sent when a trade with a notify URL is paid, closed or refunded.') : table));
}

// ---- faults
const compact = (value) => JSON.stringify(value);

function templateForm() {
  const templates = data.faultTemplates ?? [];
  const layers = [...new Set(templates.map((template) => template.layer))];
  const select = h('select', { id: 'fault-type' }, layers.map((layer) => h('optgroup', { label: layer }, templates.filter((template) => template.layer === layer).map((template) => h('option', { value: template.type }, template.type)))));
  const effect = h('p', { class: 'muted', id: 'fault-effect' });
  const faultFields = h('div', { class: 'fields', id: 'fault-fields' });
  const matchFields = h('div', { class: 'fields', id: 'match-fields' });
  const preview = h('pre', { class: 'mono small', id: 'fault-preview', style: 'background:#f9fafb;border:1px solid var(--line);border-radius:8px;padding:.6rem;white-space:pre-wrap' });
  const field = (name, label, value, attributes = {}) => h('label', { class: 'field' }, label, h('input', { name, value: value ?? '', ...attributes }));
  const numberOrText = (input) => (input.dataset.kind === 'number' ? Number(input.value) : input.value);

  const build = () => {
    const template = templates.find((item) => item.type === select.value);
    const fault = { type: template.type };
    for (const input of faultFields.querySelectorAll('input')) if (input.value !== '') fault[input.name] = numberOrText(input);
    const match = {};
    for (const input of matchFields.querySelectorAll('input, select')) {
      if (input.name === 'timesMax' || input.value === '') continue;
      match[input.name] = input.name === 'nth' || input.name === 'probability' ? Number(input.value) : input.value;
    }
    const timesMax = matchFields.querySelector('[name=timesMax]').value;
    return { match, fault, ...(timesMax !== '' ? { timesMax: Number(timesMax) } : {}) };
  };
  const show = () => {
    const template = templates.find((item) => item.type === select.value);
    effect.textContent = template.effect;
    faultFields.replaceChildren(...Object.entries(template.fault).filter(([name]) => name !== 'type').map(([name, value]) => field(name, `fault.${name}`, value, typeof value === 'number' ? { 'data-kind': 'number', type: 'number' } : {})));
    const notifyLayer = template.layer === 'notify' || template.layer === 'trade';
    matchFields.replaceChildren(...[
      h('label', { class: 'field' }, 'match.channel', h('select', { name: 'channel' }, h('option', { value: '' }, 'any'), (data.channels ?? []).map((channel) => h('option', { value: channel }, channel)))),
      field('api', 'match.api', template.api ?? '', { placeholder: template.layer === 'gateway' ? 'any call, or alipay.trade.query' : '' }),
      field('outTradeNo', 'match.outTradeNo (regex)', '', { placeholder: '^P2026' }),
      notifyLayer ? h('label', { class: 'field' }, 'match.notifyKind', h('select', { name: 'notifyKind' }, h('option', { value: '' }, 'any'), (data.notifyKinds ?? []).map((kind) => h('option', { value: kind }, kind)))) : null,
      field('nth', 'match.nth', '', { type: 'number', min: 1 }),
      field('probability', 'match.probability', '', { type: 'number', step: '0.05', min: 0, max: 1 }),
      field('timesMax', 'timesMax', '', { type: 'number', min: 1 }),
    ].filter(Boolean));
    preview.textContent = JSON.stringify(build(), null, 1);
  };
  select.addEventListener('change', show);
  const form = h('form', { id: 'fault-form', oninput: () => (preview.textContent = JSON.stringify(build(), null, 1)), onsubmit: (event) => event.preventDefault() },
    h('div', { class: 'row' }, h('label', { class: 'field' }, 'fault type', select), effect),
    faultFields, matchFields, preview,
    h('button', {
      class: 'primary', type: 'submit', id: 'add-fault',
      onclick: async (event) => {
        const answer = await act(event.currentTarget, () => api('POST', '/_sim/faults', build()));
        if (answer) {
          toast(`rule ${answer.id} added`);
          await drawFaults();
        }
      },
    }, 'Add rule'));
  show();
  return form;
}

let faultForm;
async function drawFaults() {
  const { magicValues, rules } = await api('GET', '/_sim/faults');
  faultForm ??= templateForm();
  const rows = rules.map((rule) =>
    h('tr', { 'data-rule': rule.id },
      h('td', { class: 'mono' }, rule.id),
      h('td', {}, pill(rule.fault.type, 'bad')),
      h('td', { class: 'mono small' }, compact(rule.match)),
      h('td', { class: 'mono small' }, compact(Object.fromEntries(Object.entries(rule.fault).filter(([name]) => name !== 'type')))),
      h('td', { class: 'right' }, rule.timesMax ?? '∞'),
      h('td', { class: 'right', 'data-seen': rule.seen }, rule.seen),
      h('td', { class: 'right', 'data-fired': rule.fired }, rule.fired),
      h('td', {}, rule.source),
      h('td', {}, h('button', { class: 'danger', 'data-remove': rule.id, onclick: async (event) => {
        if (await act(event.currentTarget, () => api('DELETE', `/_sim/faults/${encodeURIComponent(rule.id)}`))) await drawFaults();
      } }, 'Remove')),
    ));
  const table = h('table', { id: 'fault-rules' }, h('thead', {}, h('tr', {}, ...['id', 'fault', 'match', 'fields', 'times max', 'matched', 'fired', 'from', ''].map((name) => h('th', {}, name)))), h('tbody', {}, rows));
  const magic = h('label', { class: 'row small' }, h('input', { type: 'checkbox', id: 'magic-values', checked: magicValues, onchange: async (event) => {
    await act(null, () => api('PUT', '/_sim/faults/magic', { enabled: event.currentTarget.checked }));
    await drawFaults();
  } }), 'magic amounts and subject tags (4000.04 …, [paysim:drop])');
  const clear = rules.length === 0 ? null : h('button', { class: 'danger', onclick: async (event) => {
    if (await act(event.currentTarget, () => api('DELETE', '/_sim/faults'))) await drawFaults();
  } }, 'Remove all');
  section('faults').replaceChildren(
    card('Fault rules', rules.length, h('div', { class: 'row', style: 'margin-bottom:.5rem' }, magic, h('span', { style: 'margin-left:auto' }, clear)), rules.length === 0 ? h('p', { class: 'empty' }, 'No rule: every exchange behaves as the channel does.') : table),
    card('Add a rule', undefined, faultForm),
  );
}

// ---- journal (server-sent events)
const journalTypes = ['http.exchange', 'trade.created', 'trade.visible', 'trade.paid', 'trade.closed', 'refund.created', 'refund.succeeded', 'refund.failed', 'notify.scheduled', 'notify.attempted', 'notify.exhausted', 'buyer.acted', 'fault.injected', 'interceptor.failed', 'sim.reset'];

function summary(entry) {
  switch (entry.type) {
    case 'http.exchange': return `${entry.exchange.method} ${entry.exchange.path.split('?')[0]} ${entry.api} → ${entry.exchange.status}`;
    case 'notify.attempted': return `${entry.notificationId} #${entry.attempt} → ${entry.error ?? `${entry.status} ${JSON.stringify((entry.responseBody ?? '').slice(0, 40))}`}${entry.resent ? ' (resent)' : ''}`;
    case 'notify.scheduled': return `${entry.notificationId} ${entry.kind} due ${formatTime(entry.dueAtMs)}`;
    case 'notify.exhausted': return entry.notificationId;
    case 'fault.injected': return `rule ${entry.ruleId} ${entry.faultType} on ${entry.api}${entry.detail ? ` (${entry.detail})` : ''}`;
    case 'interceptor.failed': return `${entry.interceptor}: ${entry.error}`;
    case 'sim.reset': return 'trades, refunds and notifications forgotten';
    default: return [entry.channel, entry.outTradeNo, entry.outRequestNo, entry.amountFen === undefined ? undefined : yuan(entry.amountFen), entry.reason, entry.action].filter((part) => part !== undefined).join(' · ');
  }
}

let journalSource;
let journalList;
function openJournal() {
  const type = document.getElementById('journal-type')?.value ?? '';
  const trade = document.getElementById('journal-trade')?.value.trim() ?? '';
  journalSource?.close();
  journalList.replaceChildren();
  const query = new URLSearchParams({ ...(type ? { type } : {}), ...(trade ? { outTradeNo: trade } : {}) });
  journalSource = new EventSource(`/_sim/journal/stream${query.size > 0 ? `?${query}` : ''}`);
  const status = document.getElementById('journal-status');
  journalSource.addEventListener('open', () => { if (status) status.textContent = 'live'; });
  journalSource.addEventListener('error', () => { if (status) status.textContent = 'reconnecting…'; });
  journalSource.addEventListener('entry', (event) => {
    const entry = JSON.parse(event.data);
    const row = h('div', { class: 'entry', 'data-type': entry.type, 'data-seq': entry.seq }, h('span', { class: 'seq' }, `#${entry.seq}`), h('span', {}, formatTime(entry.atMs)), h('span', {}, pill(entry.type, entry.type === 'fault.injected' || entry.type === 'interceptor.failed' ? 'bad' : entry.type.startsWith('notify') ? 'warn' : '')), h('span', { class: 'summary' }, summary(entry)));
    journalList.prepend(row);
    while (journalList.childElementCount > 500) journalList.lastElementChild.remove();
  });
}

function drawJournal() {
  if (journalList) return;
  journalList = h('div', { class: 'journal', id: 'journal-entries' });
  const filters = h('form', { class: 'row', style: 'margin-bottom:.6rem', onsubmit: (event) => { event.preventDefault(); openJournal(); } },
    h('label', { class: 'field' }, 'type', h('select', { id: 'journal-type', onchange: openJournal }, h('option', { value: '' }, 'every type'), journalTypes.map((type) => h('option', { value: type }, type)))),
    h('label', { class: 'field' }, 'trade (out trade no)', h('input', { id: 'journal-trade', placeholder: 'P2026…' })),
    h('button', { type: 'submit', id: 'journal-apply', style: 'align-self:flex-end' }, 'Filter'),
    h('span', { id: 'journal-status', class: 'muted small', style: 'margin-left:auto' }, 'connecting…'));
  section('journal').replaceChildren(card('Journal', undefined, h('p', { class: 'muted small', style: 'margin-top:0' }, 'Every exchange and state change as it happens, newest first (GET /_sim/journal/stream).'), filters, journalList));
  openJournal();
}

// ---- the page
const drawers = { trades: drawTrades, notifications: drawNotifications, faults: drawFaults, journal: drawJournal };
let shown;
async function refreshView() {
  const view = currentView(views);
  for (const name of views) section(name).hidden = name !== view;
  for (const name of views) document.getElementById(`nav-${name}`)?.classList.toggle('active', name === view);
  if (view === 'faults' && shown === 'faults') {
    // Keep the form as the person left it: redraw only the counts.
    const { rules } = await api('GET', '/_sim/faults');
    const drawn = [...document.querySelectorAll('#fault-rules tbody tr')].map((row) => row.dataset.rule);
    if (drawn.join() !== rules.map((rule) => rule.id).join()) await drawFaults();
    for (const rule of rules) {
      const row = document.querySelector(`#fault-rules tr[data-rule="${CSS.escape(rule.id)}"]`);
      if (row) {
        row.querySelector('[data-seen]').textContent = rule.seen;
        row.querySelector('[data-fired]').textContent = rule.fired;
      }
    }
  } else await drawers[view]();
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
