// Channels speak Beijing time (UTC+8) on the wire whatever the time zone of the process, so these
// formatters take epoch milliseconds and never read the local zone.

const beijingOffsetMs = 8 * 60 * 60 * 1000;

function beijingParts(epochMs: number) {
  const shifted = new Date(epochMs + beijingOffsetMs);
  const pad = (value: number, width = 2) => value.toString().padStart(width, '0');
  return {
    year: pad(shifted.getUTCFullYear(), 4),
    month: pad(shifted.getUTCMonth() + 1),
    day: pad(shifted.getUTCDate()),
    hour: pad(shifted.getUTCHours()),
    minute: pad(shifted.getUTCMinutes()),
    second: pad(shifted.getUTCSeconds()),
    millisecond: pad(shifted.getUTCMilliseconds(), 3),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time. */
export function formatBeijingDateTime(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `yyyy-MM-dd` in Beijing time: the bill date an instant belongs to. */
export function formatBeijingDate(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `yyyyMMdd` in Beijing time (trade numbers, bill file names). */
export function formatBeijingCompactDate(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}${p.month}${p.day}`;
}

/** `yyyy年MM月dd日 HH:mm:ss`, as in bill file headers. */
export function formatBeijingChineseDateTime(epochMs: number): string {
  const p = beijingParts(epochMs);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}`;
}

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** Parses `yyyy-MM-dd[ HH:mm:ss]` as Beijing time; undefined when malformed or not a real date. */
export function parseBeijingDateTime(text: string): number | undefined {
  const match = dateTimePattern.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const epochMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - beijingOffsetMs;
  // Reject 2024-02-30 and friends: formatting must give back what was parsed.
  const roundTrip = match[4] === undefined ? formatBeijingDate(epochMs) : formatBeijingDateTime(epochMs);
  return roundTrip === text ? epochMs : undefined;
}

/** Start of the Beijing day (00:00:00 +08:00) containing the instant. */
export function beijingDayStart(epochMs: number): number {
  const shifted = epochMs + beijingOffsetMs;
  return shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - beijingOffsetMs;
}
