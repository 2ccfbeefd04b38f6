// The dashboards in real headless Chromium, against a real simulator and core on one virtual clock:
// a person pays an order through the cashier, watches its notification and the attempts, switches a
// fault on from the page, moves the clock, resends; each main view is saved as a screenshot.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../core/integration/paysim.ts';
import { launchChromium, screenshotDir } from '../support/chromium.ts';
import { createSimulator } from '../../simulator/server.ts';

let paysim: Paysim;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const failedResponses: string[] = [];
const controlCalls: { method: string; url: string; contentType?: string; origin?: string; body: string | null }[] = [];
const firstPaymentNo = { value: '' };
const secondPaymentNo = { value: '' };
const outputDir = fileURLToPath(screenshotDir);

const screenshot = (name: string, fullPage = false) => page.screenshot({ path: `${outputDir}${name}.png`, fullPage });
const notificationRow = (paymentNo: string) => page.locator(`#notifications tr[data-trade="${paymentNo}"]`);
const simNotification = (paymentNo: string) => paysim.sim.engine.outbox.all().find((notification) => notification.tradeKey.endsWith(`:${paymentNo}`));

/** Waits until the view has been drawn again after `action` (the dashboard counts its redraws). */
async function afterRedraw(action: () => Promise<unknown>): Promise<void> {
  const before = Number(await page.locator('body').getAttribute('data-drawn'));
  await action();
  await page.waitForFunction((count) => Number(document.body.dataset.drawn) > count, before);
}

beforeAll(async () => {
  mkdirSync(outputDir, { recursive: true });
  paysim = await startPaysim();
  paysim.sim.dashboardLinks.add('merchant core', `${paysim.core.url}/`);
  paysim.core.dashboardLinks.add('channel simulator', `${paysim.sim.url}/`);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A failed request is also logged by Chromium; those are checked as responses below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('request', (request: Request) => {
    if (new URL(request.url()).pathname.startsWith('/_sim/') && request.method() !== 'GET') {
      const headers = request.headers();
      controlCalls.push({ method: request.method(), url: request.url(), ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}), ...(headers.origin ? { origin: headers.origin } : {}), body: request.postData() });
    }
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await paysim?.close();
});

it('pays an order created on the core’s dashboard through the cashier, and lists its trade as paid', async () => {
  await page.goto(`${paysim.core.url}/#orders`);
  await page.fill('#new-order input[name=amount]', '88.80');
  await page.fill('#new-order input[name=subject]', 'Coffee beans');
  await page.click('#new-order button[type=submit]');
  const payLink = page.locator('#pay-link');
  await payLink.waitFor();
  const cashierUrl = (await payLink.getAttribute('href'))!;
  expect(cashierUrl).toMatch(new RegExp(`^${paysim.sim.url}/cashier/`));
  firstPaymentNo.value = /payment (P\w+)/.exec((await page.locator('#new-order-result').textContent())!)![1]!;

  await page.goto(cashierUrl);
  expect(await page.locator('#amount').textContent()).toContain('88.80');
  await page.click('button.pay');
  await page.locator('#title').waitFor();
  expect(await page.locator('#title').textContent()).toBe('支付成功');

  await page.goto(`${paysim.sim.url}/#trades`);
  const row = page.locator(`#trades tr[data-trade="${firstPaymentNo.value}"]`);
  await row.waitFor();
  expect(await row.locator('.pill').first().textContent()).toBe('paid');
  await screenshot('simulator-trades');
});

it('shows the notification as soon as it exists, and each attempt with the merchant’s answer as the clock runs', async () => {
  await page.goto(`${paysim.sim.url}/#notifications`);
  const row = notificationRow(firstPaymentNo.value);
  await row.waitFor();
  expect(await row.textContent()).toContain('not sent yet'); // the virtual clock has not moved

  await page.click('button[data-advance="0"]');
  await row.locator('li.attempt').first().waitFor();
  expect(await row.locator('li.attempt').count()).toBe(1);
  expect(await row.locator('li.attempt').first().textContent()).toContain('HTTP 200 "success"');
  expect(await row.locator('.pill').first().textContent()).toBe('acknowledged');
  expect(simNotification(firstPaymentNo.value)!.state).toBe('acknowledged');
});

