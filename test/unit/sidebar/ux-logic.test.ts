/** The client's own checks and words (issue 13): schedule controls, cron, run outcomes, a new tab's name. */
import { checkSchedule, cronProblem, describeCron, rewordServerIssue, type ScheduleInput } from '../../../src-sidebar/lib/schedule-check';
import { suggestTabName, writersMap } from '../../../src-sidebar/components/wizard/form';
import { tabWriters, TAB_WRITERS_MAX } from '../../../src-server/app/views';
import type { JobDto, RunDto } from '../../../src-server/app/contract';
import { parseScheduleValue } from '../../../src-server/domain/schedule-grammar';

// lib/run.ts imports the RPC proxy and Preact; only its pure functions are under test here.
jest.mock('../../../src-sidebar/rpc', () => ({ rpc: {}, errorMessage: (e: unknown) => String(e) }));
jest.mock('../../../src-sidebar/lib/html', () => ({ html: () => null }));
const { classifyRun, readableError } = require('../../../src-sidebar/lib/run') as typeof import('../../../src-sidebar/lib/run');

const base: ScheduleInput = {
  schedule_type: 'daily',
  times: '09:00',
  weekdays: ['MON'],
  month_days: '1',
  interval_n: '6',
  interval_unit: 'h',
  cron: '0 9 * * 1-5',
  once_at: '',
};

describe('schedule controls', () => {
  test.each([
    ['25:61', 'hours go from 00 to 23'],
    ['9am', 'on the 24-hour clock'],
    ['09:00,', 'empty place'],
    ['', 'enter a time'],
  ])('Times %p is refused on the Times control (%s)', (times, words) => {
    const p = checkSchedule({ ...base, times });
    expect(p?.control).toBe('times');
    expect(p?.message).toContain(words);
    expect(p?.message).not.toMatch(/HH:MM|DAYS@|expects/);
  });

  test('weekly without a day, month days out of range, intervals under 5 minutes: each on its control', () => {
    expect(checkSchedule({ ...base, schedule_type: 'weekly', weekdays: [] })?.control).toBe('weekdays');
    expect(checkSchedule({ ...base, schedule_type: 'monthly', month_days: '1,32' })?.message).toBe(
      'Days of the month: “32” is not a day of the month: use numbers from 1 to 31, or the word last',
    );
    expect(checkSchedule({ ...base, schedule_type: 'interval', interval_n: '4', interval_unit: 'm' })?.message).toBe(
      'Every: the shortest interval is 5 minutes',
    );
    expect(checkSchedule({ ...base, schedule_type: 'once', once_at: '' })?.control).toBe('once_at');
  });

  test('what the browser accepts the server accepts too (times, month days, intervals)', () => {
    for (const times of ['00:00', '9:05', '23:59', '09:00,17:30']) {
      expect(checkSchedule({ ...base, times })).toBeNull();
      expect(parseScheduleValue('daily', times).ok).toBe(true);
    }
    for (const days of ['1', '1,15', 'last', '31,last']) {
      expect(checkSchedule({ ...base, schedule_type: 'monthly', month_days: days })).toBeNull();
      expect(parseScheduleValue('monthly', `${days}@09:00`).ok).toBe(true);
    }
  });
});

describe('cron', () => {
  test('five parts that read well are described in words; */1 is read as five parts', () => {
    expect(describeCron('0 9 * * 1-5')).toBe('At 09:00, Monday through Friday');
    expect(cronProblem('*/1 * * * *')).toBeNull();
    expect(describeCron('*/1 * * * *')).toBe('Every minute');
    expect(cronProblem('30 8 1,15 JAN-MAR MON')).toBeNull();
  });

  test.each([
    ['0 9 * *', '4 parts are given; a cron expression has 5'],
    ['0 9 * * MOM', 'the day-of-week part “MOM” is not understood'],
    ['0 25 * * *', 'the hour part “25” is out of range: hours go from 0 to 23'],
    ['*/0 * * * *', 'steps by 0'],
    ['0 9 32 * *', 'the day-of-month part “32” is out of range'],
  ])('%p: %s', (expr, words) => {
    expect(cronProblem(expr)).toContain(words);
    expect(describeCron(expr)).toBeNull();
  });

  test("the server's findings are reworded for the control, its grammar dropped", () => {
    const cron = { ...base, schedule_type: 'cron' as const, cron: '*/1 * * * *' };
    expect(
      rewordServerIssue(
        cron,
        'schedule_value: cron expects 5 fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5; runs more often than every 5 minutes',
      ).message,
    ).toBe('Cron expression: runs more often than every 5 minutes; a job runs at most every 5 minutes (e.g. */5 * * * *)');
    expect(
      rewordServerIssue(
        { ...base, schedule_type: 'weekly' },
        'schedule_value: weekly expects DAYS@HH:MM, e.g. MON,WED@09:00 or MON-FRI@08:30',
      ).message,
    ).not.toMatch(/DAYS@/);
  });
});

