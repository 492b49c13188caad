/**
 * The scheduler through the built bundle in the local runtime: triggers fire `tick` on the virtual
 * clock; jobs are created through the use cases (test entry, see entry.ts).
 */
import type { ExecutionResult, Runtime } from '../../../emulator';
import { auditRows, buildTestBundle, call, newRuntime, removeBundle, runRows, value } from './harness';

jest.setTimeout(240_000);

let dir: string;
beforeAll(async () => {
  dir = await buildTestBundle();
});
afterAll(() => removeBundle(dir));

const runtimes: Runtime[] = [];
function runtime(start: string): Runtime {
  const rt = newRuntime(dir, { start });
  runtimes.push(rt);
  return rt;
}
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
});

const DAILY = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  timezone: 'America/New_York',
  target_sheet_id: '',
  target_tab_name: 'Videos',
};

function createJob(rt: Runtime, config: Record<string, unknown>): string {
  return value<{ job: { id: string } }>(rt, 'createJob', config, '$owner').job.id;
}

function tabRows(rt: Runtime, tab: string): unknown[][] {
  return rt.spreadsheets.sheet(rt.spreadsheetId, tab) ? rt.spreadsheets.values(rt.spreadsheetId, tab) : [];
}

function tickTriggers(rt: Runtime) {
  return rt.triggers.filter((t) => t.handler === 'tick');
}

test('a daily 09:00 America/New_York job fires at 09:00 local every day for a week across the DST change', () => {
  const rt = runtime('2026-03-05T12:00:00Z'); // US DST starts 2026-03-08
  // A 30-minute heartbeat keeps the week short to simulate; the precise trigger does the timing.
  value(rt, 'updateSettings', { heartbeat_minutes: 30 }, '$owner');
  const id = createJob(rt, DAILY);
  const results = rt.advanceTo('2026-03-12T18:00:00Z');
  expect(results.every((r) => r.ok)).toBe(true);
  const rows = runRows(rt).filter((r) => r.job_id === id);
  expect(rows.map((r) => r.scheduled_for)).toEqual([
    '2026-03-05T14:00:00.000Z',
    '2026-03-06T14:00:00.000Z',
    '2026-03-07T14:00:00.000Z',
    '2026-03-08T13:00:00.000Z', // 09:00 EDT
    '2026-03-09T13:00:00.000Z',
    '2026-03-10T13:00:00.000Z',
    '2026-03-11T13:00:00.000Z',
    '2026-03-12T13:00:00.000Z',
  ]);
  for (const row of rows) {
    expect(row.status).toBe('succeeded');
    expect(row.trigger).toBe('schedule');
    // The precise trigger fires at the instant: well within the heartbeat interval.
    const lag = Date.parse(row.started_at) - Date.parse(row.scheduled_for);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60_000);
  }
  const videos = tabRows(rt, 'Videos');
  expect(videos[0]).toEqual(expect.arrayContaining(['video_id', 'title']));
  expect(videos.length).toBeGreaterThan(1);
  // Never more than one heartbeat and one precise trigger.
  expect(tickTriggers(rt).length).toBeLessThanOrEqual(2);
  expect(tickTriggers(rt).filter((t) => t.schedule === 'everyMinutes')).toHaveLength(1);
  const sheet = rt.spreadsheets.sheet(rt.spreadsheetId, '_y2s_runs')!;
  expect(sheet.hidden).toBe(true);
});

