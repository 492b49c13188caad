import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { RUN_COLUMNS, RUNS_TAB } from '../../../src-server/app/logs';
import { createFakeWorld, resetCalls, type FakeWorld, storedRows } from './fakes';
const RUN = Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, i])) as Record<(typeof RUN_COLUMNS)[number], number>;

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const base = {
  name: 'Daily Sync',
  channels: ['@mkbhd'],
  schedule_type: 'daily',
  schedule_value: '09:00',
  target_tab_name: 'Videos',
};

function setup(start = '2026-01-05T12:00:00Z') {
  const world = createFakeWorld(start);
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 120);
  const app = createSchedulerApp(world.deps);
  return { world, app };
}

/** A fresh app per execution, as Apps Script gives each trigger run a fresh global scope. */
function execution(world: FakeWorld) {
  return createSchedulerApp(world.deps);
}

function runs(world: FakeWorld): { status: string; trigger: string; scheduled_for: string; error: string }[] {
  return (world.spreadsheets.tab(RUNS_TAB)?.rows.slice(1) ?? []).map((r) => ({
    scheduled_for: String(r[RUN.scheduled_for]),
    status: String(r[RUN.status]),
    trigger: String(r[RUN.trigger]),
    error: String(r[RUN.error]),
  }));
}

describe('tick', () => {
  test('an idle tick reads one property and nothing else', () => {
    const { world, app } = setup();
    app.createJob(base, owner);
    resetCalls(world.calls);
    const result = execution(world).tick();
    expect(result.ran).toBe(0);
    expect(result.next_wake_at).toBe('2026-01-05T14:00:00.000Z');
    expect(world.calls).toEqual({ 'properties.get': 1 });
  });

  test('a due occurrence runs once, writes rows and a run row; the precise trigger is re-armed', () => {
    const { world, app } = setup();
    const { job } = app.createJob(base, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    const result = execution(world).tick();
    expect(result.ran).toBe(1);
    expect(result.next_wake_at).toBe('2026-01-06T14:00:00.000Z');
    expect(world.spreadsheets.tab('Videos')!.rows.length).toBe(121);
    expect(runs(world)).toEqual([{ scheduled_for: '2026-01-05T14:00:00.000Z', status: 'succeeded', trigger: 'schedule', error: '' }]);
    const precise = world.triggers.items.filter((t) => t.kind === 'clock-at');
    expect(precise.map((t) => t.at)).toEqual(['2026-01-06T14:00:00.000Z']);
    expect(world.triggers.items).toHaveLength(2);
    // Ticking again at the same instant does not run it again.
    expect(execution(world).tick().ran).toBe(0);
    expect(runs(world)).toHaveLength(1);
    const detail = app.getJob(job.id);
    expect(detail.last_run!.status).toBe('succeeded');
    expect(detail.recent_runs).toHaveLength(1);
  });

  test('a claimed run is leased: another tick does not run it; after the lease expires it resumes with the same run id', () => {
    const { world, app } = setup();
    app.createJob(base, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    // Simulate an execution that claimed the run and died: use a tick whose YouTube call "kills" it.
    world.youtube.failures.push(Object.assign(new Error('Exceeded maximum execution time'), { name: 'Killed' }));
    const dying = execution(world);
    const realRelease = world.lock.release.bind(world.lock);
    let phase = 0;
    world.lock.release = () => {
      realRelease();
      phase++;
      if (phase === 1) throw new Error('killed after claiming');
    };
    expect(() => dying.tick()).toThrow('killed after claiming');
    world.lock.release = realRelease;
    world.youtube.failures.length = 0;
    const state = [...storedRows(world).values()][0]!.state as { planner: { lease: { run_id: string } } };
    const runId = state.planner.lease.run_id;
    // Within the lease: nothing runs.
    world.clock.set('2026-01-05T14:03:00Z');
    expect(execution(world).tick().ran).toBe(0);
    expect(runs(world)).toHaveLength(0);
    // After the lease: resumed under the same run id.
    world.clock.set('2026-01-05T14:08:00Z');
    expect(execution(world).tick().ran).toBe(1);
    const rows = world.spreadsheets.tab(RUNS_TAB)!.rows.slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]![0]).toBe(runId);
    expect(rows[0]![6]).toBe('succeeded');
  });

  test('a run cut by the time budget keeps its claim and is resumed by the next tick', () => {
    const { world, app } = setup();
    app.createJob({ ...base, name: 'A', target_tab_name: 'A' }, owner);
    app.createJob({ ...base, name: 'B', target_tab_name: 'B' }, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    // The execution has already used its work budget after the first run.
    const exec = execution(world);
    let calls = 0;
    // Time is read by the claim (its capacity), the first run's deadline and its start check.
    world.deps.budget = { elapsedMs: () => (calls++ > 2 ? 300_000 : 0) };
    const first = createSchedulerApp(world.deps).tick();
    void exec;
    expect(first.ran).toBe(1);
    expect(first.next_wake_at).toBe('2026-01-05T14:00:30.000Z');
    world.deps.budget = { elapsedMs: () => 0 };
    world.clock.set('2026-01-05T14:01:30Z');
    expect(execution(world).tick().ran).toBe(1);
    expect(runs(world).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  test('downtime: catch_up latest runs one catch-up and records the rest missed; none records all missed', () => {
    const { world, app } = setup('2026-01-05T12:00:00Z');
    app.createJob({ ...base, name: 'L', target_tab_name: 'L', catch_up: 'latest' }, owner);
    app.createJob({ ...base, name: 'N', target_tab_name: 'N', catch_up: 'none' }, owner);
    world.clock.set('2026-01-07T16:00:00Z'); // two days later, 2 h after the 09:00 EST occurrence
    execution(world).tick();
    const rows = runs(world);
    const l = rows.filter((r) => r.status !== '');
    expect(l.filter((r) => r.status === 'missed')).toHaveLength(5);
    expect(rows.filter((r) => r.trigger === 'catch-up')).toEqual([
      expect.objectContaining({ scheduled_for: '2026-01-07T14:00:00.000Z', status: 'succeeded' }),
    ]);
  });
});

describe('run now', () => {
  test('runNow runs in this execution; bulk run_now is queued for the next tick', () => {
    const { world, app } = setup();
    const a = app.createJob(base, owner).job.id;
    const b = app.createJob({ ...base, name: 'B', target_tab_name: 'B' }, owner).job.id;
    const run = app.runNow(a, { kind: 'api', key_id: 'k_1' });
    expect(run).toEqual(expect.objectContaining({ status: 'succeeded', trigger: 'api', scheduled_for: null }));
    expect(run.videos_added).toBe(120);
    const queued = execution(world).bulk('run_now', [b], owner);
    expect(queued.results).toEqual([{ id: b, ok: true }]);
    expect(world.properties.data['meta:next_due']).toBe(world.clock.now().toISOString());
    world.clock.advance(60_000);
    expect(execution(world).tick().ran).toBe(1);
    expect(runs(world).map((r) => r.trigger)).toEqual(['api', 'manual']);
    // The scheduled 09:00 occurrence still runs.
    world.clock.set('2026-01-05T14:00:30Z');
    expect(execution(world).tick().ran).toBe(2);
  });
});

describe('run now past the time budget', () => {
  test('reports the run as deferred (not final) and the next tick finishes the same run', () => {
    const { world, app } = setup();
    const id = app.createJob(base, owner).job.id;
    // The execution has already used its work budget: the sync stops before its first page.
    world.deps.budget = { elapsedMs: () => 300_000 };
    const pending = createSchedulerApp(world.deps).runNow(id, owner);
    expect(pending).toEqual(expect.objectContaining({ status: 'deferred', started_at: null, finished_at: null, trigger: 'manual' }));
    expect(runs(world)).toEqual([]);
    world.deps.budget = { elapsedMs: () => 0 };
    world.clock.advance(60_000);
    expect(execution(world).tick().ran).toBe(1);
    expect(runs(world)).toEqual([expect.objectContaining({ status: 'succeeded', trigger: 'manual' })]);
    const row = world.spreadsheets.tab(RUNS_TAB)!.rows[1]!;
    expect(row[RUN.run_id]).toBe(pending.run_id);
    // The first execution never started the work: the run started with the tick that did it.
    expect(row[RUN.started_at]).toBe('2026-01-05T12:01:00.000Z');
    expect(Number(row[RUN.duration_ms])).toBe(Date.parse(String(row[RUN.finished_at])) - Date.parse(String(row[RUN.started_at])));
  });
});

describe('notifications', () => {
  test('failure after retries are exhausted, throttled to one an hour, then recovery', () => {
    const { world, app } = setup();
    world.youtube.addChannel('@flaky', 'UCflaky00000000000000000', 3);
    app.createJob(
      {
        ...base,
        channels: ['@flaky'],
        schedule_type: 'interval',
        schedule_value: '5m',
        max_retries: 0,
        notify_emails: ['ops@example.com'],
      },
      owner,
    );
    world.youtube.channels = world.youtube.channels.filter((c) => c.handle !== '@flaky'); // gone after it was checked
    world.clock.set('2026-01-05T12:05:30Z');
    execution(world).tick();
    expect(runs(world).map((r) => r.status)).toEqual(['failed']);
    expect(world.mailer.sent).toHaveLength(1);
    expect(world.mailer.sent[0]!.subject).toContain('failed');
    expect(world.mailer.sent[0]!.body).toMatch(/Error: .*flaky/i);
    expect(world.mailer.sent[0]!.body).toContain('Next attempt: 2026-01-05T12:10:00.000Z');
    expect(world.mailer.sent[0]!.body).toContain('https://docs.google.com/spreadsheets/d/sheet-1/edit');
    world.clock.set('2026-01-05T12:10:30Z');
    execution(world).tick();
    expect(runs(world).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(world.mailer.sent).toHaveLength(1); // throttled
    world.youtube.addChannel('@flaky', 'UCflaky00000000000000000', 3);
    world.clock.set('2026-01-05T12:15:30Z');
    execution(world).tick();
    expect(runs(world).map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(world.mailer.sent).toHaveLength(2);
    expect(world.mailer.sent[1]!.subject).toContain('recovered');
  });

  test('no mail beyond the MailApp quota', () => {
    const { world, app } = setup();
    world.youtube.addChannel('@gone', 'UCgone000000000000000000', 1);
    app.createJob(
      { ...base, channels: ['@gone'], schedule_type: 'interval', schedule_value: '5m', max_retries: 0, notify_emails: ['ops@example.com'] },
      owner,
    );
    world.youtube.channels = world.youtube.channels.filter((c) => c.handle !== '@gone');
    world.mailer.quota = 0;
    world.clock.set('2026-01-05T12:05:30Z');
    execution(world).tick();
    expect(world.mailer.sent).toHaveLength(0);
    expect(world.logs.some((l) => l.includes('Mail quota exhausted'))).toBe(true);
  });
});

describe('read side', () => {
  test('stats, health, calendar, monitor, run history', () => {
    const { world, app } = setup();
    const { job } = app.createJob(base, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    execution(world).tick();
    const stats = app.stats();
    expect(stats.overall[0]).toEqual(
      expect.objectContaining({ window: '24h', runs: 1, succeeded: 1, success_rate: 1, videos_written: 120 }),
    );
    expect(stats.per_job[0]!.job_id).toBe(job.id);
    const health = execution(world).health();
    expect(health.triggers.heartbeat).toBe(true);
    expect(health.timezones.every((z) => z.ok)).toBe(true);
    expect(health.youtube_quota.used_today).toBeGreaterThan(0);
    expect(health.property_store.used_bytes).toBeGreaterThan(0);
    const cal = app.calendar('2026-01', 'America/New_York');
    const day5 = cal.days.find((d) => d.date === '2026-01-05')!;
    expect(day5.entries.map((e) => e.kind)).toEqual(['succeeded']);
    expect(cal.days.find((d) => d.date === '2026-01-06')!.entries.map((e) => e.kind)).toEqual(['scheduled']);
    expect(app.jobRuns(job.id, {}).items).toHaveLength(1);
    expect(app.monitor().last_24h).toEqual(expect.objectContaining({ runs: 1, succeeded: 1, success_rate: 1 }));
  });

  test('health repairs a missing heartbeat and a duplicate', () => {
    const { world, app } = setup();
    app.createJob(base, owner);
    world.triggers.items = world.triggers.items.filter((t) => t.kind !== 'clock-every-minutes');
    world.triggers.createHeartbeat('tick', 5);
    world.triggers.createHeartbeat('tick', 5);
    const health = execution(world).health();
    expect(health.triggers.repaired.length).toBeGreaterThan(0);
    const tickTriggers = world.triggers.items.filter((t) => t.handler === 'tick');
    expect(tickTriggers.filter((t) => t.kind === 'clock-every-minutes')).toHaveLength(1);
    expect(tickTriggers.filter((t) => t.kind === 'clock-at')).toHaveLength(1);
    expect(execution(world).ensureTriggers()).toEqual([]);
  });
});

describe('quota', () => {
  test('quotaExceeded defers all YouTube work until midnight Pacific, then the run happens', async () => {
    const { YouTubeApiError } = await import('../../../src-server/ports');
    const { world, app } = setup();
    app.createJob({ ...base, schedule_type: 'interval', schedule_value: '30m' }, owner);
    app.createJob({ ...base, name: 'Other', target_tab_name: 'Other', schedule_type: 'interval', schedule_value: '30m' }, owner);
    world.youtube.failures.push(new YouTubeApiError('quota', 'channels.list', 403, 'quotaExceeded', 'quota'));
    world.clock.set('2026-01-05T12:30:30Z');
    execution(world).tick();
    // The first run hits quotaExceeded; the second is not even started, and is deferred the same way.
    expect(runs(world).map((r) => r.status)).toEqual(['deferred', 'deferred']);
    const notStarted = world.spreadsheets.tab(RUNS_TAB)!.rows[2]!;
    expect(notStarted[4]).toBe(''); // started_at: it never ran
    expect(String(notStarted[12])).toMatch(/quota/i);
    expect(app.listJobs({}).items.map((j) => j.status)).toEqual(['active', 'active']); // not left "running"
    const health = execution(world).health();
    expect(health.youtube_quota.deferred_until).toBe('2026-01-05T08:00:00.000Z'.replace('01-05', '01-06'));
    expect(health.warnings.join(' ')).toMatch(/quota exhausted/i);
    const executed = () => runs(world).filter((r) => r.status === 'succeeded' || r.status === 'failed');
    world.clock.set('2026-01-05T15:00:30Z');
    execution(world).tick();
    expect(executed()).toEqual([]); // still waiting for the reset (what passes meanwhile is logged missed)
    expect(world.calls['youtube.listChannels']).toBe(1); // the check at creation (the run reuses its answer)
    expect(world.calls['youtube.listPlaylistItems']).toBe(1); // the run's refused read
    world.clock.set('2026-01-06T08:00:30Z');
    execution(world).tick();
    expect(executed().map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('sidebar view', () => {
  test('opening the sidebar repairs a missing heartbeat and reports it', () => {
    const { world, app } = setup();
    app.createJob(base, owner);
    world.triggers.items = [];
    const view = execution(world).sidebarView();
    expect(view.health.warnings.join(' ')).toMatch(/Triggers repaired/);
    expect(world.triggers.items.filter((t) => t.handler === 'tick')).toHaveLength(2);
    expect(view.jobs).toHaveLength(1);
    expect(view.next_runs[0]!.at).toBe('2026-01-05T14:00:00.000Z');
    resetCalls(world.calls);
    execution(world).sidebarView();
    expect(world.calls['properties.setMany']).toBeUndefined(); // nothing to repair: nothing written
    // Routine upkeep is not a warning: here the precise trigger is moved (its 14:00 instant is
    // minutes away, so it is re-armed for a later one) and nothing else changes.
    world.clock.set('2026-01-05T14:03:00Z');
    const later = execution(world).sidebarView();
    expect(world.triggers.items.filter((t) => t.kind === 'clock-at').map((t) => t.at)).not.toEqual(['2026-01-05T14:00:00.000Z']);
    expect(later.health.warnings.join(' ')).not.toMatch(/Triggers repaired/);
  });
});
