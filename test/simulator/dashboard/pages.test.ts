// The dashboard's pages over HTTP: the page at `/`, a template for every fault type that the rule
// decoder accepts, a trade's page that escapes what it shows, and only the files it names.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPaysim, type Paysim } from '../../core/integration/paysim.ts';
import { faultTemplates } from '../../../simulator/dashboard/fault-templates.ts';
import { faultTypes } from '../../../simulator/faults/rule.ts';

let paysim: Paysim;
beforeAll(async () => {
  paysim = await startPaysim();
});
afterAll(async () => {
  await paysim.close();
});

const get = (path: string) => fetch(`${paysim.sim.url}${path}`);

it('serves the dashboard at / with its data, its stylesheet and its scripts, from its own origin only', async () => {
  const page = await get('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();
  expect(html).toContain('<script type="application/json" id="dashboard-data">');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from another host: works offline
  for (const asset of ['style.css', 'ui.js', 'simulator.js', 'common.js', 'faults-view.js', 'journal-view.js']) {
    const response = await get(`/dashboard/assets/${asset}`);
    expect(response.status, asset).toBe(200);
    expect(await response.text()).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
  }
  const unknown = await get('/dashboard/assets/..%2Fserver.ts');
  expect(unknown.status).toBe(404);
  expect((await unknown.json()).code).toBe('NOT_FOUND');
});

it('offers a template of every fault type, each a rule the decoder accepts', () => {
  expect(faultTemplates.map((template) => template.type).sort()).toEqual([...faultTypes].sort());
  for (const template of faultTemplates) {
    const rule = { match: template.api ? { api: template.api } : {}, fault: template.fault };
    const decoded = paysim.sim.engine.faults.decode(rule);
    expect(decoded, `${template.type}: ${decoded.ok ? '' : decoded.message}`).toMatchObject({ ok: true, value: rule });
  }
});

it('shows a trade on its own page with what it says escaped, and a 404 page that escapes the path', async () => {
  const { paymentNo } = await paysim.orderAndPay('9.90', { subject: '<script>alert(1)</script> & co' });
  const appId = paysim.sim.defaultAppId('alipay');
  const page = await get(`/dashboard/trades/alipay/${appId}/${paymentNo}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
  expect(html).not.toContain('<script>alert(1)');
  expect(html).toContain('data-buyer="success"');

  const missing = await get(`/dashboard/trades/alipay/${appId}/%3Cimg%20src%3Dx%3E`);
  expect(missing.status).toBe(404);
  const text = await missing.text();
  expect(text).toContain('&lt;img src=x&gt;');
  expect(text).not.toContain('<img');
});
