import { findConflicts } from '../../../src-server/domain/conflicts';
import type { PlannerJob } from '../../../src-server/domain/planner';
import { parseJobConfig, type JobConfigInput } from '../../../src-server/domain/job';
import { zoneLabel, zonedDateTime, zonedTime } from '../../../src-server/domain/zoned-text';

function job(id: string, overrides: Partial<JobConfigInput>): PlannerJob {
  const parsed = parseJobConfig(
    { name: id, channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos', ...overrides },
    { defaultTimezone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return { id, config: parsed.value, paused: false, created_at: '2025-12-01T00:00:00Z' };
}

describe("conflict warnings speak in the job's time zone", () => {
  test("same instant: the other job's run in the candidate's zone, with its label", () => {
    const other = job('Daily Sync', { timezone: 'America/New_York' });
    const candidate = job('New job', { timezone: 'America/New_York' });
    const [w] = findConflicts({ config: candidate.config }, [other], new Date('2026-01-05T00:00:00Z'));
    expect(w!.at).toBe('2026-01-05T14:00:00.000Z');
    expect(w!.message).toBe(
      'Daily Sync also writes “Videos” within the same hour (Mon, Jan 5, 09:00 EST, as this job): one of them will wait for the other.',
    );
  });

  test("jobs in different zones: both times are given in the candidate's zone; summer time has its own label", () => {
    // London 14:30 BST = 09:30 EDT; the candidate runs 09:00 New York time.
    const other = job('London job', { timezone: 'Europe/London', schedule_value: '14:30' });
    const candidate = job('New job', { timezone: 'America/New_York' });
    const [w] = findConflicts({ config: candidate.config }, [other], new Date('2026-07-06T00:00:00Z'));
    expect(w!.at).toBe('2026-07-06T13:30:00.000Z');
    expect(w!.message).toBe(
      "London job also writes “Videos” within the same hour (Mon, Jul 6, 09:30 EDT, 30 min from this job's 09:00): one of them will wait for the other.",
    );
    expect(w!.message).not.toMatch(/UTC|13:30/);
  });

  test('a tab of another spreadsheet is named with its spreadsheet', () => {
    const other = job('Elsewhere', { timezone: 'Europe/Paris', target_sheet_id: '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef' });
    const candidate = job('New job', { timezone: 'Europe/Paris', target_sheet_id: '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef' });
    const [w] = findConflicts({ config: candidate.config }, [other], new Date('2026-01-05T00:00:00Z'));
    expect(w!.message).toBe(
      'Elsewhere also writes “Videos” in spreadsheet 1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef within the same hour (Mon, Jan 5, 09:00 GMT+1, as this job): one of them will wait for the other.',
    );
  });
});

describe('zoned text', () => {
  const ms = Date.parse('2026-03-08T07:30:00Z'); // New York springs forward at 07:00 UTC that day
  test('date, time and label from the zone at that instant', () => {
    expect(zonedDateTime('America/New_York', ms)).toBe('Sun, Mar 8, 03:30 EDT');
    expect(zonedDateTime('America/New_York', ms - 3_600_000)).toBe('Sun, Mar 8, 01:30 EST');
    expect(zonedDateTime('Asia/Kolkata', ms)).toBe('Sun, Mar 8, 13:00 GMT+5:30');
    expect(zonedDateTime('UTC', ms)).toBe('Sun, Mar 8, 07:30 UTC');
    expect(zonedTime('Asia/Tokyo', ms)).toBe('16:30');
  });

  test('an unknown zone reads as UTC rather than failing', () => {
    expect(zonedDateTime('Not/AZone', ms)).toBe('Sun, Mar 8, 07:30 UTC');
  });

  test('without Intl zone names the label is the UTC offset', () => {
    const original = Intl.DateTimeFormat;
    const spy = jest.spyOn(Intl, 'DateTimeFormat').mockImplementation(((locale: string, options?: Intl.DateTimeFormatOptions) => {
      if (options?.timeZoneName) throw new RangeError('timeZoneName not supported');
      return new original(locale, options);
    }) as unknown as typeof Intl.DateTimeFormat);
    try {
      expect(zoneLabel('America/New_York', ms)).toBe('UTC-04:00');
      expect(zoneLabel('Asia/Kolkata', ms)).toBe('UTC+05:30');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('tab names compare ignoring case', () => {
  test('a tab differing only by case is the same tab: always warned, even without a clash', () => {
    const other = job('Shared writer', { target_tab_name: 'Shared', schedule_value: '03:00', timezone: 'UTC' });
    const candidate = job('New job', { target_tab_name: 'shared', schedule_value: '15:00', timezone: 'UTC' });
    const [w, ...rest] = findConflicts({ config: candidate.config }, [other], new Date('2026-01-05T00:00:00Z'));
    expect(rest).toEqual([]);
    expect(w!.message).toBe(
      '“shared” and “Shared” are the same tab (Google Sheets ignores case in tab names): this job and Shared writer both write it.',
    );
    expect(w!.at).toBe('2026-01-05T03:00:00.000Z');
  });

  test('case-only difference plus a clash: both said in one warning', () => {
    const other = job('Shared writer', { target_tab_name: 'SHARED', timezone: 'UTC' });
    const candidate = job('New job', { target_tab_name: 'Shared', timezone: 'UTC' });
    const [w] = findConflicts({ config: candidate.config }, [other], new Date('2026-01-05T00:00:00Z'));
    expect(w!.message).toMatch(/^“Shared” and “SHARED” are the same tab .* Shared writer also writes “SHARED” within the same hour/);
  });

  test('same spelling without a clash, or another tab: no warning', () => {
    const other = job('Morning', { target_tab_name: 'Shared', schedule_value: '03:00', timezone: 'UTC' });
    expect(
      findConflicts(
        { config: job('Evening', { target_tab_name: 'Shared', schedule_value: '15:00', timezone: 'UTC' }).config },
        [other],
        new Date('2026-01-05T00:00:00Z'),
      ),
    ).toEqual([]);
    expect(
      findConflicts(
        { config: job('Other', { target_tab_name: 'Sharing', timezone: 'UTC' }).config },
        [other],
        new Date('2026-01-05T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});
