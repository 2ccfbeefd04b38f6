// The core's dashboard in the browser: orders, checks, reconciliation reports and the manual queue,
// each drawn from the core's /api JSON; the buttons make the calls a business system makes.
import { ApiError, act, api, coalesced, currentView, h, pill, toast } from './ui.js';

const data = JSON.parse(document.getElementById('dashboard-data')?.textContent ?? '{}');
const views = data.views ?? [];
const section = (view) => document.getElementById(`view-${view}`);
const card = (title, count, ...body) => h('div', { class: 'card' }, h('h2', {}, title, count === undefined ? null : h('span', { class: 'count' }, String(count))), ...body);
const statusKind = {
  PAID: 'ok', SUCCEEDED: 'ok', SUCCESS: 'ok', DELIVERED: 'ok', MATCHED: 'ok', AUTO_FIXED: 'ok',
  PAYING: 'warn', CREATED: 'warn', PENDING: 'warn', PROCESSING: 'warn', UNKNOWN: 'warn', BILL_NOT_READY: 'warn', AGING: 'warn',
  FAILED: 'bad', MANUAL: 'bad', MISMATCHED: 'bad',
};
const status = (value) => pill(value, statusKind[value] ?? '');
const time = (text) => (text ? text.replace('T', ' ').replace(/\+08:00$/, '') : '');
const table = (id, headings, rows) => h('table', { id }, h('thead', {}, h('tr', {}, headings.map((name) => h('th', {}, name)))), h('tbody', {}, rows));

// ---- orders
function newOrderForm() {
  const amount = h('input', { name: 'amount', value: '88.80', size: 8 });
  const subject = h('input', { name: 'subject', value: 'Coffee beans' });
  const method = h('select', { name: 'method' }, ['alipay.qr', 'alipay.page', 'alipay.wap'].map((name) => h('option', { value: name }, name)));
  const result = h('span', { id: 'new-order-result', class: 'small' });
  const submit = async (event) => {
    event.preventDefault();
    const button = event.submitter ?? null;
    const outOrderNo = `DASH-${Date.now().toString(36).toUpperCase()}`;
    const order = await act(button, () => api('POST', '/api/orders', { outOrderNo, amount: amount.value.trim(), currency: 'CNY', subject: subject.value.trim() }));
    if (!order) return;
    const payment = await act(button, () => api('POST', `/api/orders/${encodeURIComponent(order.orderNo)}/pay`, { method: method.value }));
    if (!payment) return refresh();
    const link = payment.qrCode ?? payment.payUrl;
    result.replaceChildren(`order ${order.orderNo}, payment ${payment.paymentNo}: `, h('a', { id: 'pay-link', href: link, target: '_blank' }, payment.qrCode ? 'open the cashier (the QR code’s URL)' : 'open the pay URL'));
    refresh();
  };
  return h('form', { id: 'new-order', class: 'row', onsubmit: submit },
    h('label', { class: 'field' }, 'amount (yuan)', amount), h('label', { class: 'field' }, 'subject', subject), h('label', { class: 'field' }, 'method', method),
    h('button', { class: 'primary', type: 'submit', style: 'align-self:flex-end' }, 'Create and pay'), result);
}

function paymentLine(payment) {
  return h('div', { class: 'line', 'data-payment': payment.paymentNo },
    h('div', { class: 'row nowrap' }, h('span', { class: 'mono' }, payment.paymentNo), status(payment.status), h('span', {}, `¥${payment.amount}`), ...payment.alerts.map((alert) => pill(`${alert.kind} ×${alert.count}`, 'bad'))),
    h('div', { class: 'muted small' }, `${payment.channel} · ${payment.method} · fee ¥${payment.fee} · ${payment.queryAttempts} quer${payment.queryAttempts === 1 ? 'y' : 'ies'}${payment.nextQueryAt ? `, next ${time(payment.nextQueryAt)}` : ''}`));
}

function refundLine(refund) {
  return h('div', { class: 'line', 'data-refund': refund.refundNo },
    h('div', { class: 'row' }, h('span', { class: 'muted small' }, 'refund'), h('span', { class: 'mono' }, refund.refundNo), status(refund.status), h('span', {}, `¥${refund.amount}`)),
    h('div', { class: 'muted small' }, `${refund.outRefundNo} · ${refund.reason}`));
}

