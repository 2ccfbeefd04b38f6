// The core's alerts as log lines for a person at a terminal. The core stores one alert per (kind,
// subject) with a count, but every occurrence is an event: a forged notification resent on the
// channel's schedule, or a flood of them, printed one line each, buried everything else (15,000 lines
// in one probe). So each interval prints an alert the first time it is seen, and at its end one line
// per alert that repeated, with the count; past a few subjects per kind, only counts.
// Time is passed in, so the collapsing is the same on a real and on a virtual clock.

export interface AlertLine {
  readonly kind: string;
  readonly subject: string;
  readonly detail: string;
}

/** Lines of distinct subjects printed per kind and interval; the rest are only counted. */
export const subjectsPerKindMax = 20;
export const alertIntervalMsDefault = 60_000;

interface Repeats {
  readonly kind: string;
  readonly subject: string;
  count: number;
}

export class AlertLines {
  private intervalStartMs: number | undefined;
  /** Alerts printed in this interval, by kind and subject, with the repeats not printed. */
  private readonly seen = new Map<string, Repeats>();
  private readonly subjectsByKind = new Map<string, number>();
  /** Alerts of a kind past subjectsPerKindMax in this interval: how many, on how many subjects. */
  private readonly overflow = new Map<string, { count: number; subjects: Set<string> }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = alertIntervalMsDefault,
  ) {}

  alert(alert: AlertLine, nowMs: number): void {
    if (this.intervalStartMs !== undefined && nowMs - this.intervalStartMs >= this.intervalMs) this.flush(nowMs);
    this.intervalStartMs ??= nowMs;
    const key = JSON.stringify([alert.kind, alert.subject]);
    const repeats = this.seen.get(key);
    if (repeats) {
      repeats.count += 1;
      return;
    }
    const subjects = this.subjectsByKind.get(alert.kind) ?? 0;
    if (subjects >= subjectsPerKindMax) {
      const overflow = this.overflow.get(alert.kind) ?? { count: 0, subjects: new Set<string>() };
      overflow.count += 1;
      overflow.subjects.add(alert.subject);
      this.overflow.set(alert.kind, overflow);
      return;
    }
    this.subjectsByKind.set(alert.kind, subjects + 1);
    this.seen.set(key, { kind: alert.kind, subject: alert.subject, count: 0 });
    this.write(`paysim core: alert ${alert.kind} ${alert.subject}: ${alert.detail}`);
  }

  /** Ends the interval: one line per alert that repeated and per kind that overflowed. */
  flush(nowMs: number): void {
    if (this.intervalStartMs === undefined) return;
    const seconds = Math.max(1, Math.round((nowMs - this.intervalStartMs) / 1000));
    for (const repeats of this.seen.values()) {
      if (repeats.count > 0) this.write(`paysim core: alert ${repeats.kind} ${repeats.subject}: ${repeats.count} more in the last ${seconds} s (one stored alert, counted)`);
    }
    for (const [kind, overflow] of this.overflow) {
      this.write(`paysim core: alert ${kind}: ${overflow.count} more on ${overflow.subjects.size} other subjects in the last ${seconds} s; the orders' alerts show each`);
    }
    this.seen.clear();
    this.subjectsByKind.clear();
    this.overflow.clear();
    this.intervalStartMs = undefined;
  }
}