test('triggers disabled for two days, then restored: catch_up decides, the history shows what was missed', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const latest = createJob(rt, { ...DAILY, name: 'Latest', target_tab_name: 'L', catch_up: 'latest' });
  const none = createJob(rt, { ...DAILY, name: 'None', target_tab_name: 'N', catch_up: 'none' });
  const all = createJob(rt, { ...DAILY, name: 'All', target_tab_name: 'A', catch_up: 'all' });
  expect(rt.run('testDeleteTriggers').value).toBe(2);
  rt.advanceTo('2026-01-07T18:00:00Z'); // nothing fires: 09:00 on the 5th, 6th and 7th pass unseen
  expect(runRows(rt)).toEqual([]);
  expect(rt.run('repairTriggers').ok).toBe(true); // the menu's "Repair triggers"
  expect(tickTriggers(rt)).toHaveLength(2);
  rt.advanceTo('2026-01-07T19:00:00Z');
  const rows = runRows(rt);
  const of = (id: string) => rows.filter((r) => r.job_id === id).map((r) => `${r.scheduled_for.slice(0, 10)} ${r.status} ${r.trigger}`);
  expect(of(latest)).toEqual(['2026-01-05 missed schedule', '2026-01-06 missed schedule', '2026-01-07 succeeded catch-up']);
  expect(of(none)).toEqual(['2026-01-05 missed schedule', '2026-01-06 missed schedule', '2026-01-07 missed schedule']);
  expect(of(all)).toEqual(['2026-01-05 succeeded catch-up', '2026-01-06 succeeded catch-up', '2026-01-07 succeeded catch-up']);
  const history = value<{ items: { status: string }[] }>(rt, 'jobRuns', none, {});
  expect(history.items.map((r) => r.status)).toEqual(['missed', 'missed', 'missed']);
});

test('two overlapping ticks never run the same occurrence twice', async () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, DAILY);
  rt.run('testDeleteTriggers');
  rt.clock.set(new Date('2026-01-05T14:00:10Z'));
  let second: Promise<ExecutionResult> | null = null;
  const first = rt.runAsync('tick', [], {
    // Once the first tick has claimed the run and is calling YouTube, a second tick runs to completion.
    beforeCall: async (c) => {
      if (!second && c.name.startsWith('YouTube')) {
        // Force the full path (not the idle one) so the second tick plans and meets the lease.
        rt.properties.script['meta:next_due'] = '';
        second = rt.runAsync('tick');
        await second;
      }
    },
  });
  const [a] = await Promise.all([first]);
  expect(second).not.toBeNull();
  const b = await second!;
  expect(a.ok).toBe(true);
  expect(b.ok).toBe(true);
  expect(b.calls['LockService.Lock.tryLock']).toBeGreaterThan(0);
  expect(b.calls['YouTube.PlaylistItems.list'] ?? 0).toBe(0);
  // Two more ticks at once, later the same day: nothing new is due.
  await Promise.all([rt.runAsync('tick'), rt.runAsync('tick')]);
  const rows = runRows(rt).filter((r) => r.job_id === id);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.status).toBe('succeeded');
  const videos = tabRows(rt, 'Videos')
    .slice(1)
    .map((r) => r[0]);
  expect(new Set(videos).size).toBe(videos.length);
});

test('a tick killed mid-run is resumed by a later tick with the same run and no duplicate row', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, { ...DAILY, channels: ['@bigchannel'], max_videos: 5000 });
  // The first two playlist pages take 200 s each: the execution passes 6 minutes and is killed mid-run.
  rt.youtube.injectFault({ method: 'playlistItems.list', kind: 'slow', latencyMs: 200_000, times: 2 });
  const first = rt.advanceTo('2026-01-05T14:01:00Z').filter((r) => Object.keys(r.calls).length > 2);
  expect(first.some((r) => r.killed)).toBe(true);
  const lease = JSON.parse(String(tabRows(rt, '_y2s_jobs').find((r) => r[0] === id)![2])) as { planner: { lease: { run_id: string } } };
  const runId = lease.planner.lease.run_id;
  expect(runRows(rt)).toEqual([]);
  rt.advanceTo('2026-01-05T15:00:00Z');
  const rows = runRows(rt).filter((r) => r.job_id === id);
  expect(rows.map((r) => [r.run_id, r.status])).toEqual([[runId, 'succeeded']]);
  const videos = tabRows(rt, 'Videos')
    .slice(1)
    .map((r) => r[0]);
  expect(videos.length).toBe(5000);
  expect(new Set(videos).size).toBe(5000);
});

