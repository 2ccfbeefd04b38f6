// The sequence timeline shared by the trade page and the scenario report: lanes in order, arrows that
// point the way the message went, faults marked, retry loops folded into one row, and every text escaped.
import { expect, it } from 'vitest';
import { renderTimeline, type TimelineLane } from '../../../lib/dashboard/timeline.ts';
import { pageData } from '../../../lib/dashboard/links.ts';

const lanes: TimelineLane[] = [
  { id: 'buyer', title: 'buyer' },
  { id: 'merchant', title: 'merchant' },
  { id: 'channel', title: 'channel' },
];

it('draws each message as an arrow from its sender to its receiver, and a note when both are one', () => {
  const html = renderTimeline(lanes, [
    { atMs: 0, from: 'merchant', to: 'channel', label: 'alipay.trade.precreate' },
    { atMs: 1000, from: 'channel', to: 'merchant', label: 'notify #1', fault: 'drop', detail: 'dropped' },
    { atMs: 2000, from: 'channel', to: 'channel', label: 'paid' },
  ]);
  expect(html.match(/class="tl-name"/g)).toHaveLength(3);
  expect(html).toContain('class="tl-arrow right" style="grid-column:5 / 7"');
  expect(html).toContain('class="tl-arrow left fault" style="grid-column:5 / 7"');
  expect(html).toContain('class="tl-arrow note" style="grid-column:6 / 8"');
  expect(html).toContain('<span class="tl-fault">drop</span>');
  expect(html).toContain('00:00:01.000');
});

it('folds consecutive messages that differ only in time into one row, and counts the rows it leaves out', () => {
  const retries = Array.from({ length: 5 }, (_, index) => ({ atMs: index * 60_000, from: 'core', to: 'channel', label: 'query' }));
  const html = renderTimeline([{ id: 'core', title: 'core' }, { id: 'channel', title: 'channel' }], [...retries, { atMs: 400_000, from: 'channel', to: 'core', label: 'notify' }]);
  expect(html.match(/class="tl-arrow/g)).toHaveLength(2);
  expect(html).toContain('×5 until 00:04:00.000');

  const many = Array.from({ length: 30 }, (_, index) => ({ atMs: index, from: 'core', to: 'channel', label: `call ${index}` }));
  const limited = renderTimeline([{ id: 'core', title: 'core' }, { id: 'channel', title: 'channel' }], many, { rowsMax: 10 });
  expect(limited.match(/class="tl-arrow/g)).toHaveLength(10);
  expect(limited).toContain('… 20 more rows not drawn');
});

it('escapes labels, details, faults and lane titles', () => {
  const html = renderTimeline([{ id: 'a', title: '<b>' }, { id: 'x', title: 'x' }], [{ atMs: 0, from: 'a', to: 'x', label: '<img src=y>', detail: '"&"', fault: '<i>' }]);
  expect(html).not.toMatch(/<(b|img|i)[ >]/);
  expect(html).toContain('&lt;img src=y&gt;');
  expect(html).toContain('&quot;&amp;&quot;');
});

it('refuses a message from a lane that does not exist, and names the lanes', () => {
  expect(() => renderTimeline(lanes, [{ atMs: 0, from: 'bank', to: 'channel', label: 'x' }])).toThrow(/"bank".*buyer, merchant, channel/);
});

it('says so when nothing happened', () => {
  expect(renderTimeline(lanes, [], { emptyText: 'no exchange yet' })).toContain('no exchange yet');
});

it('embeds page data as JSON that cannot end its script element', () => {
  const html = pageData('d', { text: '</script><script>alert(1)</script>' });
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(JSON.parse(/>(.*)<\/script>$/.exec(html)![1]!)).toEqual({ text: '</script><script>alert(1)</script>' });
});
