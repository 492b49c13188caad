/**
 * 10,000 jobs through the built bundle (docs/operations.md "Payloads"): every google.script.run
 * answer the surfaces use stays under 64 KB, the menu dialogs' boot JSON too, and the job manager's
 * pages, the API's list and search, export and import keep working.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTestBundle, newRuntime, removeBundle, value } from './harness';
import type { Runtime } from '../../../emulator';

jest.setTimeout(300_000);

const JOBS = 10_000;
const LIMIT = 64 * 1024;
const KEY = 'y2s_k_0000dddd_scaleTestWriteKeySecret00000001';

let dir: string;
let rt: Runtime;
const sizes: Record<string, number> = {};

function job(i: number): Record<string, unknown> {
  const failing = i % 500 === 7; // 20 jobs read a channel that does not exist
  return {
    name: `Job ${String(i).padStart(5, '0')}`,
    channels: [failing ? '@nosuchchannel' : '@tinycooking'],
    schedule_type: 'daily',
    // 40 jobs fall due at 08:05 New York; the others spread over the day.
    schedule_value: i % 250 === 7 ? '08:05' : `${String(9 + (i % 14)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
    target_tab_name: `Tab ${i}`,
    columns: ['video_id', 'title', 'views'],
    priority: 1 + (i % 10),
    max_retries: 0,
  };
}

/** A sidebar RPC as google.script.run calls it; records the answer's JSON size. */
function rpc<T>(label: string, fn: string, ...args: unknown[]): T {
  const r = rt.scriptRun<{ ok: boolean; data?: T; error?: { message: string } }>(fn, ...args);
  if (!r.ok) throw new Error(`${fn}: ${r.error?.message}`);
  const envelope = r.value!;
  if (!envelope.ok) throw new Error(`${fn}: ${envelope.error?.message}`);
  sizes[label] = JSON.stringify(envelope).length;
  return envelope.data as T;
}

function api(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: string) {
  const { result, response } = rt.webRequest({
    method,
    pathInfo: `api/v1${path}`,
    query: { key: KEY, ...query },
    ...(body === undefined ? {} : { body, contentType: 'application/json' }),
  });
  if (!result.ok) throw new Error(`${method} ${path}: ${result.error?.message}`);
  return response!.body;
}

beforeAll(async () => {
  dir = await buildTestBundle();
  // The dialogs' pages: the server appends the boot JSON to whatever the file holds.
  for (const surface of ['sidebar', 'manager', 'calendar', 'wizard'])
    writeFileSync(join(dir, `${surface}.html`), `<div id="app">${surface}</div>`);
  rt = newRuntime(dir, { start: '2026-01-06T12:00:00Z' });
  expect(rt.run('importLocalApiKey_', KEY, { name: 'scale', scope: 'write' }).ok).toBe(true);
  const all = Array.from({ length: JOBS }, (_, i) => job(i));
  for (let i = 0; i < JOBS; i += 2_000) value(rt, 'importJobs', JSON.stringify({ jobs: all.slice(i, i + 2_000) }), 'json', '$owner');
  // 40 jobs due on the 6th at 08:05 New York: 20 succeed, 20 fail (no such channel).
  rt.clock.set(new Date('2026-01-06T13:05:30Z'));
  expect(rt.run('tick').ok).toBe(true);
});

afterAll(async () => {
  await rt?.close();
  if (dir) removeBundle(dir);
  // The figures docs/operations.md quotes.
  console.log(
    Object.entries(sizes)
      .map(([k, v]) => `${k}: ${(v / 1024).toFixed(1)} KB`)
      .join('\n'),
  );
});

