import { expect, it } from 'vitest';
import { beijingDayStart, formatBeijingChineseDateTime, formatBeijingCompactDate, formatBeijingDate, formatBeijingDateTime, parseBeijingDateTime } from '../../lib/time-format.ts';

// 2026-01-01 00:30:00 in Beijing is 2025-12-31 16:30:00 UTC.
const instant = Date.UTC(2025, 11, 31, 16, 30, 0);

it('formats instants in Beijing time whatever the process time zone', () => {
  expect(formatBeijingDateTime(instant)).toBe('2026-01-01 00:30:00');
  expect(formatBeijingDate(instant)).toBe('2026-01-01');
  expect(formatBeijingCompactDate(instant)).toBe('20260101');
  expect(formatBeijingChineseDateTime(instant)).toBe('2026年01月01日 00:30:00');
});

it('parses Beijing date-times back to the same instant', () => {
  expect(parseBeijingDateTime('2026-01-01 00:30:00')).toBe(instant);
  expect(parseBeijingDateTime('2026-01-01')).toBe(Date.UTC(2025, 11, 31, 16, 0, 0));
});

it('rejects malformed and impossible dates', () => {
  for (const bad of ['2026-02-30', '2026-13-01', '2026-1-1', '2026-01-01T00:00:00', '2026-01-01 24:00:00', 'yesterday', '']) {
    expect(parseBeijingDateTime(bad), bad).toBeUndefined();
  }
});

it('finds the start of the Beijing day an instant belongs to', () => {
  expect(beijingDayStart(instant)).toBe(Date.UTC(2025, 11, 31, 16, 0, 0));
  expect(beijingDayStart(Date.UTC(2025, 11, 31, 15, 59, 59))).toBe(Date.UTC(2025, 11, 30, 16, 0, 0));
});
