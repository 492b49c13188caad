import {
  MAX_OCCURRENCES_COUNTED,
  occurrencesBetween,
  projectDay,
  unitsPerRun,
  type ProjectionJob,
} from '../../../src-server/domain/quota-projection';

const H = 3_600_000;
const NOW = Date.parse('2026-01-05T12:00:00Z');
const RESET = Date.parse('2026-01-06T08:00:00Z'); // midnight Pacific

/** Every `everyMs` from `startMs`. */
const every =
  (everyMs: number, startMs = 0) =>
  (after: number): number =>
    startMs + (Math.floor((after - startMs) / everyMs) + 1) * everyMs;

function job(id: string, priority: number, everyMs: number, history: [number, number][] = [[10, 5]], channels = 1): ProjectionJob {
  return { id, name: `Job ${id}`, priority, channels, next: every(everyMs), history };
}

const input = (jobs: ProjectionJob[], usedUnits = 0, dailyBudget = 10_000) => ({
  jobs,
  nowMs: NOW,
  resetMs: RESET,
  usedUnits,
  dailyBudget,
  runtimeUsedMs: 0,
  idleEstimateMs: 0,
});

describe('projected day', () => {
  test('units: used today plus each occurrence until the reset at the median of recent runs', () => {
    // 20 hours to the reset: an hourly job runs 20 times, at 3 units (median of 1, 3, 50).
    const p = projectDay(
      input(
        [
          job('a', 5, H, [
            [1, 2],
            [3, 4],
            [50, 100],
          ]),
        ],
        100,
      ),
    );
    expect(p.youtube).toMatchObject({ used: 100, projected: 160, planned: 160, runs_left: 20, deferred: [] });
    // The next 24 h: 24 runs of 4 s.
    expect(p.runtime.projected_ms_24h).toBe(24 * 4_000);
  });

  test('a job that never ran is estimated from its channels', () => {
    expect(unitsPerRun({ channels: 3, history: [] })).toBe(9);
  });

  test('within the budget nothing is deferred', () => {
    const p = projectDay(input([job('a', 1, H), job('b', 9, H)], 0, 400));
    expect(p.youtube.projected).toBe(400);
    expect(p.youtube.deferred).toEqual([]);
  });

  test('over the budget the lowest priorities wait, never a higher one', () => {
    // Each job: 20 runs × 10 units = 200 units; 700 of budget with 100 used leaves room for 3.
    const jobs = [job('low', 1, H), job('top', 10, H), job('mid', 5, H), job('high', 8, H), job('lower', 2, H)];
    const p = projectDay(input(jobs, 100, 700));
    expect(p.youtube.projected).toBe(1_100);
    expect(p.youtube.planned).toBe(700);
    expect(p.youtube.deferred.map((d) => d.id)).toEqual(['lower', 'low']);
    expect(p.youtube.deferred[0]).toMatchObject({ priority: 2, units: 200 });
  });

  test('once a job does not fit, a cheaper job of lower priority does not jump ahead of it', () => {
    const big = job('big', 8, H, [[100, 1]]); // 2,000 units
    const small = job('small', 3, H, [[1, 1]]); // 20 units
    const p = projectDay(input([big, small], 0, 1_000));
    expect(p.youtube.deferred.map((d) => d.id)).toEqual(['big', 'small']);
  });

  test('equal priorities: the earlier first run keeps its place', () => {
    const early = { ...job('early', 5, 24 * H), next: (after: number) => (after < NOW + H ? NOW + H : null) };
    const late = { ...job('late', 5, 24 * H), next: (after: number) => (after < NOW + 5 * H ? NOW + 5 * H : null) };
    const p = projectDay(input([late, early], 0, 15));
    expect(p.youtube.deferred.map((d) => d.id)).toEqual(['late']);
  });

  test('a job with no occurrence before the reset is never deferred', () => {
    const tomorrow = { ...job('tomorrow', 1, 24 * H), next: (after: number) => (after < RESET + H ? RESET + H : null) };
    const p = projectDay(input([job('a', 9, H), tomorrow], 0, 100));
    expect(p.youtube.deferred.map((d) => d.id)).toEqual(['a']);
  });

  test('occurrences are counted up to a cap (an every-minute job)', () => {
    expect(occurrencesBetween(every(1_000), 0, 10 * 24 * H).count).toBe(MAX_OCCURRENCES_COUNTED);
    expect(occurrencesBetween(every(H), NOW, RESET)).toEqual({ count: 20, first: NOW + H });
  });
});