/** Refund (part of) a paid order, or close an unpaid one: the business system's own calls. */
function orderActions(order) {
  if (order.status === 'CREATED' || order.status === 'PAYING') {
    return h('button', { 'data-close': order.orderNo, onclick: async (event) => {
      const closed = await act(event.currentTarget, () => api('POST', `/api/orders/${encodeURIComponent(order.orderNo)}/close`, {}));
      if (closed) toast(`order ${closed.orderNo}: ${closed.status}`);
      refresh();
    } }, 'Close');
  }
  const refundableFen = Math.round(Number(order.paidAmount) * 100) - Math.round(Number(order.refundedAmount) * 100);
  if (order.status !== 'PAID' || refundableFen <= 0) return null;
  const amount = h('input', { name: 'amount', value: (refundableFen / 100).toFixed(2), style: 'width:5.5rem', 'aria-label': 'refund amount' });
  return h('form', { class: 'row', style: 'width:6rem', 'data-refund-form': order.orderNo, onsubmit: async (event) => {
    event.preventDefault();
    const refund = await act(event.submitter, () => api('POST', `/api/orders/${encodeURIComponent(order.orderNo)}/refunds`, { outRefundNo: `DASH-R-${Date.now().toString(36).toUpperCase()}`, amount: amount.value.trim(), reason: 'refunded from the dashboard' }));
    if (refund) toast(`refund ${refund.refundNo}: ${refund.status}`);
    refresh();
  } }, amount, h('button', { type: 'submit' }, 'Refund'));
}

let orderForm;
async function drawOrders() {
  const { total, orders } = await api('GET', '/api/orders?limit=100');
  orderForm ??= newOrderForm();
  const rows = orders.map((order) =>
    h('tr', { 'data-order': order.orderNo },
      h('td', {}, h('div', { class: 'mono' }, order.orderNo), h('div', { class: 'muted small' }, order.outOrderNo)),
      h('td', {}, status(order.status)),
      h('td', { class: 'right nowrap' }, `¥${order.amount}`, h('div', { class: 'muted small' }, `paid ¥${order.paidAmount}`), Number(order.refundedAmount) > 0 ? h('div', { class: 'muted small' }, `refunded ¥${order.refundedAmount}`) : null),
      h('td', { class: 'summary' }, order.subject),
      h('td', {}, order.payments.length === 0 && order.refunds.length === 0 ? h('span', { class: 'muted' }, 'no payment yet') : [...order.payments.map(paymentLine), ...order.refunds.map(refundLine)]),
      h('td', { class: 'mono small nowrap' }, time(order.createdAt).split(' ').map((part) => h('div', {}, part))),
      h('td', {}, orderActions(order)),
    ));
  section('orders').replaceChildren(
    card('New test order', undefined, orderForm),
    card('Orders', total, orders.length === 0 ? h('p', { class: 'empty' }, 'No order yet: POST /api/orders, or create one above.') : table('orders', ['order', 'status', 'amount', 'subject', 'payments and refunds', 'created', ''], rows)),
  );
}

// ---- checks
async function drawChecks(report) {
  report ??= await api('GET', '/api/checks');
  const run = h('button', { id: 'run-checks', class: 'primary', onclick: async (event) => {
    const fresh = await act(event.currentTarget, () => api('POST', '/api/checks/run', {}));
    if (fresh) await drawChecks(fresh);
  } }, 'Run checks now');
  const rows = report.checks.map((check) =>
    h('tr', { 'data-check': check.name },
      h('td', {}, check.name), h('td', { class: 'muted' }, check.category), h('td', {}, pill(check.passed ? 'passed' : 'failed', check.passed ? 'ok' : 'bad')),
      h('td', { class: 'small' }, check.findings.length === 0 ? h('span', { class: 'muted' }, '—') : check.findings.slice(0, 5).map((finding) => h('div', {}, h('span', { class: 'mono' }, finding.subject), ` ${finding.detail}`)), check.findings.length > 5 ? h('div', { class: 'muted' }, `and ${check.findings.length - 5} more`) : null)));
  section('checks').replaceChildren(card('Loss-prevention checks', report.checks.length,
    h('div', { class: 'row', style: 'margin-bottom:.5rem' }, pill(report.passed ? 'all passed' : 'some failed', report.passed ? 'ok' : 'bad'), h('span', { class: 'muted small' }, `ran ${time(report.ranAt)}`), h('span', { style: 'margin-left:auto' }, run)),
    table('checks', ['check', 'category', 'result', 'findings'], rows)));
}

