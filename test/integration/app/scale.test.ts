/**
 * The scheduler at the scale, through the built bundle in the local runtime with the default
 * latency model (Spreadsheet reads and writes priced by volume): 10,000 stored jobs, of which 2,000
 * daily jobs at 48 local times in 6 zones run exactly once a day for 3 days, every tick fired by the
 * emulator's triggers; the 10,001st job is refused naming the limit. And a tick, an API create and a
 * sidebar edit at once lose no update.
 */
import type { ExecutionResult, Runtime } from '../../../emulator';
import { auditRows, buildTestBundle, newRuntime, removeBundle, runRows, value, call } from './harness';

jest.setTimeout(20 * 60_000);

let dir: string;
beforeAll(async () => {
  dir = await buildTestBundle();
});
afterAll(() => removeBundle(dir));

const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
});

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Sydney'];
const CHANNELS = ['@tinycooking', '@shortsonly', '@retrotech', '@privatemix'];
const DAILY = 2_000;
const STORED = 10_000;
const HOUR = 3_600_000;

function dailyJobs(): Record<string, unknown>[] {
  return Array.from({ length: DAILY }, (_, i) => {
    const slot = i % 48; // every half hour of the local day
    return {
      name: `Daily ${i}`,
      channels: [CHANNELS[i % CHANNELS.length]],
      schedule_type: 'daily',
      schedule_value: `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`,
      timezone: ZONES[i % ZONES.length],
      target_tab_name: `Daily ${i % 100}`,
      columns: ['video_id', 'title', 'published_at'],
    };
  });
}