describe('run outcomes', () => {
  const run = (over: Partial<RunDto>): RunDto => ({
    run_id: 'r1',
    job_id: 'j1',
    job_name: 'J',
    scheduled_for: null,
    started_at: 't',
    finished_at: 't2',
    status: 'succeeded',
    trigger: 'manual',
    videos_added: 3,
    videos_updated: 1,
    quota_units: 2,
    duration_ms: 10,
    error: null,
    ...over,
  });
  test('succeeded, continuing (not finished in this execution), queued behind another job, failed with a readable sentence', () => {
    expect(classifyRun(run({})).kind).toBe('succeeded');
    const cont = classifyRun(
      run({
        status: 'deferred',
        finished_at: null,
        error: 'Not finished within this execution: the next tick continues from the checkpoint.',
      }),
    );
    expect(cont.kind).toBe('continuing');
    expect(classifyRun(run({ run_id: '', status: 'deferred', finished_at: null, error: 'Tab x is being written by job Y' })).kind).toBe(
      'queued',
    );
    const failed = classifyRun(run({ status: 'failed', error: 'YouTube channels.list failed: channels.list: Backend Error' }));
    expect(failed).toMatchObject({
      kind: 'failed',
      sentence: 'YouTube had a temporary problem: the job tries again automatically.',
      detail: 'YouTube channels.list failed: channels.list: Backend Error',
    });
    expect(readableError('quotaExceeded')).toContain('quota is used up');
    expect(readableError('@nosuch: no such channel')).toContain('does not exist');
  });
});

describe("a new tab's name", () => {
  test("from the first channel's title, unique against existing tabs and other jobs' tabs, case ignored", () => {
    const titles = new Map([['@mkbhd', 'Marques Brownlee']]);
    expect(suggestTabName(['@mkbhd'], titles, new Set())).toBe('Marques Brownlee');
    expect(suggestTabName(['@mkbhd', '@verge'], titles, new Set())).toBe('Marques Brownlee +1');
    expect(suggestTabName(['@mkbhd'], titles, new Set(['marques brownlee', 'marques brownlee 2']))).toBe('Marques Brownlee 3');
    expect(suggestTabName(['https://www.youtube.com/@linus.tech'], new Map(), new Set())).toBe('linus.tech');
    expect(suggestTabName(['@a:b/c'], new Map(), new Set())).toBe('a');
    expect(suggestTabName([], titles, new Set())).toBe('');
  });

  test('tabs other jobs write, per spreadsheet, without the job being edited', () => {
    const job = (id: string, tab: string, sheet = '') =>
      ({ id, config: { name: id, target_tab_name: tab, target_sheet_id: sheet } }) as unknown as JobDto;
    // The server answers (bounded), the wizard maps it by lower-cased tab name.
    const writers = writersMap(
      tabWriters([job('a', 'Videos'), job('b', 'videos'), job('c', 'Videos', 'other'), job('self', 'Mine')], {
        sheet_id: '',
        except_id: 'self',
      }),
    );
    expect(writers.get('videos')).toEqual(['a', 'b']);
    expect(writers.has('mine')).toBe(false);
  });

  test('tabs other jobs write stay bounded at any job count: the tabs asked about first, three writers named', () => {
    const job = (i: number, tab: string) =>
      ({
        id: `j${i}`,
        config: { name: `Job ${String(i).padStart(5, '0')}`, target_tab_name: tab, target_sheet_id: '' },
      }) as unknown as JobDto;
    const jobs = [
      ...Array.from({ length: 10_000 }, (_, i) => job(i, `Tab ${String(i).padStart(5, '0')}`)),
      ...[1, 2, 3, 4, 5].map((i) => job(20_000 + i, 'Shared')),
    ];
    const answer = tabWriters(jobs, { names: ['Tab 09999', 'shared', 'Nobody writes this'] });
    expect(answer.total).toBe(10_001);
    expect(answer.items).toHaveLength(TAB_WRITERS_MAX);
    expect(answer.items.slice(0, 2).map((t) => t.tab)).toEqual(['Tab 09999', 'Shared']);
    expect(answer.items[1]).toEqual({ tab: 'Shared', writers: ['Job 20001', 'Job 20002', 'Job 20003'], count: 5 });
    expect(writersMap(answer).get('shared')).toEqual(['Job 20001', 'Job 20002', 'Job 20003', '2 more']);
    expect(JSON.stringify(answer).length).toBeLessThan(64 * 1024);
    expect(() => tabWriters(jobs, { names: Array.from({ length: TAB_WRITERS_MAX + 1 }, (_, i) => `t${i}`) })).toThrow(/names: at most 200/);
  });
});
