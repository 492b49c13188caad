import { parseLocalDateTime, parseScheduleValue } from '../../../src-server/domain/schedule-grammar';
import type { ScheduleType } from '../../../src-server/domain/catalogue';

const ok = (type: ScheduleType, value: string) => {
  const r = parseScheduleValue(type, value);
  if (!r.ok) throw new Error(r.message);
  return r.rule;
};

describe('parseScheduleValue: accepted forms', () => {
  it('daily: one or several times, sorted and deduplicated', () => {
    expect(ok('daily', '09:00')).toEqual({ type: 'daily', times: [540] });
    expect(ok('daily', '17:30, 09:00,9:00')).toEqual({ type: 'daily', times: [540, 1050] });
  });
  it('weekly: day lists, ranges (also across the weekend) and full names', () => {
    expect(ok('weekly', 'MON,WED,FRI@09:00')).toEqual({ type: 'weekly', days: [1, 3, 5], times: [540] });
    expect(ok('weekly', 'mon-fri@08:30,17:00')).toEqual({ type: 'weekly', days: [1, 2, 3, 4, 5], times: [510, 1020] });
    expect(ok('weekly', 'FRI-MON@12:00')).toEqual({ type: 'weekly', days: [0, 1, 5, 6], times: [720] });
    expect(ok('weekly', 'Sunday@00:00')).toEqual({ type: 'weekly', days: [0], times: [0] });
  });
  it('monthly: day numbers and last', () => {
    expect(ok('monthly', '1,15@08:00')).toEqual({ type: 'monthly', days: [1, 15], last: false, times: [480] });
    expect(ok('monthly', 'last@18:00')).toEqual({ type: 'monthly', days: [], last: true, times: [1080] });
    expect(ok('monthly', '31,LAST@23:59')).toEqual({ type: 'monthly', days: [31], last: true, times: [1439] });
  });
  it('interval: minutes, hours, days', () => {
    expect(ok('interval', '30m')).toEqual({ type: 'interval', everyMs: 30 * 60_000 });
    expect(ok('interval', '6h')).toEqual({ type: 'interval', everyMs: 6 * 3_600_000 });
    expect(ok('interval', '2d')).toEqual({ type: 'interval', everyMs: 2 * 86_400_000 });
    expect(ok('interval', '5m')).toEqual({ type: 'interval', everyMs: 5 * 60_000 });
  });
  it('cron: five fields, whitespace normalised', () => {
    expect(ok('cron', '0  9 * *   1-5')).toEqual({ type: 'cron', pattern: '0 9 * * 1-5' });
    expect(ok('cron', '*/15 * * * *')).toEqual({ type: 'cron', pattern: '*/15 * * * *' });
  });
  it('once: a local date-time, or with an offset', () => {
    expect(ok('once', '2026-12-24T18:00')).toEqual({ type: 'once', at: { kind: 'local', wallMs: Date.UTC(2026, 11, 24, 18, 0) } });
    expect(ok('once', '2026-12-24T18:00+01:00')).toEqual({ type: 'once', at: { kind: 'instant', ms: Date.UTC(2026, 11, 24, 17, 0) } });
  });
});

