import { describe, expect, it } from 'vitest';
import { nextQueryAtMs, queryAttemptsMax, validateQuerySteps } from '../../../core/domain/index.ts';
import { hourMs, minuteMs, startMs } from './fixtures.ts';

const at = (ageMs: number, attempts = 0) => nextQueryAtMs(startMs, attempts, startMs + ageMs);

describe('payment query schedule', () => {
  it('queries every minute for the first 10 minutes', () => {
    expect(at(0)).toEqual({ outcome: 'queryAt', atMs: startMs + minuteMs });
    expect(at(minuteMs)).toEqual({ outcome: 'queryAt', atMs: startMs + 2 * minuteMs });
    expect(at(9 * minuteMs + 30_000)).toEqual({ outcome: 'queryAt', atMs: startMs + 10 * minuteMs });
  });

  it('queries every 10 minutes from 10 minutes to an hour', () => {
    expect(at(10 * minuteMs)).toEqual({ outcome: 'queryAt', atMs: startMs + 20 * minuteMs });
    expect(at(25 * minuteMs)).toEqual({ outcome: 'queryAt', atMs: startMs + 30 * minuteMs });
    expect(at(59 * minuteMs)).toEqual({ outcome: 'queryAt', atMs: startMs + hourMs });
  });

  it('queries hourly from an hour to a day', () => {
    expect(at(hourMs)).toEqual({ outcome: 'queryAt', atMs: startMs + 2 * hourMs });
    expect(at(5 * hourMs + 1)).toEqual({ outcome: 'queryAt', atMs: startMs + 6 * hourMs });
    expect(at(23 * hourMs)).toEqual({ outcome: 'queryAt', atMs: startMs + 24 * hourMs });
  });

  it('stops after a day so that a person decides, rather than assuming failure', () => {
    expect(at(24 * hourMs)).toEqual({ outcome: 'exhausted' });
    expect(at(30 * hourMs)).toEqual({ outcome: 'exhausted' });
  });

  it('lands on the same grid when the poller runs late', () => {
    expect(at(3 * minuteMs + 59_000)).toEqual({ outcome: 'queryAt', atMs: startMs + 4 * minuteMs });
    expect(at(3 * minuteMs + 1)).toEqual({ outcome: 'queryAt', atMs: startMs + 4 * minuteMs });
  });

  it('plans the first query a minute after creation even if the clock reads earlier', () => {
    expect(at(-5000)).toEqual({ outcome: 'queryAt', atMs: startMs + minuteMs });
  });

  it('has 38 grid points and stops at that many attempts whatever the clock says', () => {
    expect(queryAttemptsMax()).toBe(10 + 5 + 23);
    expect(at(0, 37)).toEqual({ outcome: 'queryAt', atMs: startMs + minuteMs });
    expect(at(0, 38)).toEqual({ outcome: 'exhausted' });
  });

  it('visits exactly the grid points when followed step by step', () => {
    const times: number[] = [];
    let nowMs = startMs;
    for (let attempts = 0; ; attempts++) {
      const plan = nextQueryAtMs(startMs, attempts, nowMs);
      if (plan.outcome === 'exhausted') break;
      times.push((plan.atMs - startMs) / minuteMs);
      nowMs = plan.atMs;
    }
    expect(times).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60,
      ...Array.from({ length: 23 }, (_, index) => (index + 2) * 60),
    ]);
  });

  it('rejects a negative attempt count as a bug', () => {
    expect(() => at(0, -1)).toThrow();
  });

  it('finds problems in a configured schedule', () => {
    expect(validateQuerySteps([])).not.toEqual([]);
    expect(validateQuerySteps([{ untilAgeMs: hourMs, everyMs: 0 }])).not.toEqual([]);
    expect(validateQuerySteps([{ untilAgeMs: hourMs, everyMs: minuteMs }, { untilAgeMs: hourMs, everyMs: minuteMs }])).not.toEqual([]);
    expect(validateQuerySteps([{ untilAgeMs: hourMs, everyMs: minuteMs }])).toEqual([]);
  });
});