test('a full property store refuses what it holds (settings), never jobs or runs; existing jobs stay intact', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, DAILY);
  const store = rt.properties.script;
  let used = Object.entries(store).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  for (let i = 0; used < 500 * 1024 - 300; i++) {
    const fill = 'x'.repeat(Math.min(8_000, 500 * 1024 - 300 - used));
    store[`filler:${i}`] = fill;
    used += `filler:${i}`.length + fill.length;
  }
  // Jobs live in the hidden jobs tab: a new one is stored, and both run.
  const second = createJob(rt, { ...DAILY, name: 'One more', description: 'd'.repeat(800), target_tab_name: 'More' });
  expect(value<{ config: { description: string } }>(rt, 'getJob', second).config.description).toHaveLength(800);
  rt.advanceTo('2026-01-05T14:10:00Z');
  expect(
    runRows(rt)
      .filter((r) => r.status === 'succeeded')
      .map((r) => r.job_id)
      .sort(),
  ).toEqual([id, second].sort());
  expect(value<{ config: { name: string } }>(rt, 'getJob', id).config.name).toBe('Daily Sync');
});

test('failure mail after retries, throttled to one an hour, then a recovery mail', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  createJob(rt, {
    ...DAILY,
    name: 'Flaky',
    schedule_type: 'interval',
    schedule_value: '10m',
    max_retries: 1,
    retry_backoff_minutes: 1,
    notify_emails: ['ops@example.com'],
  });
  rt.youtube.injectFault({ kind: 'backendError' });
  rt.advanceTo('2026-01-05T12:45:00Z');
  const failed = runRows(rt).filter((r) => r.status === 'failed');
  expect(failed.length).toBeGreaterThanOrEqual(4);
  expect(failed.some((r) => r.trigger === 'retry')).toBe(true);
  const failures = rt.mail.filter((m) => /failed/.test(m.subject));
  expect(failures).toHaveLength(1); // one per hour at most
  expect(failures[0]!.to).toContain('ops@example.com');
  expect(failures[0]!.body).toMatch(/Error: /);
  expect(failures[0]!.body).toMatch(/Next attempt: 2026-01-05T/);
  expect(failures[0]!.body).toMatch(/Spreadsheet: https:\/\/docs\.google\.com\/spreadsheets\//);
  rt.youtube.clearFaults();
  rt.advanceTo('2026-01-05T13:05:00Z');
  expect(runRows(rt).some((r) => r.status === 'succeeded')).toBe(true);
  const recovery = rt.mail.filter((m) => /recovered/.test(m.subject));
  expect(recovery).toHaveLength(1);
});

test('every mutation writes an audit row naming its actor', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, DAILY);
  value(rt, 'updateJob', id, { ...DAILY, name: 'Renamed' }, '$owner', 1);
  value(rt, 'patchJob', id, { schedule_value: '10:00' }, { kind: 'api', key_id: 'k_abc123' }, 2);
  value(rt, 'pauseJob', id, '$owner');
  value(rt, 'resumeJob', id, '$owner');
  value(rt, 'disableJob', id, '$owner');
  value(rt, 'enableJob', id, '$owner');
  value(rt, 'bulk', 'pause', [id], '$owner');
  value(rt, 'runNow', id, '$owner');
  value(rt, 'updateSettings', { heartbeat_minutes: 10 }, '$owner');
  const exported = value<{ body: string }>(rt, 'exportJobs', 'json', {});
  value(rt, 'importJobs', exported.body, 'json', '$owner'); // unchanged: only the import row
  value(rt, 'importJobs', exported.body.replace('"Renamed"', '"Renamed again"'), 'json', '$owner');
  value(rt, 'deleteJob', id, '$owner');
  const rows = auditRows(rt);
  expect(rows.map((r) => r.action)).toEqual([
    'job.create',
    'job.update',
    'job.patch',
    'job.pause',
    'job.resume',
    'job.disable',
    'job.enable',
    'job.pause',
    'job.run_now',
    'settings.update',
    'import',
    'job.update',
    'import',
    'job.delete',
  ]);
  expect(rows[2]!.actor).toBe('api:k_abc123');
  expect(rows[0]!.actor).toBe('user:owner@example.com');
  expect(JSON.parse(rows[1]!.changes)).toEqual({ name: ['Daily Sync', 'Renamed'] });
  expect(rt.spreadsheets.sheet(rt.spreadsheetId, '_y2s_audit')!.hidden).toBe(true);
});

