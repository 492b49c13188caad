import { describeSchedule, nextRuns, previousRun, type ScheduleFields } from '../../../src-server/domain/schedule';

function job(
  schedule_type: ScheduleFields['schedule_type'],
  schedule_value: string,
  timezone = 'UTC',
  start_at: string | null = null,
  end_at: string | null = null,
): ScheduleFields {
  return { schedule_type, schedule_value, timezone, start_at, end_at };
}
const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace(':00.000Z', 'Z'));
const at = (s: string) => new Date(s);

describe('daily', () => {
  it('runs at the local time every day, strictly after from', () => {
    expect(iso(nextRuns(job('daily', '09:00', 'America/New_York'), at('2026-01-05T14:00:00Z'), 3))).toEqual([
      '2026-01-06T14:00Z',
      '2026-01-07T14:00Z',
      '2026-01-08T14:00Z',
    ]);
    expect(iso(nextRuns(job('daily', '09:00', 'America/New_York'), at('2026-01-05T13:59:59Z'), 1))).toEqual(['2026-01-05T14:00Z']);
  });
  it('runs several times a day in order', () => {
    expect(iso(nextRuns(job('daily', '17:30,09:00', 'Asia/Kolkata'), at('2026-01-05T00:00:00Z'), 3))).toEqual([
      '2026-01-05T03:30Z',
      '2026-01-05T12:00Z',
      '2026-01-06T03:30Z',
    ]);
  });
  it('New York spring-forward: 02:30 does not exist, runs at 03:00 EDT that day, then 02:30 again', () => {
    expect(iso(nextRuns(job('daily', '02:30', 'America/New_York'), at('2026-03-07T12:00:00Z'), 3))).toEqual([
      '2026-03-08T07:00Z',
      '2026-03-09T06:30Z',
      '2026-03-10T06:30Z',
    ]);
  });
  it('New York fall-back: 01:30 happens twice, runs once (the first, EDT)', () => {
    expect(iso(nextRuns(job('daily', '01:30', 'America/New_York'), at('2026-10-31T12:00:00Z'), 2))).toEqual([
      '2026-11-01T05:30Z',
      '2026-11-02T06:30Z',
    ]);
  });
  it('times in and after the gap do not run twice at the same instant', () => {
    expect(iso(nextRuns(job('daily', '02:30,03:00,03:30', 'America/New_York'), at('2026-03-08T00:00:00Z'), 3))).toEqual([
      '2026-03-08T07:00Z',
      '2026-03-08T07:30Z',
      '2026-03-09T06:30Z',
    ]);
  });
  it('London and Sydney DST days', () => {
    expect(iso(nextRuns(job('daily', '01:30', 'Europe/London'), at('2026-03-28T12:00:00Z'), 2))).toEqual([
      '2026-03-29T01:00Z',
      '2026-03-30T00:30Z',
    ]);
    expect(iso(nextRuns(job('daily', '02:15', 'Australia/Sydney'), at('2026-10-03T00:00:00Z'), 2))).toEqual([
      '2026-10-03T16:00Z',
      '2026-10-04T15:15Z',
    ]);
    expect(iso(nextRuns(job('daily', '02:30', 'Australia/Sydney'), at('2026-04-04T00:00:00Z'), 2))).toEqual([
      '2026-04-04T15:30Z',
      '2026-04-05T16:30Z',
    ]);
  });
});

describe('weekly', () => {
  it('runs on the listed days only, across a DST change', () => {
    expect(iso(nextRuns(job('weekly', 'MON,FRI@09:00', 'America/New_York'), at('2026-03-04T00:00:00Z'), 4))).toEqual([
      '2026-03-06T14:00Z',
      '2026-03-09T13:00Z',
      '2026-03-13T13:00Z',
      '2026-03-16T13:00Z',
    ]);
  });
  it('weekday ranges', () => {
    const runs = nextRuns(job('weekly', 'MON-FRI@12:00'), at('2026-01-01T00:00:00Z'), 10);
    expect(runs.map((d) => d.getUTCDay()).every((d) => d >= 1 && d <= 5)).toBe(true);
  });
});

