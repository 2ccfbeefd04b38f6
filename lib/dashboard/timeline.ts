// The sequence timeline of one trade or one scenario: participants as lifelines, messages as arrows in
// time order, faults marked where they fired. A pure function from data to escaped HTML, so the
// simulator's trade page and the scenario report draw the same picture with the same stylesheet.
import { escapeHtml } from '../http.ts';

/** A lifeline: `id` is what messages name in `from` and `to`, `title` what the header shows. */
export interface TimelineLane {
  readonly id: string;
  readonly title: string;
}

export interface TimelineMessage {
  readonly atMs: number;
  /** Lane ids; from = to draws a note on that lifeline (a state change, a fault with no message). */
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The fault that changed this message, if one did: drawn in red with its name. */
  readonly fault?: string;
  /** A second, quieter line under the label (a status, the merchant's answer). */
  readonly detail?: string;
}

export interface TimelineOptions {
  /** How a time is shown; default: HH:mm:ss.SSS in UTC. */
  readonly formatTime?: (atMs: number) => string;
  readonly emptyText?: string;
  /** Rows drawn at most (default 400); the rest are counted in a last line. */
  readonly rowsMax?: number;
}

const defaultFormat = (atMs: number) => new Date(atMs).toISOString().slice(11, 23);

export const timelineCss = `.timeline{--lanes:3;font-size:12.5px;overflow-x:auto}
.tl-row{display:grid;grid-template-columns:92px repeat(calc(var(--lanes) * 2),minmax(70px,1fr));align-items:end;min-height:38px}
.tl-row>*{grid-row:1}
.tl-head{position:sticky;top:0;background:var(--card,#fff);z-index:2;min-height:30px;align-items:center}
.tl-head .tl-name{text-align:center;font-weight:650;padding:.25rem;border:1px solid var(--line,#e4e7ec);border-radius:6px;background:#f9fafb;margin:0 .4rem}
.tl-time{font-family:var(--mono,monospace);color:var(--muted,#667085);font-size:11.5px;align-self:center}
.tl-life{height:100%;position:relative}
.tl-life::before{content:"";position:absolute;left:50%;top:0;bottom:0;border-left:1px dashed #c6cbd4}
.tl-arrow{position:relative;z-index:1;border-bottom:2px solid #5566c9;margin-bottom:9px;padding:0 10px 2px;text-align:center;min-width:0}
.tl-arrow::after{content:"";position:absolute;bottom:-6px;border:5px solid transparent}
.tl-arrow.right::after{right:-2px;border-left:8px solid #5566c9;border-right:0}
.tl-arrow.left::after{left:-2px;border-right:8px solid #5566c9;border-left:0}
.tl-arrow.note{border:1px solid #c6cbd4;border-radius:6px;background:#f9fafb;margin:4px 6px;padding:2px 6px}
.tl-arrow.note::after{display:none}
.tl-arrow.fault{border-bottom-color:#d92d20;border-bottom-style:dashed}
.tl-arrow.fault.right::after{border-left-color:#d92d20} .tl-arrow.fault.left::after{border-right-color:#d92d20}
.tl-arrow.note.fault{border-color:#f3b5ae;background:#fdecea}
.tl-label{display:block;overflow-wrap:anywhere}
.tl-detail{display:block;color:var(--muted,#667085);font-size:11.5px;overflow-wrap:anywhere}
.tl-count{color:var(--muted,#667085);font-weight:400}
.tl-more{color:var(--muted,#667085);text-align:center;margin:.4rem 0}
.tl-fault{display:inline-block;margin-right:.35rem;padding:0 .35rem;border-radius:4px;background:#d92d20;color:#fff;font-size:11px;font-weight:650}
`;

/** Consecutive messages that differ only in time are one row ("×12 until …"), so a retry loop stays readable. */
function grouped(messages: readonly TimelineMessage[]): { message: TimelineMessage; count: number; lastAtMs: number }[] {
  const rows: { message: TimelineMessage; count: number; lastAtMs: number }[] = [];
  for (const message of messages) {
    const last = rows.at(-1);
    const same = last && (['from', 'to', 'label', 'fault', 'detail'] as const).every((field) => last.message[field] === message[field]);
    if (last && same) {
      last.count++;
      last.lastAtMs = message.atMs;
    } else rows.push({ message, count: 1, lastAtMs: message.atMs });
  }
  return rows;
}

/** The timeline as an HTML fragment; the page includes `timelineCss` once (pageCss's pages do). */
export function renderTimeline(lanes: readonly TimelineLane[], messages: readonly TimelineMessage[], options: TimelineOptions = {}): string {
  const format = options.formatTime ?? defaultFormat;
  const rowsMax = options.rowsMax ?? 400;
  const laneOf = (id: string) => {
    const index = lanes.findIndex((lane) => lane.id === id);
    if (index < 0) throw new Error(`timeline message names "${id}", which is not a lane (${lanes.map((lane) => lane.id).join(', ')})`);
    return index;
  };
  const lifelines = lanes.map((_, lane) => `<div class="tl-life" style="grid-column:${2 + 2 * lane} / span 2"></div>`).join('');
  const head = `<div class="tl-row tl-head"><span class="tl-time">time</span>${lanes
    .map((lane, index) => `<div class="tl-name" style="grid-column:${2 + 2 * index} / span 2">${escapeHtml(lane.title)}</div>`)
    .join('')}</div>`;
  const rows = grouped(messages);
  const drawn = rows.slice(0, rowsMax).map(({ message, count, lastAtMs }) => {
    const from = laneOf(message.from);
    const to = laneOf(message.to);
    const note = from === to;
    const [start, end] = note ? [2 + 2 * from, 4 + 2 * from] : [3 + 2 * Math.min(from, to), 3 + 2 * Math.max(from, to)];
    const classes = ['tl-arrow', note ? 'note' : to > from ? 'right' : 'left', ...(message.fault ? ['fault'] : [])].join(' ');
    const fault = message.fault ? `<span class="tl-fault">${escapeHtml(message.fault)}</span>` : '';
    const times = count > 1 ? ` <span class="tl-count">×${count} until ${escapeHtml(format(lastAtMs))}</span>` : '';
    const detail = message.detail ? `<span class="tl-detail">${escapeHtml(message.detail)}</span>` : '';
    const title = escapeHtml([message.fault ? `fault ${message.fault}` : '', message.label, message.detail ?? ''].filter(Boolean).join(' · '));
    return `<div class="tl-row"><span class="tl-time">${escapeHtml(format(message.atMs))}</span>${lifelines}<div class="${classes}" style="grid-column:${start} / ${end}" title="${title}"><span class="tl-label">${fault}${escapeHtml(message.label)}${times}</span>${detail}</div></div>`;
  });
  const more = rows.length > rowsMax ? `<p class="tl-more">… ${rows.length - rowsMax} more rows not drawn</p>` : '';
  const body = drawn.length > 0 ? drawn.join('') + more : `<p class="empty">${escapeHtml(options.emptyText ?? 'nothing happened yet')}</p>`;
  return `<div class="timeline" style="--lanes:${lanes.length}">${head}${body}</div>`;
}