describe('parseScheduleValue: every grammar error names the field and the expected form', () => {
  const cases: [ScheduleType, string, string][] = [
    ['daily', '', 'schedule_value: daily expects HH:MM or a list of times, e.g. 09:00 or 09:00,17:30; empty'],
    [
      'daily',
      '9am',
      "schedule_value: daily expects HH:MM or a list of times, e.g. 09:00 or 09:00,17:30; '9am' is not a time HH:MM (00:00-23:59)",
    ],
    [
      'daily',
      '24:00',
      "schedule_value: daily expects HH:MM or a list of times, e.g. 09:00 or 09:00,17:30; '24:00' is not a time HH:MM (00:00-23:59)",
    ],
    ['daily', '09:00,', 'schedule_value: daily expects HH:MM or a list of times, e.g. 09:00 or 09:00,17:30; empty time'],
    [
      'weekly',
      '09:00',
      "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; '09:00' has no single @ between days and times",
    ],
    ['weekly', 'MOM@09:00', "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; unknown day 'MOM'"],
    ['weekly', '@09:00', 'schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; no day given'],
    [
      'weekly',
      'MON,,FRI@09:00',
      "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; an empty day in 'MON,,FRI'",
    ],
    [
      'weekly',
      'MON@9',
      "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; '9' is not a time HH:MM (00:00-23:59)",
    ],
    [
      'weekly',
      'MON@09:00@10:00',
      "schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30; 'MON@09:00@10:00' has no single @ between days and times",
    ],
    [
      'monthly',
      '32@08:00',
      "schedule_value: monthly expects DAYS@HH:MM with days 1-31 or last, e.g. 1,15@08:00 or last@18:00; '32' is not a day 1-31 or last",
    ],
    [
      'monthly',
      'first@08:00',
      "schedule_value: monthly expects DAYS@HH:MM with days 1-31 or last, e.g. 1,15@08:00 or last@18:00; 'first' is not a day 1-31 or last",
    ],
    ['monthly', '@08:00', 'schedule_value: monthly expects DAYS@HH:MM with days 1-31 or last, e.g. 1,15@08:00 or last@18:00; no day given'],
    [
      'monthly',
      '0@08:00',
      "schedule_value: monthly expects DAYS@HH:MM with days 1-31 or last, e.g. 1,15@08:00 or last@18:00; '0' is not a day 1-31 or last",
    ],
    [
      'interval',
      '4m',
      'schedule_value: interval expects a number and a unit m, h or d, e.g. 30m, 6h, 2d (minimum 5m); shorter than 5 minutes',
    ],
    [
      'interval',
      '90s',
      "schedule_value: interval expects a number and a unit m, h or d, e.g. 30m, 6h, 2d (minimum 5m); '90s' is not like 30m, 6h or 2d",
    ],
    [
      'interval',
      '400d',
      'schedule_value: interval expects a number and a unit m, h or d, e.g. 30m, 6h, 2d (minimum 5m); longer than 366 days',
    ],
    [
      'cron',
      '0 9 * *',
      'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; 4 fields given',
    ],
    [
      'cron',
      '0 0 9 * * *',
      'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; 6 fields given',
    ],
    [
      'cron',
      '61 9 * * *',
      'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; Invalid value for minute: 61',
    ],
    [
      'cron',
      '* * * * *',
      'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; runs more often than every 5 minutes',
    ],
    [
      'once',
      '2026-12-24',
      "schedule_value: once expects a local date-time YYYY-MM-DDTHH:MM in the job time zone, e.g. 2026-12-24T18:00; '2026-12-24' is not a valid date-time",
    ],
    [
      'once',
      '2026-02-30T10:00',
      "schedule_value: once expects a local date-time YYYY-MM-DDTHH:MM in the job time zone, e.g. 2026-12-24T18:00; '2026-02-30T10:00' is not a valid date-time",
    ],
  ];
  it.each(cases)('%s %j', (type, value, message) => {
    expect(parseScheduleValue(type, value)).toEqual({ ok: false, message });
  });
});

describe('parseLocalDateTime', () => {
  it('reads local forms, offsets and Z', () => {
    expect(parseLocalDateTime('2026-01-31')).toEqual({ kind: 'local', wallMs: Date.UTC(2026, 0, 31) });
    expect(parseLocalDateTime('2026-01-31 09:15:30')).toEqual({ kind: 'local', wallMs: Date.UTC(2026, 0, 31, 9, 15, 30) });
    expect(parseLocalDateTime('2026-01-31T09:15Z')).toEqual({ kind: 'instant', ms: Date.UTC(2026, 0, 31, 9, 15) });
    expect(parseLocalDateTime('2026-01-31T09:15-0530')).toEqual({ kind: 'instant', ms: Date.UTC(2026, 0, 31, 14, 45) });
  });
  it('refuses dates that do not exist and malformed text', () => {
    for (const s of ['2025-02-29T00:00', '2026-13-01', '2026-01-01T24:00', 'soon', '2026-01-01T10:00+25:00'])
      expect(parseLocalDateTime(s)).toBeNull();
    expect(parseLocalDateTime('2024-02-29T00:00')).not.toBeNull();
  });
});
