// Turns the simulator's journal (read in the world's process: the same entries GET /_sim/journal gives,
// without a loopback request after every step) into timeline entries: the core's calls
// to the channel, the channel's notifications to the core, what the channel did on its own, and every
// fault where it fired. Numbers are shown as the scenario's labels.
import { formatFen } from '../../lib/money.ts';
import type { Actor, TimelineEntry } from '../report/types.ts';
import type { Labels } from './labels.ts';

interface JournalEvent {
  readonly seq: number;
  readonly type: string;
  readonly atMs: number;
  readonly [field: string]: unknown;
}

/** Reads the journal entries after the last one read, oldest first. */
export class JournalReader {
  private lastSeq = 0;
  private readonly notifyKinds = new Map<string, string>();
  private readonly notifyTrades = new Map<string, string>();

  /** `since(seq)`: the journal's entries after `seq`, oldest first (World.journalSince). */
  constructor(private readonly since: (sinceSeq: number) => readonly JournalEvent[]) {}

  next(): JournalEvent[] {
    const events = [...this.since(this.lastSeq)];
    if (events.length > 0) this.lastSeq = events.at(-1)!.seq;
    for (const event of events) {
      if (event.type !== 'notify.scheduled') continue;
      this.notifyKinds.set(String(event.notificationId), String(event.kind));
      if (typeof event.outTradeNo === 'string') this.notifyTrades.set(String(event.notificationId), event.outTradeNo);
    }
    return events;
  }

  kindOf(notificationId: string): string {
    return this.notifyKinds.get(notificationId) ?? 'notification';
  }

  /** The trade a notification is about, as the channel scheduled it (a WeChat Pay body is encrypted). */
  tradeOf(notificationId: string): string | undefined {
    return this.notifyTrades.get(notificationId);
  }
}

function field(text: string, name: string): string | undefined {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // not percent-encoded: read it as it is
  }
  return new RegExp(`"?${name}"?\\s*[:=]\\s*"?([A-Za-z0-9_.-]+)`).exec(decoded)?.[1];
}

function answerCode(body: string): string | undefined {
  const subCode = /"sub_code"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  if (subCode) return subCode;
  const code = /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  return code;
}

const magicMark = ' (magic ';

/** Whether a timeline entry is a firing of one of the simulator's magic values rather than of a rule. */
export function isMagicFiring(entry: TimelineEntry): boolean {
  return entry.fault !== undefined && entry.label.includes(magicMark);
}

/** Where a fault of each layer shows on the sequence diagram. */
function faultArrow(api: string, faultType: string): { from: Actor; to: Actor } {
  if (api === 'notify' || faultType === 'late_success' || faultType === 'early_notify') return { from: 'channel', to: 'core' };
  if (api === 'buyer') return { from: 'buyer', to: 'channel' };
  if (api === 'refund' || api === 'bill') return { from: 'channel', to: 'channel' };
  return { from: 'channel', to: 'core' };
}

export function timelineOf(events: readonly JournalEvent[], reader: JournalReader, labels: Labels): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const named = (outTradeNo: string | undefined) => (outTradeNo && labels.knowsPayment(outTradeNo) ? `payment ${labels.paymentLabel(outTradeNo)}` : outTradeNo ? 'an unknown trade' : '');
  for (const event of events) {
    const atMs = event.atMs;
    switch (event.type) {
      case 'http.exchange': {
        if (event.channel === 'sim') break;
        const exchange = event.exchange as { method: string; path: string; requestBody: string; status: number; responseBody: string };
        if (exchange.path.startsWith('/cashier')) break;
        const outTradeNo = field(`${exchange.path} ${exchange.requestBody}`, 'out_trade_no');
        const code = exchange.status === 200 ? answerCode(exchange.responseBody) : undefined;
        entries.push({ atMs, from: /\.(page|wap)\.pay$/.test(String(event.api)) ? 'buyer' : 'core', to: 'channel', label: `${String(event.api)} ${named(outTradeNo)} → ${exchange.status}${code ? ` ${code}` : ''}`.replace(/\s+/g, ' ') });
        break;
      }
      case 'notify.attempted': {
        const body = String(event.requestBody ?? '');
        const outcome = event.status !== undefined ? `${event.status}${event.acknowledged ? ' success' : ` ${String(event.responseBody ?? '').slice(0, 40)}`}` : String(event.error ?? 'no answer');
        entries.push({ atMs, from: 'channel', to: 'core', label: `notify ${reader.kindOf(String(event.notificationId))} ${named(field(body, 'out_trade_no') ?? reader.tradeOf(String(event.notificationId)))} #${event.attempt} → ${outcome}`.replace(/\s+/g, ' ').trim() });
        break;
      }
      case 'fault.injected': {
        // A magic value's firing (ruleId magic:amount.04, magic:subject.drop) says so: no rule of the scenario fired.
        const magic = String(event.ruleId).startsWith('magic:') ? `${magicMark}${String(event.ruleId).slice('magic:'.length)})` : '';
        entries.push({ atMs, ...faultArrow(String(event.api), String(event.faultType)), label: `fault ${event.faultType}${magic} on ${event.api}${event.detail ? `: ${labels.relabel(String(event.detail)).slice(0, 80)}` : ''}`, fault: String(event.faultType) });
        break;
      }
      case 'trade.paid':
        entries.push({ atMs, from: 'channel', to: 'channel', label: `${named(String(event.outTradeNo))} paid ${formatFen(Number(event.amountFen))}` });
        break;
      case 'trade.closed':
        entries.push({ atMs, from: 'channel', to: 'channel', label: `${named(String(event.outTradeNo))} closed (${event.reason})` });
        break;
      case 'refund.succeeded':
        entries.push({ atMs, from: 'channel', to: 'channel', label: `refund of ${named(String(event.outTradeNo))} done: ${formatFen(Number(event.amountFen))}` });
        break;
      case 'refund.failed':
        entries.push({ atMs, from: 'channel', to: 'channel', label: `refund of ${named(String(event.outTradeNo))} failed: ${event.reason}` });
        break;
      default:
        break;
    }
  }
  return entries;
}