it('adds a drop fault from its template, and the next notification is dropped, attempt after attempt', async () => {
  await page.goto(`${paysim.sim.url}/#faults`);
  await page.selectOption('#fault-type', 'drop');
  expect(await page.inputValue('#match-fields input[name=api]')).toBe('notify');
  expect(JSON.parse((await page.locator('#fault-preview').textContent())!)).toEqual({ match: { api: 'notify' }, fault: { type: 'drop' } });
  await page.click('#add-fault');
  await page.locator('#fault-rules tbody tr').first().waitFor();
  expect(await page.locator('#fault-rules tbody tr').count()).toBe(1);
  expect(paysim.sim.engine.faults.list().map((rule) => rule.fault.type)).toEqual(['drop']);
  await screenshot('simulator-faults');

  // A second order, paid by the buyer action on the trades view.
  const { paymentNo } = await paysim.orderAndPay('12.00', { subject: 'Tea' });
  secondPaymentNo.value = paymentNo;
  await page.goto(`${paysim.sim.url}/#trades`);
  const payButton = page.locator(`#trades tr[data-trade="${paymentNo}"] button[data-buyer=success]`);
  await payButton.click();
  await page.locator(`#trades tr[data-trade="${paymentNo}"] .pill`, { hasText: 'paid' }).waitFor();

  await page.goto(`${paysim.sim.url}/#notifications`);
  const row = notificationRow(paymentNo);
  await row.waitFor();
  await page.click('button[data-advance="0"]');
  await row.locator('li.attempt').first().waitFor();
  expect(await row.locator('li.attempt').first().textContent()).toContain('dropped by fault injection');

  await page.click('button[data-advance="240000"]'); // Alipay's second attempt is due 4 minutes later
  await row.locator('li.attempt').nth(1).waitFor();
  expect(await row.locator('li.attempt').count()).toBe(2);
  expect(await row.locator('li.attempt').nth(1).textContent()).toContain('dropped by fault injection');
  expect(simNotification(paymentNo)!.attempts.map((attempt) => attempt.error)).toEqual(['dropped by fault injection', 'dropped by fault injection']);
  await screenshot('simulator-notifications');
});

it('advances the virtual clock by a duration typed on the page', async () => {
  await page.goto(`${paysim.sim.url}/#notifications`);
  await page.locator('#clock-now').waitFor();
  const beforeMs = paysim.clock.now();
  await page.fill('#advance-by', '1h30m');
  await afterRedraw(() => page.click('#advance-custom'));
  expect(paysim.clock.now()).toBe(beforeMs + 90 * 60_000);
  const shown = new Date(paysim.clock.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  await page.locator('#clock-now', { hasText: shown }).waitFor();

  await page.fill('#advance-by', 'soon');
  await page.click('#advance-custom');
  await page.locator('#toast .error').waitFor();
  expect(await page.locator('#toast').textContent()).toContain('"soon" is not a duration');
  expect(paysim.clock.now()).toBe(beforeMs + 90 * 60_000);
});

it('removes the fault and resends the dropped notification from the page: the merchant acknowledges it', async () => {
  await page.goto(`${paysim.sim.url}/#faults`);
  await page.locator('#fault-rules button[data-remove]').click();
  await page.locator('#fault-rules').waitFor({ state: 'detached' });
  expect(paysim.sim.engine.faults.list()).toEqual([]);

  await page.goto(`${paysim.sim.url}/#notifications`);
  const row = notificationRow(secondPaymentNo.value);
  await row.waitFor();
  const attemptsBefore = await row.locator('li.attempt').count();
  expect(attemptsBefore).toBeGreaterThanOrEqual(2);
  await row.locator('button[data-resend]').click();
  await row.locator('li.attempt').nth(attemptsBefore).waitFor();
  const resent = row.locator('li.attempt').nth(attemptsBefore);
  expect(await resent.textContent()).toContain('HTTP 200 "success"');
  expect(await resent.textContent()).toContain('resent');
  const notification = simNotification(secondPaymentNo.value)!;
  expect(notification.state).toBe('acknowledged');
  expect(notification.attempts.at(-1)).toMatchObject({ acknowledged: true, resent: true });
});

it('streams the journal live, filtered by type and by trade', async () => {
  await page.goto(`${paysim.sim.url}/#journal`);
  await page.selectOption('#journal-type', 'notify.attempted');
  await page.fill('#journal-trade', secondPaymentNo.value);
  await page.click('#journal-apply');
  const entries = page.locator('#journal-entries div.entry');
  const attempts = simNotification(secondPaymentNo.value)!.attempts.length;
  await entries.nth(attempts - 1).waitFor();
  expect(await entries.count()).toBe(attempts);
  expect(new Set(await entries.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.type)))).toEqual(new Set(['notify.attempted']));

  // Live: a resend made by a script shows up without reloading, and the first trade's does not.
  await fetch(`${paysim.sim.url}/_sim/notifications/${simNotification(firstPaymentNo.value)!.id}/resend`, { method: 'POST' });
  await fetch(`${paysim.sim.url}/_sim/notifications/${simNotification(secondPaymentNo.value)!.id}/resend`, { method: 'POST' });
  await entries.nth(attempts).waitFor();
  expect(await entries.first().textContent()).toContain('(resent)');
  expect(await entries.count()).toBe(attempts + 1);
  expect(await page.locator('#journal-entries').textContent()).toContain(simNotification(secondPaymentNo.value)!.id);
  expect(await page.locator('#journal-entries').textContent()).not.toContain(simNotification(firstPaymentNo.value)!.id);
  await page.selectOption('#journal-type', '');
  await page.locator('#journal-entries div.entry[data-type="trade.paid"]').waitFor();
  await screenshot('simulator-journal');
});