test('quotaExceeded defers all YouTube work until midnight Pacific; health says so; work resumes after the reset', () => {
  const rt = runtime('2026-01-05T12:00:00Z'); // 04:00 in Los Angeles: the quota resets at 2026-01-06T08:00Z
  value(rt, 'updateSettings', { heartbeat_minutes: 30 }, '$owner');
  const a = createJob(rt, { ...DAILY, name: 'A', target_tab_name: 'A' });
  const b = createJob(rt, { ...DAILY, name: 'B', target_tab_name: 'B' });
  rt.youtube.injectFault({ kind: 'quotaExceeded', times: 1 });
  rt.advanceTo('2026-01-05T14:00:30Z'); // both due at 09:00 New York: the first meets the quota, the second waits too
  const first = runRows(rt);
  expect(first.map((r) => r.status)).toEqual(['deferred', 'deferred']);
  expect(new Set(first.map((r) => r.job_id))).toEqual(new Set([a, b]));
  const health = value<{ status: string; warnings: string[]; youtube_quota: { deferred_until: string | null; resets_at: string } }>(
    rt,
    'health',
  );
  expect(health.youtube_quota.deferred_until).toBe('2026-01-06T08:00:00.000Z');
  expect(health.status).toBe('warning');
  expect(health.warnings.join(' ')).toMatch(/YouTube quota exhausted: YouTube work waits until 2026-01-06T08:00:00.000Z/);
  // All day long the ticks make no YouTube call; run now is refused with the reset time.
  const waiting = rt.advanceTo('2026-01-06T07:59:00Z');
  expect(
    waiting.reduce(
      (n, r) =>
        n +
        Object.entries(r.calls)
          .filter(([k]) => k.startsWith('YouTube'))
          .reduce((m, [, v]) => m + v, 0),
      0,
    ),
  ).toBe(0);
  expect(call(rt, 'runNow', a, '$owner').error).toEqual(expect.objectContaining({ status: 429, code: 'quota_exhausted' }));
  expect(runRows(rt).filter((r) => r.status === 'succeeded')).toEqual([]);
  rt.advanceTo('2026-01-06T08:45:00Z');
  const after = runRows(rt).filter((r) => r.status === 'succeeded');
  expect(new Set(after.map((r) => r.job_id))).toEqual(new Set([a, b]));
  expect(after.map((r) => `${r.scheduled_for} ${r.trigger}`)).toEqual(['2026-01-05T14:00:00.000Z retry', '2026-01-05T14:00:00.000Z retry']);
  expect(after.every((r) => Date.parse(r.started_at) >= Date.parse('2026-01-06T08:00:00Z'))).toBe(true);
});

test('service calls: a busy tick lists triggers once, mints one id, opens no mail link; health and the sidebar read the store once', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  createJob(rt, { ...DAILY, name: 'A', target_tab_name: 'A' });
  createJob(rt, { ...DAILY, name: 'B', target_tab_name: 'B' });
  rt.run('testDeleteTriggers'); // the test fires the tick itself
  rt.clock.set(new Date('2026-01-05T14:00:30Z'));
  const busy = rt.run('tick');
  expect(busy.ok).toBe(true);
  expect(runRows(rt).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  const c = busy.calls;
  expect(c['PropertiesService.Properties.getProperties']).toBe(2); // claim, record
  // The claim, the record, and the mark that the record's run rows are appended.
  expect(c['PropertiesService.Properties.setProperties']).toBe(3);
  expect(c['ScriptApp.getProjectTriggers']).toBe(1);
  expect(c['Utilities.getUuid']).toBe(1);
  expect(c['SpreadsheetApp.Spreadsheet.getUrl']).toBeUndefined(); // no mail asked for
  expect(c['SpreadsheetApp.Spreadsheet.getId']).toBe(1);
  // Grid size is read once per tab written (A, B, and the run history at its first append: then its
  // grid is remembered), not once per write; the jobs tab's rows are rewritten inside its grid.
  expect(c['SpreadsheetApp.Sheet.getMaxRows']).toBe(3);
  const health = rt.run('testCall', 'health', []);
  expect(health.calls['PropertiesService.Properties.getProperties']).toBe(1);
  const sidebar = rt.run('testCall', 'sidebarView', []);
  expect(sidebar.calls['PropertiesService.Properties.getProperties']).toBe(1);
  expect(sidebar.calls['Session.getEffectiveUser']).toBe(1);
});