// ---- reconciliation (the core answers it once reconciliation is part of it; until then, say so)
async function drawReconciliations() {
  let answer;
  try {
    answer = await api('GET', '/api/reconciliations');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      section('reconciliations').replaceChildren(card('Reconciliation', undefined, h('p', { class: 'empty', id: 'no-reconciliation' }, 'No reconciliation yet: this core does not answer GET /api/reconciliations.')));
      return;
    }
    throw error;
  }
  const reports = answer.reconciliations ?? [];
  const channel = h('select', { name: 'channel' }, (data.channels ?? []).map((name) => h('option', { value: name }, name)));
  const billDate = h('input', { name: 'billDate', placeholder: 'yyyy-MM-dd', size: 11 });
  const form = h('form', { class: 'row', id: 'reconcile', style: 'margin-bottom:.6rem', onsubmit: async (event) => {
    event.preventDefault();
    const report = await act(event.submitter, () => api('POST', '/api/reconciliations', { channel: channel.value, billDate: billDate.value.trim() }));
    if (report) {
      toast(`reconciliation ${report.id}: ${report.status}`);
      await drawReconciliations();
    }
  } }, h('label', { class: 'field' }, 'channel', channel), h('label', { class: 'field' }, 'bill date', billDate), h('button', { type: 'submit', class: 'primary', style: 'align-self:flex-end' }, 'Reconcile'));
  const rows = reports.map((report) =>
    h('tr', { 'data-reconciliation': report.id },
      h('td', { class: 'mono' }, report.billDate), h('td', {}, report.channel), h('td', {}, status(report.status), report.reason ? h('div', { class: 'muted small' }, report.reason) : null),
      h('td', { class: 'right' }, `${report.matched ?? 0} / ${report.billRows ?? 0} / ${report.localRecords ?? 0}`),
      h('td', { class: 'small nowrap' }, report.totals ? [h('div', {}, `channel ¥${report.totals.channelNet}`), h('div', {}, `local ¥${report.totals.localNet}`), h('div', { class: 'muted' }, `fees ¥${report.totals.fees}`)] : null),
      h('td', { class: 'small' }, (report.mismatches ?? []).length === 0 ? h('span', { class: 'muted' }, 'none') : Object.entries(report.counts ?? {}).filter(([, count]) => count > 0).map(([name, count]) => pill(`${name} ${count}`, 'bad'))),
      h('td', { class: 'small' }, (report.mismatches ?? []).slice(0, 4).map((mismatch) => h('div', {}, status(mismatch.handling), ` ${mismatch.category} ${mismatch.paymentNo ?? mismatch.refundNo ?? mismatch.channelTradeNo ?? ''}`)), (report.mismatches ?? []).length > 4 ? h('div', { class: 'muted' }, `and ${report.mismatches.length - 4} more: GET /api/reconciliations/${report.id}`) : null),
    ));
  section('reconciliations').replaceChildren(card('Reconciliation', reports.length, form,
    reports.length === 0 ? h('p', { class: 'empty', id: 'no-reconciliation' }, 'No reconciliation yet: run one for a day that has ended.') : table('reconciliations', ['bill date', 'channel', 'status', 'matched / bill rows / local', 'totals', 'mismatches', 'handling'], rows)));
}

// ---- manual queue
async function drawManualQueue() {
  const { notifications } = await api('GET', '/api/manual-queue');
  const rows = notifications.map((notification) =>
    h('tr', { 'data-notification': notification.id },
      h('td', { class: 'mono small' }, notification.id), h('td', {}, notification.type), h('td', { class: 'mono' }, notification.orderNo),
      h('td', { class: 'right' }, `¥${notification.amount}`), h('td', {}, `${notification.attempts} attempts, ${notification.manualResends} resent`),
      h('td', { class: 'small' }, notification.lastError ?? ''), h('td', { class: 'mono small' }, time(notification.movedAt)),
      h('td', {}, h('button', { 'data-resend': notification.id, onclick: async (event) => {
        const resent = await act(event.currentTarget, () => api('POST', `/api/manual-queue/${encodeURIComponent(notification.id)}/resend`, {}));
        if (resent) {
          toast(`notification ${resent.id}: ${resent.status}`);
          await drawManualQueue();
        }
      } }, 'Resend')),
    ));
  section('manual-queue').replaceChildren(card('Manual queue', notifications.length,
    h('p', { class: 'muted small', style: 'margin-top:0' }, 'Business-system notifications that exhausted their retries (pass --merchant-webhook URL to deliver them).'),
    notifications.length === 0 ? h('p', { class: 'empty' }, 'Empty: every business notification was delivered or is still being retried.') : table('manual-queue', ['id', 'type', 'order', 'amount', 'attempts', 'last error', 'moved', ''], rows)));
}

const drawers = { orders: drawOrders, checks: drawChecks, reconciliations: drawReconciliations, 'manual-queue': drawManualQueue };
async function refreshView() {
  const view = currentView(views);
  for (const name of views) section(name).hidden = name !== view;
  for (const name of views) document.getElementById(`nav-${name}`)?.classList.toggle('active', name === view);
  try {
    await drawers[view]();
  } catch (error) {
    toast(`cannot read the core's API: ${error.message}`, 'bad');
  }
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn ?? 0) + 1);
}

const refresh = coalesced(refreshView, 100);
window.addEventListener('hashchange', refresh);
// The core has no event stream: a quiet poll keeps the lists current while a person watches.
setInterval(() => {
  // Not while a person is typing in a form: a redraw would take the focus away.
  if (document.visibilityState === 'visible' && !document.activeElement?.closest('form')) refresh();
}, 3000);