describe('monthly', () => {
  it('last is the last day of each month, leap years included', () => {
    expect(iso(nextRuns(job('monthly', 'last@18:00'), at('2028-01-15T00:00:00Z'), 4))).toEqual([
      '2028-01-31T18:00Z',
      '2028-02-29T18:00Z',
      '2028-03-31T18:00Z',
      '2028-04-30T18:00Z',
    ]);
  });
  it('days 29-31 are skipped in months without them', () => {
    expect(iso(nextRuns(job('monthly', '31@08:00'), at('2026-01-01T00:00:00Z'), 4))).toEqual([
      '2026-01-31T08:00Z',
      '2026-03-31T08:00Z',
      '2026-05-31T08:00Z',
      '2026-07-31T08:00Z',
    ]);
    expect(iso(nextRuns(job('monthly', '29@08:00'), at('2027-01-30T00:00:00Z'), 1))).toEqual(['2027-03-29T08:00Z']);
    expect(iso(nextRuns(job('monthly', '29@08:00'), at('2028-01-30T00:00:00Z'), 1))).toEqual(['2028-02-29T08:00Z']);
  });
  it('a day that is also the last day runs once', () => {
    expect(iso(nextRuns(job('monthly', '30,last@08:00'), at('2026-04-01T00:00:00Z'), 2))).toEqual([
      '2026-04-30T08:00Z',
      '2026-05-30T08:00Z',
    ]);
  });
});

describe('interval', () => {
  it('is fixed elapsed time across DST, anchored to start_at', () => {
    const runs = nextRuns(job('interval', '6h', 'America/New_York', '2026-03-07T00:00'), at('2026-03-07T00:00:00Z'), 6);
    expect(iso(runs)).toEqual([
      '2026-03-07T05:00Z',
      '2026-03-07T11:00Z',
      '2026-03-07T17:00Z',
      '2026-03-07T23:00Z',
      '2026-03-08T05:00Z',
      '2026-03-08T11:00Z',
    ]);
  });
  it('uses the anchor option, else the Unix epoch', () => {
    expect(iso(nextRuns(job('interval', '30m'), at('2026-01-01T00:10:00Z'), 2, { anchor: at('2025-12-31T23:55:00Z') }))).toEqual([
      '2026-01-01T00:25Z',
      '2026-01-01T00:55Z',
    ]);
    expect(iso(nextRuns(job('interval', '6h'), at('2026-01-01T01:00:00Z'), 2))).toEqual(['2026-01-01T06:00Z', '2026-01-01T12:00Z']);
  });
  it('never runs before its anchor', () => {
    expect(iso(nextRuns(job('interval', '1h'), at('2026-01-01T00:00:00Z'), 1, { anchor: at('2026-01-02T00:00:00Z') }))).toEqual([
      '2026-01-02T00:00Z',
    ]);
  });
});

describe('cron (croner)', () => {
  it('evaluates the pattern in the job zone', () => {
    expect(iso(nextRuns(job('cron', '0 9 * * 1-5', 'Europe/London'), at('2026-07-03T00:00:00Z'), 2))).toEqual([
      '2026-07-03T08:00Z',
      '2026-07-06T08:00Z',
    ]);
  });
  it('a fixed-time pattern in the gap runs at the first minute after it', () => {
    expect(iso(nextRuns(job('cron', '30 2 * * *', 'America/New_York'), at('2026-03-07T12:00:00Z'), 2))).toEqual([
      '2026-03-08T07:00Z',
      '2026-03-09T06:30Z',
    ]);
  });
  it('a stepped pattern runs on both passes of a repeated hour (interval-like)', () => {
    const runs = nextRuns(job('cron', '*/30 * * * *', 'America/New_York'), at('2026-11-01T04:50:00Z'), 6);
    expect(iso(runs)).toEqual([
      '2026-11-01T05:00Z',
      '2026-11-01T05:30Z',
      '2026-11-01T06:00Z',
      '2026-11-01T06:30Z',
      '2026-11-01T07:00Z',
      '2026-11-01T07:30Z',
    ]);
  });
});