/** The rest of the store: monthly jobs on the 28th, never due in the days simulated. */
function idleJobs(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Monthly ${i}`,
    channels: ['@tinycooking'],
    schedule_type: 'monthly',
    schedule_value: '28@06:00',
    timezone: 'UTC',
    target_tab_name: `Monthly ${i % 50}`,
    columns: ['video_id', 'title'],
  }));
}

function importJobs(rt: Runtime, jobs: Record<string, unknown>[]): string[] {
  return value<{ created: string[] }>(rt, 'importJobs', JSON.stringify(jobs), 'json', '$owner').created;
}

test('2,000 daily jobs in 6 zones run exactly once a day for 3 days while the store holds 10,000 jobs; the 10,001st is refused naming the limit', () => {
  // A consumer account's 90 min of daily trigger runtime (the stricter limit): the day's runs (about
  // 2,000 × 1.3 s) and one read of the 10,000-row jobs tab per busy tick fit it (the record phase
  // reuses the claim's copy; see bench/store.bench.ts and docs/operations.md "Costs at scale").
  const rt = newRuntime(dir, { start: '2026-01-04T12:00:00Z', account: 'consumer' });
  runtimes.push(rt);
  value(rt, 'updateSettings', { run_history_rows: 50_000 }, '$owner');
  const daily = importJobs(rt, dailyJobs());
  importJobs(rt, idleJobs(STORED - DAILY));
  expect(daily).toHaveLength(DAILY);
  expect(value<{ total: number }>(rt, 'listJobs', { page_size: 1 }).total).toBe(STORED);

  // The store is full: one more job is refused whole, naming the limit; nothing is written.
  const refused = call(rt, 'createJob', { ...dailyJobs()[0], name: 'One too many' }, '$owner');
  expect(refused.error).toMatchObject({ status: 413, code: 'store_full' });
  expect(refused.error!.message).toMatch(/at most 10,000 jobs: 10,000 are stored, so 0 more can be added/);
  expect(value<{ total: number }>(rt, 'listJobs', { page_size: 1 }).total).toBe(STORED);

  const start = Date.parse('2026-01-05T00:00:00Z');
  const end = start + 72 * HOUR;
  const results: ExecutionResult[] = rt.advanceTo(new Date(end));
  const failed = results.filter((r) => !r.ok);
  expect(failed.map((r) => `${r.startedAt.toISOString()} ${r.error?.message}`)).toEqual([]);
  expect(results.filter((r) => r.fn === 'tick').length).toBeGreaterThan(3 * 24 * 12 * 0.9); // the 5-minute heartbeat, and the precise trigger

  const rows = runRows(rt);
  expect(rows.filter((r) => r.status !== 'succeeded').map((r) => `${r.job_id} ${r.scheduled_for} ${r.status} ${r.error}`)).toEqual([]);
  const dailyIds = new Set(daily);
  expect(rows.filter((r) => !dailyIds.has(r.job_id))).toEqual([]); // the monthly jobs never ran
  // Per job: one run per UTC day of the 3 (the occurrences are 24 h apart), each occurrence once.
  const byJob = new Map<string, number[]>();
  for (const r of rows) {
    const at = Date.parse(r.scheduled_for);
    if (at < start || at >= end) continue;
    byJob.set(r.job_id, [...(byJob.get(r.job_id) ?? []), at]);
  }
  expect(byJob.size).toBe(DAILY);
  const wrong: string[] = [];
  for (const [id, times] of byJob) {
    const days = times.map((t) => Math.floor((t - start) / (24 * HOUR))).sort();
    if (days.join() !== '0,1,2') wrong.push(`${id}: ${times.map((t) => new Date(t).toISOString()).join(' ')}`);
  }
  expect(wrong).toEqual([]);
  // No run recorded twice, including the runs of the first half-day.
  expect(new Set(rows.map((r) => r.run_id)).size).toBe(rows.length);
  expect(new Set(rows.map((r) => `${r.job_id} ${r.scheduled_for}`)).size).toBe(rows.length);
  // Each tick stayed within its execution and within the work budget.
  expect(Math.max(...results.map((r) => r.elapsedMs))).toBeLessThan(6 * 60_000);
});

describe('a tick, an API create and a sidebar edit at once', () => {
  const KEY = 'y2s_k_0000ddd1_overlapScaleKeySecret000000001';
  const DUE_JOB = {
    name: 'Due',
    channels: ['@tinycooking'],
    schedule_type: 'daily',
    schedule_value: '14:00',
    timezone: 'UTC',
    target_tab_name: 'Due',
  };

  test('while the tick runs its claim outside the lock, both changes land, and the tick records its run without undoing them', async () => {
    const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z' });
    runtimes.push(rt);
    expect(rt.run('importLocalApiKey_', KEY, { name: 'overlap', scope: 'write' }).ok).toBe(true);
    const due = value<{ job: { id: string } }>(rt, 'createJob', DUE_JOB, '$owner').job.id;
    const edited = value<{ job: { id: string; version: number } }>(
      rt,
      'createJob',
      { ...DUE_JOB, name: 'Edited', schedule_value: '18:00', target_tab_name: 'Edited' },
      '$owner',
    ).job;
    // Filler rows around them, so the tick's record rewrites a block in a table of many rows.
    importJobs(rt, idleJobs(150));
    rt.run('testDeleteTriggers');
    rt.clock.set(new Date('2026-01-05T14:00:30Z'));

    let others: Promise<unknown[]> | null = null;
    const tick = rt.runAsync('tick', [], {
      beforeCall: async (c) => {
        // The tick has claimed its run and released the lock: it is calling YouTube.
        if (others || !c.name.startsWith('YouTube')) return;
        others = Promise.all([
          rt.webRequestAsync({
            method: 'POST',
            pathInfo: 'api/v1/jobs',
            query: { key: KEY },
            body: JSON.stringify({ ...DUE_JOB, name: 'Created by API', schedule_value: '15:00', target_tab_name: 'Api' }),
            contentType: 'application/json',
          }),
          rt.scriptRunAsync('patchJob', [edited.id, { name: 'Edited in the sidebar', priority: 9 }, edited.version]),
        ]);
        await others;
      },
    });
    const t = await tick;
    expect(others).not.toBeNull();
    const [api, sidebar] = (await others!) as [
      { result: ExecutionResult; response: { body: string } | null },
      ExecutionResult<{ ok: boolean }>,
    ];
    expect(t.ok).toBe(true);
    expect(JSON.parse(api.response!.body)).toMatchObject({ ok: true });
    expect(sidebar.value).toMatchObject({ ok: true });

    const jobs = value<{ items: { id: string; config: { name: string; priority: number }; version: number }[] }>(rt, 'listJobs', {
      page_size: 200,
    }).items;
    expect(jobs).toHaveLength(153);
    expect(jobs.find((j) => j.config.name === 'Created by API')).toBeDefined();
    expect(jobs.find((j) => j.id === edited.id)).toMatchObject({
      config: { name: 'Edited in the sidebar', priority: 9 },
      version: edited.version + 1,
    });
    expect(
      runRows(rt)
        .filter((r) => r.job_id === due)
        .map((r) => r.status),
    ).toEqual(['succeeded']);
    const actions = auditRows(rt).map((a) => a.action);
    expect(actions.filter((a) => a === 'job.create')).toHaveLength(153);
    expect(actions.filter((a) => a === 'job.patch')).toHaveLength(1);
    // The API job's 15:00 occurrence is the next wake-up: the tick's record kept it.
    expect(rt.properties.script['meta:next_due']).toBe('2026-01-05T15:00:00.000Z');
    rt.clock.set(new Date('2026-01-05T15:00:30Z'));
    expect(rt.run('tick').ok).toBe(true);
    const apiJob = jobs.find((j) => j.config.name === 'Created by API')!;
    expect(
      runRows(rt)
        .filter((r) => r.job_id === apiJob.id)
        .map((r) => r.status),
    ).toEqual(['succeeded']);
  });
});
