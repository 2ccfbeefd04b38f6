// The page shell of every paysim page: a report inlines the stylesheet and needs nothing else; a
// server links its own; every text in the bar is escaped.
import { expect, it } from 'vitest';
import { pageShell } from '../../../lib/dashboard/look.ts';
import { renderTimeline } from '../../../lib/dashboard/timeline.ts';

it('makes a self-contained page for a report: the stylesheet inline, no script, nothing from elsewhere', () => {
  const html = pageShell({
    title: 'scenario report',
    product: 'scenarios',
    nav: [],
    inlineCss: true,
    bodyHtml: renderTimeline([{ id: 'core', title: 'core' }, { id: 'channel', title: 'channel' }], [{ atMs: 0, from: 'core', to: 'channel', label: 'precreate' }]),
  });
  expect(html).toContain('<style>');
  expect(html).toContain('.tl-arrow');
  expect(html).not.toMatch(/<link rel="stylesheet"|<script|https?:\/\//);
});

it('links the served stylesheet and scripts, and escapes the title, the product and the navigation', () => {
  const html = pageShell({
    title: '<t>', product: '"p"', nav: [{ href: '/#a&b', label: '<x>', id: 'nav-a' }], bodyHtml: '<p>body</p>',
    cssHref: '/dashboard/assets/style.css', scripts: ['/dashboard/assets/ui.js'],
  });
  expect(html).toContain('<link rel="stylesheet" href="/dashboard/assets/style.css">');
  expect(html).toContain('<script type="module" src="/dashboard/assets/ui.js"></script>');
  expect(html).toContain('<title>&lt;t&gt;</title>');
  expect(html).toContain('<small>&quot;p&quot;</small>');
  expect(html).toContain('<a href="/#a&amp;b" id="nav-a">&lt;x&gt;</a>');
  expect(html).toContain('<p>body</p>');
});