describe('once', () => {
  it('yields at most one occurrence, in the job zone', () => {
    expect(iso(nextRuns(job('once', '2026-12-24T18:00', 'America/New_York'), at('2026-01-01T00:00:00Z'), 5))).toEqual([
      '2026-12-24T23:00Z',
    ]);
    expect(nextRuns(job('once', '2026-12-24T18:00', 'America/New_York'), at('2026-12-24T23:00:00Z'), 5)).toEqual([]);
  });
});

describe('start_at and end_at', () => {
  it('are inclusive bounds, read in the job zone', () => {
    const j = job('daily', '09:00', 'Asia/Kolkata', '2026-01-10T09:00', '2026-01-12T09:00');
    expect(iso(nextRuns(j, at('2026-01-01T00:00:00Z'), 10))).toEqual(['2026-01-10T03:30Z', '2026-01-11T03:30Z', '2026-01-12T03:30Z']);
  });
  it('accept an explicit offset', () => {
    const j = job('daily', '09:00', 'UTC', '2026-01-10T10:00+01:00');
    expect(iso(nextRuns(j, at('2026-01-01T00:00:00Z'), 1))).toEqual(['2026-01-10T09:00Z']);
  });
  it('a once schedule outside its bounds never runs', () => {
    expect(nextRuns(job('once', '2026-12-24T18:00', 'UTC', null, '2026-12-01T00:00'), at('2026-01-01T00:00:00Z'), 1)).toEqual([]);
  });
});

describe('previousRun', () => {
  it('is the latest occurrence at or before the instant', () => {
    const j = job('daily', '09:00', 'America/New_York');
    expect(previousRun(j, at('2026-01-06T14:00:00Z'))!.toISOString()).toBe('2026-01-06T14:00:00.000Z');
    expect(previousRun(j, at('2026-01-06T13:59:00Z'))!.toISOString()).toBe('2026-01-05T14:00:00.000Z');
    expect(previousRun(job('cron', '0 9 * * *'), at('2026-01-06T09:00:00Z'))!.toISOString()).toBe('2026-01-06T09:00:00.000Z');
    expect(previousRun(job('interval', '6h', 'UTC', '2026-01-01T00:00'), at('2026-01-01T13:00:00Z'))!.toISOString()).toBe(
      '2026-01-01T12:00:00.000Z',
    );
  });
  it('is null before start_at or for a once job still ahead', () => {
    expect(previousRun(job('daily', '09:00', 'UTC', '2026-02-01T00:00'), at('2026-01-20T00:00:00Z'))).toBeNull();
    expect(previousRun(job('once', '2026-12-24T18:00'), at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('describeSchedule', () => {
  it.each([
    [job('daily', '09:00', 'America/New_York'), 'Every day at 09:00 (America/New_York)'],
    [job('daily', '09:00,17:30'), 'Every day at 09:00 and 17:30 (UTC)'],
    [job('weekly', 'MON,WED,FRI@09:00'), 'Every Monday, Wednesday and Friday at 09:00 (UTC)'],
    [job('weekly', 'MON-FRI@08:30'), 'Every weekday (Monday to Friday) at 08:30 (UTC)'],
    [job('monthly', '1,15@08:00'), 'Monthly on the 1st and 15th at 08:00 (UTC)'],
    [job('monthly', '31,last@18:00'), 'Monthly on the 31st and last day at 18:00 (UTC) (skipped in months without that day)'],
    [job('interval', '30m'), 'Every 30 minutes'],
    [job('interval', '6h', 'UTC', '2026-01-01T00:00'), 'Every 6 hours from 2026-01-01 00:00'],
    [job('interval', '2d'), 'Every 2 days'],
    [job('cron', '0 9 * * 1-5', 'Europe/London'), 'Cron "0 9 * * 1-5" (Europe/London)'],
    [job('once', '2026-12-24T18:00', 'Asia/Kolkata'), 'Once on 2026-12-24 at 18:00 (Asia/Kolkata)'],
    [
      job('daily', '09:00', 'UTC', '2026-01-01T00:00', '2026-06-30T00:00'),
      'Every day at 09:00 (UTC), from 2026-01-01 00:00 until 2026-06-30 00:00',
    ],
  ])('%j', (j, text) => {
    expect(describeSchedule(j)).toBe(text);
  });
});
