/**
 * Bounded views (docs/operations.md "Payloads"): the sidebar's focus list and counts, the calendar's
 * compact month and its day pages, the "Run after" picker's server-side search, the monitor's
 * running list. Each answer's size must not grow with the job count.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor, JobStatus } from '../../../src-server/app/contract';
import { countByStatus, jobChoices, sidebarFocus, SIDEBAR_JOBS, type JobRow } from '../../../src-server/app/views';
import { createFakeWorld } from './fakes';
import { YouTubeApiError } from '../../../src-server/ports';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };

function row(id: string, name: string, status: JobStatus, next: string | null, failures = 0): JobRow {
  return {
    id,
    version: 1,
    config: { name } as JobRow['config'],
    status,
    paused: status === 'paused',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    created_by: 'x',
    next_run_at: next,
    last_run: null,
    consecutive_failures: failures,
    channel_titles: {},
  };
}

describe('sidebar focus', () => {
  test('a small install lists every job by name', () => {
    const rows = [
      row('b', 'Beta', 'paused', null),
      row('a', 'alpha', 'active', '2026-01-02T00:00:00Z'),
      row('c', 'Gamma', 'disabled', null),
    ];
    expect(sidebarFocus(rows).map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  test('past the limit: running, then failing (most failures first), then the next due; paused and disabled wait for "more"', () => {
    const rows: JobRow[] = [];
    for (let i = 0; i < 100; i++) rows.push(row(`d${i}`, `Due ${i}`, 'active', new Date(Date.UTC(2026, 0, 2, 0, 100 - i)).toISOString()));
    for (let i = 0; i < 30; i++) rows.push(row(`p${i}`, `Paused ${i}`, 'paused', null));
    rows.push(row('f1', 'Fail one', 'failing', '2026-01-02T00:00:00Z', 1));
    rows.push(row('f3', 'Fail three', 'failing', '2026-01-02T00:00:00Z', 3));
    rows.push(row('r1', 'Runner', 'running', null));
    const focus = sidebarFocus(rows);
    expect(focus).toHaveLength(SIDEBAR_JOBS);
    expect(focus.slice(0, 3).map((r) => r.id)).toEqual(['r1', 'f3', 'f1']);
    // The soonest due first: d99 is due at 00:01, d98 at 00:02 …
    expect(focus.slice(3, 6).map((r) => r.id)).toEqual(['d99', 'd98', 'd97']);
    expect(focus.some((r) => r.status === 'paused')).toBe(false);
  });

  test('when few jobs need attention, the others fill the list by name', () => {
    const rows = [
      row('r', 'Runner', 'running', null),
      ...Array.from({ length: 30 }, (_, i) => row(`p${i}`, `Paused ${String(i).padStart(2, '0')}`, 'paused', null)),
    ];
    const focus = sidebarFocus(rows);
    expect(focus).toHaveLength(SIDEBAR_JOBS);
    expect(focus.slice(0, 3).map((r) => r.id)).toEqual(['r', 'p0', 'p1']);
  });

  test('counts by status cover every job', () => {
    const counts = countByStatus([row('a', 'A', 'active', null), row('b', 'B', 'active', null), row('c', 'C', 'failing', null)]);
    expect(counts).toEqual({ total: 3, by_status: { active: 2, running: 0, failing: 1, paused: 0, disabled: 0, completed: 0 } });
  });
});

describe('job choices (the "Run after" picker)', () => {
  const rows = Array.from({ length: 500 }, (_, i) => row(`j${i}`, `Job ${String(i).padStart(3, '0')}`, 'active', null));

  test('matches by name, case-insensitive, sorted, at most the limit; total counts every match', () => {
    const found = jobChoices(rows, { q: 'job 04' });
    expect(found.total).toBe(10);
    expect(found.items.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Job 04${i}`));
    const all = jobChoices(rows, {});
    expect(all.total).toBe(500);
    expect(all.items).toHaveLength(20);
    expect(jobChoices(rows, { limit: 50 }).items).toHaveLength(50);
  });

  test('the ids asked for are listed too, once, whether they match or not', () => {
    const found = jobChoices(rows, { q: 'Job 00', ids: ['j499', 'j3', 'nope'] });
    expect(found.items.map((c) => c.id)).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8', 'j9', 'j499']);
    expect(found.total).toBe(10);
  });

  test('a whole name (is it taken?) and names of known ids only', () => {
    expect(jobChoices(rows, { q: ' JOB 042 ', exact: true }).items.map((c) => c.name)).toEqual(['Job 042']);
    expect(jobChoices(rows, { q: 'Job 04', exact: true })).toEqual({ items: [], total: 0 });
    const named = jobChoices(rows, { ids: [rows[5]!.id, 'gone'], only_ids: true });
    expect(named).toEqual({ items: [expect.objectContaining({ id: rows[5]!.id })], total: 0 });
    expect(() => jobChoices(rows, { ids: Array.from({ length: 401 }, (_, i) => `j${i}`), only_ids: true })).toThrow(/ids: at most 400/);
  });

  test('a bad limit is refused naming the field', () => {
    expect(() => jobChoices(rows, { limit: 500 })).toThrow(/limit: must be a whole number from 1 to 50/);
    expect(() => jobChoices(rows, { limit: 0 })).toThrow(/limit/);
  });
});

describe('calendar', () => {
  function world(jobs: number) {
    const w = createFakeWorld('2026-01-05T12:00:00Z');
    w.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 10);
    const app = createSchedulerApp(w.deps);
    const list = Array.from({ length: jobs }, (_, i) => ({
      name: `Job ${String(i).padStart(3, '0')}`,
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: `${String(8 + (i % 4)).padStart(2, '0')}:00`,
      target_tab_name: `Tab ${i}`,
    }));
    app.importJobs(JSON.stringify({ jobs: list }), 'json', owner);
    return { w, app };
  }

  test('the month carries counts by kind and the first three occurrences per day, whatever the job count', () => {
    const { app } = world(40);
    const month = app.calendar('2026-01', 'America/New_York');
    expect(month.days).toHaveLength(31);
    const day = month.days.find((d) => d.date === '2026-01-10')!;
    expect(day.total).toBe(40);
    expect(day.counts).toEqual({ scheduled: 40 });
    expect(day.entries).toHaveLength(3);
    // The earliest first: jobs 0, 4, 8 run at 08:00 (ties by name).
    expect(day.entries.map((e) => e.job_name)).toEqual(['Job 000', 'Job 004', 'Job 008']);
    expect(day.entries.every((e) => e.at === '2026-01-10T13:00:00.000Z')).toBe(true);
    // Before now nothing is scheduled (the past shows the run history).
    expect(month.days.find((d) => d.date === '2026-01-04')!.total).toBe(0);
  });

  test('a day lists every occurrence in time order, a page at a time, with each job paused or not', () => {
    const { app } = world(150);
    const first = app.calendarDay('2026-01-10', 'America/New_York');
    expect(first.total).toBe(150);
    expect(first.items).toHaveLength(100);
    const second = app.calendarDay('2026-01-10', 'America/New_York', { page: 2 });
    expect(second.items).toHaveLength(50);
    const all = [...first.items, ...second.items];
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort());
    expect(new Set(all.map((e) => e.job_id)).size).toBe(150);
    expect(all.every((e) => e.paused === false && e.kind === 'scheduled')).toBe(true);
    // Days are the viewer's: Tokyo's 10 January starts at 10:00 in New York on the 9th, so it holds
    // the 9th's 10:00 and 11:00 runs and the 10th's 08:00 and 09:00 ones.
    const tokyo = app.calendarDay('2026-01-10', 'Asia/Tokyo', { page: 1 });
    expect(tokyo.total).toBe(150);
    expect(tokyo.items[0]!.at).toBe('2026-01-09T15:00:00.000Z');
    expect(new Set(tokyo.items.map((e) => e.at))).toEqual(
      new Set(['2026-01-09T15:00:00.000Z', '2026-01-09T16:00:00.000Z', '2026-01-10T13:00:00.000Z']),
    );
  });

  test("the month carries one chip per job and day (most telling kind, first time, count), at most three, and the day's job count", () => {
    const { app } = world(5);
    app.createJob(
      {
        name: 'Every 6 hours',
        channels: ['@mkbhd'],
        schedule_type: 'interval',
        schedule_value: '6h',
        target_tab_name: 'Six',
        timezone: 'America/New_York',
      },
      owner,
    );
    const day = app.calendar('2026-01', 'America/New_York').days.find((d) => d.date === '2026-01-10')!;
    expect(day.total).toBe(9);
    expect(day.jobs).toBe(6);
    expect(day.chips).toHaveLength(3);
    const six = app.calendarDay('2026-01-10', 'America/New_York').items.filter((e) => e.job_name === 'Every 6 hours');
    expect(six).toHaveLength(4);
    // By first time: the interval job's first run of the day comes before 08:00.
    expect(day.chips![0]).toEqual({ job_id: six[0]!.job_id, job_name: 'Every 6 hours', kind: 'scheduled', at: six[0]!.at, count: 4 });
    expect(day.chips!.slice(1).map((c) => [c.job_name, c.count])).toEqual([
      ['Job 000', 1],
      ['Job 004', 1],
    ]);
    // Each day entry names its job's tab (Open the tab after a Run now from the day panel).
    expect(six.every((e) => e.tab === 'Six')).toBe(true);
  });

  test("a day's problems come first among its chips", () => {
    const { w, app } = world(4);
    w.clock.set('2026-01-10T12:00:00Z');
    const failing = app.createJob(
      {
        name: 'Zz broken',
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '07:00',
        target_tab_name: 'Broken',
        timezone: 'America/New_York',
        max_retries: 0,
      },
      owner,
    );
    // Job 000 succeeds at 07:30 New York, Zz broken fails at 07:40: by time alone the success would lead.
    w.clock.set('2026-01-11T12:30:00Z');
    const first = app.listJobs({ q: 'Job 000' }).items[0]!;
    expect(app.runNow(first.id, owner).status).toBe('succeeded');
    w.clock.set('2026-01-11T12:40:00Z');
    w.youtube.failures.push(new YouTubeApiError('Channel gone', 'channels.list', 404, 'channelNotFound', 'permanent'));
    expect(app.runNow(failing.job.id, owner).status).toBe('failed');
    const day = app.calendar('2026-01', 'America/New_York').days.find((d) => d.date === '2026-01-11')!;
    expect(day.chips!.map((c) => [c.job_name, c.kind])).toEqual([
      ['Zz broken', 'failed'],
      ['Job 000', 'succeeded'],
      ['Job 001', 'scheduled'],
    ]);
    expect(day.jobs).toBe(5);
  });

  test("calendarStart: the current month in the jobs' zone with the server clock; mixed zones use the default zone", () => {
    const { app } = world(3);
    const start = app.calendarStart(null, null);
    expect(start).toMatchObject({
      month: '2026-01',
      time_zone: 'America/New_York',
      job_zone: 'America/New_York',
      now: '2026-01-05T12:00:00.000Z',
    });
    expect(app.calendarStart('2026-02', 'Asia/Tokyo')).toMatchObject({
      month: '2026-02',
      time_zone: 'Asia/Tokyo',
      job_zone: 'America/New_York',
    });
    app.createJob(
      {
        name: 'Tokyo',
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '09:00',
        target_tab_name: 'T',
        timezone: 'Asia/Tokyo',
      },
      owner,
    );
    expect(app.calendarStart(null, null).job_zone).toBe(app.getSettings().default_timezone);
    expect(() => app.calendarStart(null, 'Mars/Olympus')).toThrow(/time_zone/);
  });

  test('bad dates and zones are refused naming the field', () => {
    const { app } = world(1);
    expect(() => app.calendarDay('2026-02-30', 'America/New_York')).toThrow(/date: expected YYYY-MM-DD/);
    expect(() => app.calendarDay('2026-02-03', 'Mars/Olympus')).toThrow(/time_zone/);
  });
});

describe('sidebar view and picker through the app', () => {
  test('at 300 jobs the sidebar carries 20 jobs and the counts; the picker searches on the server', () => {
    const w = createFakeWorld('2026-01-05T12:00:00Z');
    const app = createSchedulerApp(w.deps);
    const jobs = Array.from({ length: 300 }, (_, i) => ({
      name: `Job ${i}`,
      channels: ['@mkbhd'],
      schedule_type: 'daily',
      schedule_value: '09:00',
      target_tab_name: `T${i}`,
    }));
    app.importJobs(JSON.stringify({ jobs }), 'json', owner);
    const view = app.sidebarView();
    expect(view.jobs).toHaveLength(20);
    expect(view.summary).toEqual({ total: 300, by_status: { active: 300, running: 0, failing: 0, paused: 0, disabled: 0, completed: 0 } });
    expect(view.next_runs).toHaveLength(10);
    const choices = app.jobChoices({ q: 'job 29' });
    expect(choices.total).toBe(11);
    expect(choices.items.map((c) => c.name)).toContain('Job 299');
  });
});
