// The live journal: GET /_sim/journal/stream (server-sent events), reopened with the type and trade
// filters whenever they change; newest entries first, at most 500 kept on the page.
import { formatTime, h, pill } from './ui.js';
import { card, data, section, yuan } from './common.js';


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

export function drawJournal() {
  if (journalList) return;
  journalList = h('div', { class: 'journal', id: 'journal-entries' });
  const filters = h('form', { class: 'row', style: 'margin-bottom:.6rem', onsubmit: (event) => { event.preventDefault(); openJournal(); } },
    h('label', { class: 'field' }, 'type', h('select', { id: 'journal-type', onchange: openJournal }, h('option', { value: '' }, 'every type'), (data.journalTypes ?? []).map((type) => h('option', { value: type }, type)))),
    h('label', { class: 'field' }, 'trade (out trade no)', h('input', { id: 'journal-trade', placeholder: 'P2026…' })),
    h('button', { type: 'submit', id: 'journal-apply', style: 'align-self:flex-end' }, 'Filter'),
    h('span', { id: 'journal-status', class: 'muted small', style: 'margin-left:auto' }, 'connecting…'));
  section('journal').replaceChildren(card('Journal', undefined, h('p', { class: 'muted small', style: 'margin-top:0' }, 'Every exchange and state change as it happens, newest first (GET /_sim/journal/stream).'), filters, journalList));
  openJournal();
}