describe(`${JOBS.toLocaleString('en-US')} jobs`, () => {
  test('the sidebar view: 20 jobs that matter now (the failing first), counts of all, under 64 KB', () => {
    const view = rpc<{
      jobs: { status: string }[];
      summary: { total: number; by_status: Record<string, number> };
      next_runs: unknown[];
      health: { warnings: string[] };
    }>('sidebarView', 'sidebarView');
    expect(view.summary.total).toBe(JOBS);
    expect(view.summary.by_status.failing).toBe(20);
    expect(view.jobs).toHaveLength(20);
    expect(view.jobs.every((j) => j.status === 'failing')).toBe(true);
    expect(view.next_runs).toHaveLength(10);
    expect(view.health.warnings.join(' ')).toMatch(/20 job\(s\) failing: .* and 15 more/);
    expect(sizes.sidebarView).toBeLessThan(LIMIT);
  });

  test('the sidebar asks for more: pages of 20 and a search', () => {
    const page = rpc<{ items: unknown[]; total: number }>('listJobs 20', 'listJobs', {
      page: 3,
      page_size: 20,
      sort: 'name',
      order: 'asc',
    });
    expect(page.items).toHaveLength(20);
    expect(page.total).toBe(JOBS);
    const found = rpc<{ items: { config: { name: string } }[]; total: number }>('listJobs search', 'listJobs', {
      q: 'Job 0999',
      page: 1,
      page_size: 20,
    });
    expect(found.total).toBe(10);
    expect(found.items[0]!.config.name).toBe('Job 09990');
  });

  test('the job manager pages on the server: 50 a page at most through google.script.run', () => {
    const last = rpc<{ items: unknown[]; total: number; page_size: number }>('listJobs 50', 'listJobs', {
      page: 200,
      page_size: 50,
      sort: 'name',
      order: 'asc',
    });
    expect(last.items).toHaveLength(50);
    const asked200 = rpc<{ items: unknown[]; page_size: number }>('listJobs asked 200', 'listJobs', { page: 1, page_size: 200 });
    expect(asked200.page_size).toBe(50);
    expect(asked200.items).toHaveLength(50);
    expect(sizes['listJobs 50']).toBeLessThan(LIMIT);
    expect(sizes['listJobs asked 200']).toBeLessThan(LIMIT);
  });

  test('the calendar: a month of counts and first chips, a day a page at a time', () => {
    const month = rpc<{ days: { date: string; total: number; entries: unknown[]; counts: Record<string, number> }[] }>(
      'calendarView',
      'calendarView',
      '2026-01',
      'America/New_York',
    );
    const day = month.days.find((d) => d.date === '2026-01-10')!;
    expect(day.total).toBe(JOBS);
    expect(day.entries).toHaveLength(3);
    const sixth = month.days.find((d) => d.date === '2026-01-06')!;
    expect(sixth.counts).toMatchObject({ succeeded: 20, failed: 20 });
    expect(sizes.calendarView).toBeLessThan(LIMIT);
    const first = rpc<{ items: { at: string }[]; total: number }>('calendarDay', 'calendarDay', '2026-01-10', 'America/New_York', 1);
    expect(first.total).toBe(JOBS);
    expect(first.items).toHaveLength(100);
    expect(sizes.calendarDay).toBeLessThan(LIMIT);
    const last = rpc<{ items: unknown[] }>('calendarDay last page', 'calendarDay', '2026-01-10', 'America/New_York', 100);
    expect(last.items).toHaveLength(100);
  });

  test('the Run-after picker searches on the server', () => {
    const first = rpc<{ items: unknown[]; total: number }>('jobChoices', 'jobChoices', {});
    expect(first.total).toBe(JOBS);
    expect(first.items).toHaveLength(20);
    const found = rpc<{ items: { name: string }[]; total: number }>('jobChoices search', 'jobChoices', { q: 'job 0420' });
    expect(found.items.map((c) => c.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Job 0420${i}`));
    expect(sizes.jobChoices).toBeLessThan(LIMIT);
  });

  test("the calendar in one round trip (calendarStart): a job per chip, the other jobs counted, the jobs' zone", () => {
    const start = rpc<{
      month: string;
      now: string;
      job_zone: string;
      time_zone: string;
      days: { date: string; jobs: number; chips: { job_name: string; kind: string; count: number }[] }[];
    }>('calendarStart', 'calendarStart', null, null);
    expect(start).toMatchObject({ month: '2026-01', job_zone: 'America/New_York', time_zone: 'America/New_York' });
    const tenth = start.days.find((d) => d.date === '2026-01-10')!;
    expect(tenth.jobs).toBe(JOBS);
    expect(tenth.chips).toHaveLength(3);
    // The 6th: the 20 failed runs come first (problems before successes and schedule).
    const sixth = start.days.find((d) => d.date === '2026-01-06')!;
    expect(sixth.chips.map((c) => c.kind)).toEqual(['failed', 'failed', 'failed']);
    expect(sizes.calendarStart).toBeLessThan(LIMIT);
    const day = rpc<{ items: { paused: boolean; tab: string; job_name: string }[] }>(
      'calendarDay with tabs',
      'calendarDay',
      '2026-01-10',
      'America/New_York',
      1,
    );
    expect(day.items[0]!.tab).toBe(`Tab ${Number(day.items[0]!.job_name.slice(4))}`);
  });

  test("the wizard's output step: tabs other jobs write, the asked ones first, at most 200", () => {
    const answer = rpc<{ items: { tab: string; writers: string[]; count: number }[]; total: number }>('tabWriters', 'tabWriters', {
      names: ['Tab 9999', 'No such tab'],
    });
    expect(answer.total).toBe(JOBS);
    expect(answer.items).toHaveLength(200);
    expect(answer.items[0]).toEqual({ tab: 'Tab 9999', writers: ['Job 09999'], count: 1 });
    expect(sizes.tabWriters).toBeLessThan(LIMIT);
    // "Is this name taken?": the whole name, on the server.
    const same = rpc<{ items: { name: string }[]; total: number }>('jobChoices exact', 'jobChoices', {
      q: 'job 04200',
      exact: true,
      limit: 2,
    });
    expect(same).toEqual({ items: [expect.objectContaining({ name: 'Job 04200' })], total: 1 });
  });

  test('the audit viewer names only the jobs its rows mention', () => {
    const page = rpc<{ items: unknown[]; jobs: unknown[] }>('auditLog', 'auditLog', { page: 1, page_size: 50 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.jobs.length).toBeLessThanOrEqual(400);
    expect(sizes.auditLog).toBeLessThan(LIMIT);
  });

  test('the monitor poll', () => {
    const monitor = rpc<{ last_24h: { runs: number; failed: number } }>('monitorView', 'monitorView');
    expect(monitor.last_24h).toMatchObject({ runs: 40, failed: 20 });
    expect(sizes.monitorView).toBeLessThan(LIMIT);
  });

  test('every answer measured stays under 64 KB', () => {
    for (const [label, size] of Object.entries(sizes)) expect([label, size < LIMIT]).toEqual([label, true]);
  });

  test('the dialogs open with their first data as boot JSON, each under 64 KB', () => {
    for (const fn of ['openSidebar', 'openJobManager', 'openCalendar', 'openWizard']) {
      const r = rt.run(fn);
      expect([fn, r.ok, r.error?.message]).toEqual([fn, true, undefined]);
      const shown = rt.ui.events.at(-1) as { html?: string };
      const boot = /<script type="application\/json" id="y2s-boot">(.*)<\/script>$/s.exec(shown.html ?? '')?.[1];
      expect([fn, typeof boot]).toEqual([fn, 'string']);
      sizes[`${fn} boot`] = boot!.length;
      expect(boot!.length).toBeLessThan(LIMIT);
    }
  });

  test('the API lists and searches, exports every job, and imports the export back (in 256 KB bodies)', () => {
    const page = JSON.parse(api('GET', '/jobs', { page: '50', page_size: '200', sort: 'name' })) as {
      ok: boolean;
      data: { config: { name: string } }[];
      meta: { total: number };
    };
    expect(page.ok).toBe(true);
    expect(page.meta.total).toBe(JOBS);
    expect(page.data).toHaveLength(200);
    expect(page.data[0]!.config.name).toBe('Job 09800');
    const found = JSON.parse(api('GET', '/jobs', { q: 'Job 09999' })) as { data: { config: { name: string } }[] };
    expect(found.data.map((j) => j.config.name)).toEqual(['Job 09999']);

    const exported = JSON.parse(api('GET', '/jobs/export', { format: 'json' })) as { jobs: { id?: string; name: string }[] };
    expect(exported.jobs).toHaveLength(JOBS);
    let unchanged = 0;
    for (let i = 0; i < JOBS; i += 300) {
      const body = JSON.stringify({ content: JSON.stringify({ ...exported, jobs: exported.jobs.slice(i, i + 300) }), format: 'json' });
      expect(body.length).toBeLessThan(256 * 1024);
      const answer = JSON.parse(api('POST', '/jobs/import', {}, body)) as {
        ok: boolean;
        data: { created: string[]; updated: string[]; unchanged: string[] };
      };
      expect(answer.ok).toBe(true);
      expect(answer.data.created).toEqual([]);
      unchanged += answer.data.unchanged.length;
    }
    expect(unchanged).toBe(JOBS);
  });
});
