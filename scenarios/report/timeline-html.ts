// A sequence timeline in plain HTML and CSS (no script, no network): one lifeline per party, one row
// per message, faults marked in red where they fired. Knows nothing of scenarios or the runner, so the
// dashboard can draw the same picture from its own events.

export interface TimelineLane {
  readonly id: string;
  readonly title: string;
}

export interface TimelineMessage {
  readonly atMs: number;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly fault?: string;
}

export interface TimelineOptions {
  /** Messages shown at most; the rest are counted in a last row. */
  readonly rowsMax?: number;
}

const dayMs = 86_400_000;
const beijingOffsetMs = 8 * 3_600_000;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clock(atMs: number, firstDay: number): string {
  const local = atMs + beijingOffsetMs;
  const day = Math.floor(local / dayMs) - firstDay;
  const inDay = new Date(local).toISOString().slice(11, 19);
  return day === 0 ? inDay : `+${day}d ${inDay}`;
}

/** Consecutive messages that differ only in time are one row ("×12"), so a retry loop stays readable. */
function grouped(messages: readonly TimelineMessage[]): { message: TimelineMessage; count: number; lastAtMs: number }[] {
  const rows: { message: TimelineMessage; count: number; lastAtMs: number }[] = [];
  for (const message of messages) {
    const last = rows.at(-1);
    if (last && last.message.from === message.from && last.message.to === message.to && last.message.label === message.label && last.message.fault === message.fault) {
      last.count++;
      last.lastAtMs = message.atMs;
    } else rows.push({ message, count: 1, lastAtMs: message.atMs });
  }
  return rows;
}

export const timelineCss = `
.tl{display:grid;gap:0;font:12px/1.35 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:8px 0 16px;border:1px solid #d8dde3;border-radius:6px;overflow:hidden}
.tl .hd{position:sticky;top:0;background:#26323d;color:#fff;font-weight:600;padding:6px 4px;text-align:center;z-index:3}
.tl .t{grid-column:1;color:#5a6572;font-variant-numeric:tabular-nums;padding:3px 6px;white-space:nowrap;border-right:1px solid #e3e7eb}
.tl .life{background:linear-gradient(#b9c2cc,#b9c2cc) no-repeat center/1px 100%;min-height:22px}
.tl .row-odd{background-color:#f7f9fa}
.tl .msg{position:relative;z-index:2;align-self:end;padding:0 2px 2px}
.tl .msg .lb{display:block;text-align:center;padding:0 4px 1px;overflow-wrap:anywhere;color:#1d2630}
.tl .msg .ln{display:block;height:0;border-top:1.5px solid #3b6ea5;position:relative}
.tl .msg.r .ln::after,.tl .msg.l .ln::before{content:"";position:absolute;top:-5px;border:4.5px solid transparent}
.tl .msg.r .ln::after{right:-2px;border-left:7px solid #3b6ea5}
.tl .msg.l .ln::before{left:-2px;border-right:7px solid #3b6ea5}
.tl .msg.self{align-self:center;text-align:center}
.tl .msg.self .lb{display:inline-block;background:#eef3f8;border:1px solid #c9d6e3;border-radius:4px}
.tl .msg.fault .lb{color:#b3261e;font-weight:600}
.tl .msg.fault .ln{border-top-color:#d93025;border-top-style:dashed}
.tl .msg.fault.r .ln::after{border-left-color:#d93025}.tl .msg.fault.l .ln::before{border-right-color:#d93025}
.tl .msg.fault.self .lb{background:#fdecea;border-color:#f3b8b2}
.tl .n{color:#5a6572;font-weight:400}
.tl .more{grid-column:1/-1;padding:6px;color:#5a6572;text-align:center}
`;

/** The timeline as an HTML fragment; include `timelineCss` once in the page. */
export function renderTimeline(lanes: readonly TimelineLane[], messages: readonly TimelineMessage[], options: TimelineOptions = {}): string {
  const column = new Map(lanes.map((lane, index) => [lane.id, index + 2]));
  const rowsMax = options.rowsMax ?? 400;
  const rows = grouped(messages);
  const firstDay = messages.length > 0 ? Math.floor((messages[0]!.atMs + beijingOffsetMs) / dayMs) : 0;
  const html: string[] = [`<div class="tl" style="grid-template-columns:92px repeat(${lanes.length},minmax(120px,1fr))">`];
  html.push('<div class="hd">time</div>', ...lanes.map((lane) => `<div class="hd">${escape(lane.title)}</div>`));
  for (const [index, { message, count, lastAtMs }] of rows.slice(0, rowsMax).entries()) {
    const row = index + 2;
    const odd = index % 2 === 1 ? ' row-odd' : '';
    html.push(`<div class="t${odd}" style="grid-row:${row}">${clock(message.atMs, firstDay)}</div>`);
    for (const lane of lanes) html.push(`<div class="life${odd}" style="grid-row:${row};grid-column:${column.get(lane.id)}"></div>`);
    const from = column.get(message.from) ?? 2;
    const to = column.get(message.to) ?? 2;
    const times = count > 1 ? ` <span class="n">×${count} until ${clock(lastAtMs, firstDay)}</span>` : '';
    const fault = message.fault ? ' fault' : '';
    const label = `${message.fault ? '⚡ ' : ''}${escape(message.label)}${times}`;
    if (from === to) {
      html.push(`<div class="msg self${fault}" style="grid-row:${row};grid-column:${from}"><span class="lb">${label}</span></div>`);
      continue;
    }
    const span = Math.abs(to - from) + 1;
    const inset = `calc(100% / ${2 * span})`;
    html.push(
      `<div class="msg ${to > from ? 'r' : 'l'}${fault}" style="grid-row:${row};grid-column:${Math.min(from, to)} / span ${span};margin:0 ${inset}"><span class="lb">${label}</span><span class="ln"></span></div>`,
    );
  }
  if (rows.length > rowsMax) html.push(`<div class="more">… ${rows.length - rowsMax} more rows (report.json has every entry)</div>`);
  html.push('</div>');
  return html.join('');
}