test('runs of one tick each keep their own start, end and duration', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const big = createJob(rt, { ...DAILY, name: 'Mid', channels: ['@midchannel'], target_tab_name: 'Mid' });
  const small = createJob(rt, { ...DAILY, name: 'Tiny', channels: ['@tinycooking'], target_tab_name: 'Tiny' });
  rt.advanceTo('2026-01-05T14:10:00Z');
  const rows = runRows(rt).filter((r) => r.job_id === big || r.job_id === small);
  expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  const [first, second] = [...rows].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
  for (const row of rows) {
    expect(Number(row.duration_ms)).toBe(Date.parse(row.finished_at) - Date.parse(row.started_at));
    expect(Number(row.duration_ms)).toBeGreaterThan(0);
  }
  // The second run starts when the first has ended, not when the tick claimed both.
  expect(Date.parse(second!.started_at)).toBeGreaterThanOrEqual(Date.parse(first!.finished_at));
  const mid = rows.find((r) => r.job_id === big)!;
  const tiny = rows.find((r) => r.job_id === small)!;
  expect(Number(mid.duration_ms)).toBeGreaterThan(Number(tiny.duration_ms)); // 1,200 videos take longer than 12
});

test('run now: the hidden history and audit tabs cost six calls (open, read the end, write: each), and a killed append overwrites nothing', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, DAILY);
  const runNow = () => {
    const r = rt.scriptRun('runJobNow', id);
    expect(r.value).toMatchObject({ ok: true });
    return r.calls;
  };
  runNow(); // the first append of each tab learns where it ends
  const c = runNow();
  // Jobs tab: opened once, read by the claim phase (the record phase reuses that copy), its row written
  // by each phase (claim, record). History and audit tabs: opened once each, their end read and one
  // write each; no grid check and no formats while the end is the remembered one.
  expect(c['SpreadsheetApp.Spreadsheet.getSheetByName']).toBe(3);
  expect(c['SpreadsheetApp.Sheet.getLastRow']).toBe(3);
  expect(c['SpreadsheetApp.Range.setValues']).toBe(4);
  expect((c['SpreadsheetApp.Range.setNumberFormats'] ?? 0) + (c['SpreadsheetApp.Sheet.getMaxRows'] ?? 0)).toBe(0);

  // An execution killed after its history append and before it stored the new end and mark: the
  // next one reads the tab's real end, so it appends after it, overwriting nothing.
  const before = runRows(rt).length;
  const props = rt.properties.script;
  const mark = props['meta:log_mark']!;
  const ends = props['meta:log_ends']!;
  runNow();
  props['meta:log_mark'] = mark;
  props['meta:log_ends'] = ends;
  runNow();
  const rows = runRows(rt);
  expect(rows).toHaveLength(before + 2);
  expect(new Set(rows.map((r) => r.run_id)).size).toBe(rows.length);
  const audit = tabRows(rt, '_y2s_audit')
    .slice(1)
    .filter((r) => r[2] === 'job.run_now');
  expect(audit).toHaveLength(4);
});

test('units spent refreshing statistics are shown apart from new-video syncs: in the run, the history tab and stats', () => {
  const rt = runtime('2026-01-05T12:00:00Z');
  const id = createJob(rt, { ...DAILY, stats_refresh: 'every_run' });
  const runNow = (): RunRowLike => {
    const r = rt.scriptRun('runJobNow', id);
    expect(r.value).toMatchObject({ ok: true });
    return (r.value as { data: RunRowLike }).data;
  };
  runNow();
  rt.clock.set(new Date('2026-01-05T12:10:00Z'));
  const second = runNow();
  expect(second.videos_added).toBe(0);
  expect(second.refresh_units).toBe(1); // the newest rows' statistics: one videos.list
  expect(second.quota_units).toBe(2); // with the page that found nothing new
  const history = tabRows(rt, '_y2s_runs');
  const column = history[0]!.indexOf('refresh_units');
  expect(column).toBeGreaterThan(0);
  expect(Number(history.at(-1)![column])).toBe(1);
  const day = value<{ overall: { window: string; refresh_units: number; quota_units: number }[] }>(rt, 'stats').overall.find(
    (w) => w.window === '24h',
  )!;
  expect(day.refresh_units).toBeGreaterThanOrEqual(1);
  expect(day.refresh_units).toBeLessThan(day.quota_units);
});

interface RunRowLike {
  videos_added: number;
  quota_units: number;
  refresh_units?: number;
}