it('shows a trade’s page: its facts, history, notifications and the sequence timeline with the faults marked', async () => {
  await page.goto(`${paysim.sim.url}/#trades`);
  await page.click(`#trades a:text-is("${secondPaymentNo.value}")`);
  await page.locator('.timeline').waitFor();
  expect(await page.locator('#trade-state').textContent()).toBe('paid');
  expect(await page.locator('#trade-history').textContent()).toContain('paid ¥12.00');
  expect(await page.locator('.tl-name').allTextContents()).toEqual(['buyer', 'merchant', 'channel']);
  expect(await page.locator('.tl-arrow.left.fault .tl-fault').allTextContents()).toContain('drop · rule-1');
  expect(await page.locator('.tl-arrow', { hasText: 'alipay.trade.precreate' }).count()).toBe(1);
  expect(await page.locator('.notification details').textContent()).toContain(secondPaymentNo.value);
  expect(await page.locator('.tl-arrow.left', { hasText: 'notify #' }).count()).toBeGreaterThanOrEqual(3);
  await screenshot('simulator-trade', true);
});

it('shows what a trade says as text, never as markup, on the list and on the trade page', async () => {
  const subject = '<img src=x onerror="window.hacked=1">Tea & "cake"';
  const { paymentNo } = await paysim.orderAndPay('3.00', { subject });
  await page.goto(`${paysim.sim.url}/#trades`);
  const row = page.locator(`#trades tr[data-trade="${paymentNo}"]`);
  await row.waitFor();
  expect(await row.textContent()).toContain(subject);
  await page.click(`#trades a:text-is("${paymentNo}")`);
  await page.locator('#buyer-actions').waitFor();
  expect(await page.locator('dl.facts').textContent()).toContain(subject);
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  // The trade is still open: the buyer acts from its page.
  await page.click('#buyer-actions button[data-buyer=cancel]');
  await page.waitForURL(/\/dashboard\/trades\//);
  await page.locator('#toast, #trade-state').first().waitFor();
});

it('shows the core’s orders, checks, reconciliation and manual queue, and resends from the manual queue', async () => {
  // A business system that is down: the order's notification exhausts its retries into the manual queue.
  paysim.webhook.mode = 'down';
  const { orderNo, paymentNo } = await paysim.orderAndPay('20.00', { subject: 'Mug' });
  await paysim.buyerPays(paymentNo);
  await paysim.advance(2 * 86_400_000);
  paysim.webhook.mode = 'success';

  await page.goto(`${paysim.core.url}/#orders`);
  const order = page.locator(`#orders tr[data-order="${orderNo}"]`);
  await order.waitFor();
  expect(await order.locator('.pill').first().textContent()).toBe('PAID');
  expect(await order.locator(`[data-payment="${paymentNo}"]`).textContent()).toContain('SUCCEEDED');
  // A partial refund from the page: accepted at once, completed by the channel later.
  await order.locator('[data-refund-form] input[name=amount]').fill('5.00');
  await order.locator('[data-refund-form] button[type=submit]').click();
  await order.locator('[data-refund]').waitFor();
  expect(await order.locator('[data-refund]').textContent()).toContain('PROCESSING');
  await paysim.advance(60_000);
  await page.reload();
  await order.locator('[data-refund]', { hasText: 'SUCCESS' }).waitFor();
  expect((await paysim.order(orderNo)).refundedAmount).toBe('5.00');
  // An order nobody has paid yet is closed from its row.
  const unpaid = await paysim.api('POST', '/api/orders', { outOrderNo: 'BROWSER-CLOSE-1', amount: '7.00', subject: 'Spoon' });
  await page.reload();
  const unpaidRow = page.locator(`#orders tr[data-order="${unpaid.body.orderNo}"]`);
  await unpaidRow.locator('button[data-close]').click();
  await unpaidRow.locator('.pill', { hasText: 'CLOSED' }).waitFor();
  expect((await paysim.order(unpaid.body.orderNo)).status).toBe('CLOSED');
  await screenshot('core-orders');

  await page.goto(`${paysim.core.url}/#checks`);
  await page.locator('#checks tbody tr').first().waitFor();
  await afterRedraw(() => page.click('#run-checks'));
  expect(await page.locator('#checks tbody tr').count()).toBe(paysim.core.runChecks().results.length);
  await screenshot('core-checks');

  await page.goto(`${paysim.core.url}/#reconciliations`);
  await page.locator('#view-reconciliations .card').waitFor();
  const reconciliationApi = await fetch(`${paysim.core.url}/api/reconciliations`);
  if (reconciliationApi.status === 404) {
    // A core without reconciliation: the view says so instead of failing.
    expect(await page.locator('#no-reconciliation').textContent()).toContain('No reconciliation yet');
  } else {
    await page.fill('#reconcile input[name=billDate]', '2026-01-01'); // a day that has ended on the virtual clock
    await page.click('#reconcile button[type=submit]');
    const report = page.locator('#reconciliations tr[data-reconciliation]', { hasText: '2026-01-01' });
    await report.waitFor();
    expect(await report.locator('.pill').first().textContent()).toMatch(/^(MATCHED|MISMATCHED|BILL_NOT_READY|FAILED)$/);
  }
  await screenshot('core-reconciliation');

  await page.goto(`${paysim.core.url}/#manual-queue`);
  const queued = page.locator('#manual-queue tbody tr', { hasText: orderNo });
  await queued.waitFor();
  await screenshot('core-manual-queue');
  await queued.locator('button[data-resend]').click();
  await queued.waitFor({ state: 'detached' });
  expect(paysim.webhook.received.filter((message) => message.orderNo === orderNo).length).toBeGreaterThan(1);
  const view = await (await fetch(`${paysim.core.url}/api/manual-queue`)).json();
  expect(view.notifications.map((notification: { orderNo: string }) => notification.orderNo)).not.toContain(orderNo);
});

it('says the clock is real, and offers no way to advance it, on a simulator with the real clock', async () => {
  const real = await createSimulator({ port: 0, memory: true });
  const url = await real.listen();
  try {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(`${url}/#trades`);
    await other.locator('#clock-card', { hasText: 'The clock is real' }).waitFor();
    expect(await other.locator('button[data-advance]').count()).toBe(0);
    expect(await other.locator('#trades').count()).toBe(0);
    expect(await other.locator('#view-trades .empty').textContent()).toContain('No trade yet');
    await other.close();
  } finally {
    await real.close();
  }
});

it('makes only the JSON calls a script makes, from its own origin, and no script error', () => {
  expect(controlCalls.length).toBeGreaterThanOrEqual(6);
  for (const call of controlCalls) {
    expect(call.url.startsWith(`${paysim.sim.url}/_sim/`)).toBe(true);
    if (call.body !== null) expect(call.contentType).toBe('application/json');
    if (call.origin !== undefined) expect(call.origin).toBe(paysim.sim.url);
  }
  expect(controlCalls.map((call) => new URL(call.url).pathname)).toEqual(
    expect.arrayContaining(['/_sim/clock/advance', '/_sim/faults', '/_sim/buyer/pay', `/_sim/notifications/${simNotification(secondPaymentNo.value)!.id}/resend`]),
  );
  expect(pageErrors).toEqual([]);
  // Only the probe of an API this core may not have (reconciliation), which the page reports as such.
  expect(failedResponses.filter((response) => response !== '404 /api/reconciliations')).toEqual([]);
});
