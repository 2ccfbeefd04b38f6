// The sequence timeline shared by the trade page and the scenario report: lanes in order, arrows that
// point the way the message went, faults marked, and every text escaped.
import { expect, it } from 'vitest';
import { renderTimeline } from '../../../lib/dashboard/timeline.ts';
import { pageData } from '../../../lib/dashboard/links.ts';

const participants = ['buyer', 'merchant', 'channel'];

it('draws each message as an arrow from its sender to its receiver, and a note when both are one', () => {
  const html = renderTimeline({
    participants,
    messages: [
      { atMs: 0, from: 'merchant', to: 'channel', label: 'alipay.trade.precreate' },
      { atMs: 1000, from: 'channel', to: 'merchant', label: 'notify #1', fault: 'drop', detail: 'dropped' },
      { atMs: 2000, from: 'channel', to: 'channel', label: 'paid' },
    ],
  });
  expect(html.match(/class="tl-name"/g)).toHaveLength(3);
  expect(html).toContain('class="tl-arrow right" style="grid-column:5 / 7"');
  expect(html).toContain('class="tl-arrow left fault" style="grid-column:5 / 7"');
  expect(html).toContain('class="tl-arrow note" style="grid-column:6 / 8"');
  expect(html).toContain('<span class="tl-fault">drop</span>');
  expect(html).toContain('00:00:01.000');
});

it('escapes labels, details, faults and participant names', () => {
  const html = renderTimeline({ participants: ['<b>', 'x'], messages: [{ atMs: 0, from: '<b>', to: 'x', label: '<img src=y>', detail: '"&"', fault: '<i>' }] });
  expect(html).not.toMatch(/<(b|img|i)[ >]/);
  expect(html).toContain('&lt;img src=y&gt;');
  expect(html).toContain('&quot;&amp;&quot;');
});

it('refuses a message from someone who is not a participant, and says who is', () => {
  expect(() => renderTimeline({ participants, messages: [{ atMs: 0, from: 'bank', to: 'channel', label: 'x' }] })).toThrow(/"bank".*buyer, merchant, channel/);
});

it('says so when nothing happened', () => {
  expect(renderTimeline({ participants, messages: [] }, { emptyText: 'no exchange yet' })).toContain('no exchange yet');
});

it('embeds page data as JSON that cannot end its script element', () => {
  const html = pageData('d', { text: '</script><script>alert(1)</script>' });
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(JSON.parse(/>(.*)<\/script>$/.exec(html)![1]!)).toEqual({ text: '</script><script>alert(1)</script>' });
});
