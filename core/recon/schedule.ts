// Bill days and the daily run, in Beijing time (UTC+8, no daylight saving), on the injected clock.
import { beijingDayStart, formatBeijingDate, parseBeijingDateTime } from '../../lib/time-format.ts';

const dayMs = 86_400_000;

/** A day's bill exists only once the day is over (T+1). */
export function billDayOver(billDate: string, nowMs: number): boolean {
  const dayStartMs = parseBeijingDateTime(billDate);
  return dayStartMs !== undefined && beijingDayStart(nowMs) > dayStartMs;
}

/** The Beijing day before the one `nowMs` falls in. */
export function previousBillDate(nowMs: number): string {
  return formatBeijingDate(beijingDayStart(nowMs) - dayMs);
}

/** The first instant at or after `fromMs` that is `HH:mm` Beijing time. */
export function nextDailyRunAtMs(fromMs: number, dailyAt: string): number {
  const [hours, minutes] = dailyAt.split(':').map(Number) as [number, number];
  const todayAtMs = beijingDayStart(fromMs) + (hours * 60 + minutes) * 60_000;
  return todayAtMs >= fromMs ? todayAtMs : todayAtMs + dayMs;
}
