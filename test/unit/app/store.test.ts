/**
 * The job store in the hidden jobs tab: migration from the property layout, tab exclusivity on the
 * run-now path, admission, and journals that survive an execution killed at any store call.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { AUDIT_TAB } from '../../../src-server/app/logs';
import { createFakeWorld, storedJobIds, storedRows, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const daily = { name: 'Daily Sync', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };

function world(): FakeWorld {
  const w = createFakeWorld('2026-01-05T12:00:00Z');
  w.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 30);
  w.youtube.addChannel('@other', 'UCother000000000000000000', 30);
  return w;
}

const auditActions = (w: FakeWorld) => (w.spreadsheets.tab(AUDIT_TAB)?.rows.slice(1) ?? []).map((r) => String(r[2]));

describe('migration from the property layout', () => {
  test('jobs, states, sync checkpoints and spooled rows move to the jobs tab on the first locked change, losing nothing', () => {
    const w = world();
    // A snapshot of an install in the layout before the jobs tab.
    const record = {
      id: 'j_old1',
      version: 3,
      paused: false,
      created_at: '2026-01-01T00:00:00.000Z',
      created_by: 'user:a@b',
      updated_at: '2026-01-02T00:00:00.000Z',
      updated_by: 'user:a@b',
      config: {
        name: 'Old job',
        description: '',
        channels: ['@mkbhd'],
        schedule_type: 'daily',
        schedule_value: '09:00',
        timezone: 'America/New_York',
        start_at: null,
        end_at: null,
        target_sheet_id: '',
        target_tab_name: 'Old',
        output_mode: 'upsert',
        columns: ['video_id', 'title'],
        video_filter: 'all',
        max_videos: 500,
        priority: 5,
        max_retries: 3,
        retry_backoff_minutes: 5,
        misfire_grace_minutes: 60,
        catch_up: 'latest',
        notify_emails: [],
        notify_on: ['failure', 'recovery'],
        enabled: true,
        tags: [],
        depends_on: null,
      },
    };
    const state = {
      planner: { last_scheduled_for: '2026-01-04T14:00:00.000Z' },
      active: null,
      requested: null,
      last_run: null,
      last_error: null,
      last_success_at: '2026-01-04T14:01:00.000Z',
      failing: false,
      last_failure_mail_at: null,
      channel_titles: { '@mkbhd': 'MKBHD' },
    };
    const sync = { v: 1, channels: { '@mkbhd': { marker: 'kept' } } };
    w.properties.data = {
      'job:j_old1': JSON.stringify(record),
      'state:j_old1': JSON.stringify(state),
      'sync:j_old1': JSON.stringify(sync),
      'meta:log_spool': JSON.stringify({
        since: '2026-01-04T00:00:00Z',
        error: 'protected',
        runs: [],
        audit: [{ at: '2026-01-04T00:00:00Z', actor: 'system', action: 'job.pause', job_id: 'j_old1', changes: '{}' }],
        dropped_runs: 0,
        dropped_audit: 0,
      }),
      settings: JSON.stringify({ default_timezone: 'America/New_York' }),
    };
    const app = createSchedulerApp(w.deps);
    // Before any locked change the jobs are already visible (read-only views overlay the old layout).
    expect(app.listJobs({}).items.map((j) => j.id)).toEqual(['j_old1']);
    app.createJob({ ...daily, name: 'New job', target_tab_name: 'New' }, owner);
    expect(Object.keys(w.properties.data).filter((k) => /^(job|state|sync):/.test(k) || k === 'meta:log_spool')).toEqual([]);
    const rows = storedRows(w);
    expect(rows.get('j_old1')!.definition).toEqual(record);
    expect(rows.get('j_old1')!.state).toEqual(state);
    expect(rows.get('j_old1')!.sync).toEqual(sync);
    expect(storedJobIds(w)).toHaveLength(2);
    // The spooled row is written, before the new one.
    expect(auditActions(w)).toEqual(['job.pause', 'job.create']);
    expect(app.getJob('j_old1').version).toBe(3);
  });

  test('a migration killed between the tab write and the property delete is completed by the next change', () => {
    const w = world();
    const app = createSchedulerApp(w.deps);
    const { job } = app.createJob(daily, owner);
    // Simulate the old layout once more (as if the delete had not happened), with a newer state.
    const row = storedRows(w).get(job.id)!;
    w.properties.data[`job:${job.id}`] = JSON.stringify(row.definition);
    w.properties.data[`state:${job.id}`] = JSON.stringify({ ...(row.state as object), last_error: 'from properties' });
    createSchedulerApp(w.deps).pauseJob(job.id, owner);
    expect(Object.keys(w.properties.data).filter((k) => k.startsWith('job:') || k.startsWith('state:'))).toEqual([]);
    expect((storedRows(w).get(job.id)!.state as { last_error: string }).last_error).toBe('from properties');
    expect(storedJobIds(w)).toEqual([job.id]);
  });
});

describe('one tab, one run at a time, on every path', () => {
  test('run now of a job whose tab another job is writing is queued, not interleaved; the tick runs it after', () => {
    const w = world();
    const app = createSchedulerApp(w.deps);
    const a = app.createJob({ ...daily, name: 'A', target_tab_name: 'Shared' }, owner).job;
    const b = app.createJob({ ...daily, name: 'B', channels: ['@other'], target_tab_name: 'Shared' }, owner).job;
    // A's run is in progress in another execution: B's run now happens while A is mid-write.
    const list = w.youtube.listPlaylistItems.bind(w.youtube);
    let nested: ReturnType<typeof app.runNow> | null = null;
    w.youtube.listPlaylistItems = (...args) => {
      if (!nested) nested = createSchedulerApp(w.deps).runNow(b.id, owner);
      return list(...args);
    };
    const ranA = createSchedulerApp(w.deps).runNow(a.id, owner);
    w.youtube.listPlaylistItems = list;
    expect(ranA.status).toBe('succeeded');
    expect(nested!.status).toBe('deferred');
    expect(nested!.error).toMatch(/being written by job A/);
    // The next tick runs B; both channels' videos are in the tab, none twice.
    w.clock.set('2026-01-05T12:02:00Z');
    expect(createSchedulerApp(w.deps).tick().ran).toBe(1);
    const ids = w.spreadsheets
      .tab('Shared')!
      .rows.slice(1)
      .map((r) => String(r[0]));
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });
});

describe('admission', () => {
  test('the jobs past MAX_JOBS are refused whole, naming the limit', () => {
    const w = world();
    const app = createSchedulerApp(w.deps);
    const jobs = Array.from({ length: 10_001 }, (_, i) => ({ ...daily, name: `J${i}`, target_tab_name: `T${i}` }));
    // Channel checks are skipped by import (it validates and writes once).
    const err = (() => {
      try {
        app.importJobs(JSON.stringify({ jobs }), 'json', owner);
        return null;
      } catch (e) {
        return e as { status: number; message: string };
      }
    })();
    expect(err?.status).toBe(413);
    expect(err?.message).toMatch(/at most 10,000 jobs/);
    expect(storedJobIds(w)).toEqual([]);
  });
});

describe('killed executions', () => {
  test('an execution killed at any store call of a change loses no audit row and writes none twice', () => {
    // Count the service calls of a pause, then kill a fresh run of it at each of them.
    const probe = world();
    const { job } = createSchedulerApp(probe.deps).createJob(daily, owner);
    void job;
    for (let killAt = 1; killAt <= 12; killAt++) {
      const w = world();
      const created = createSchedulerApp(w.deps).createJob(daily, owner).job;
      let calls = 0;
      const killer = <T extends object>(target: T): T =>
        new Proxy(target, {
          get(obj, prop, recv) {
            const v = Reflect.get(obj, prop, recv) as unknown;
            if (typeof v !== 'function') return v;
            return (...args: unknown[]) => {
              if (++calls === killAt) throw new Error('killed');
              const out = (v as (...a: unknown[]) => unknown).apply(obj, args);
              return out && typeof out === 'object' && 'writeValues' in (out as object) ? killer(out as object) : out;
            };
          },
        });
      const deps = { ...w.deps, properties: killer(w.properties), spreadsheets: killer(w.spreadsheets) };
      let died = false;
      try {
        createSchedulerApp(deps).pauseJob(created.id, owner);
      } catch {
        died = true;
        w.lock.held = false; // the platform releases a dead execution's lock
      }
      // Whether the pause reached the store (the job row), read before any later change.
      const pauseStored = (storedRows(w).get(created.id)!.definition as { paused: boolean }).paused;
      // A later execution does one more change; then every committed change has its one row.
      createSchedulerApp(w.deps).resumeJob(created.id, owner);
      const actions = auditActions(w);
      const paused = actions.filter((a) => a === 'job.pause').length;
      expect(actions.filter((a) => a === 'job.create')).toHaveLength(1);
      expect(actions.filter((a) => a === 'job.resume').length).toBeLessThanOrEqual(1);
      expect(paused).toBeLessThanOrEqual(1);
      // A pause that reached the store has its row, once; one that did not, none.
      expect(paused).toBe(pauseStored ? 1 : 0);
      expect(died || pauseStored).toBe(true);
    }
  });
});

describe('rows of deleted jobs', () => {
  test('a deleted job keeps its row while its rows wait to be appended and a run could still record, then a new job takes it', () => {
    const w = world();
    const first = createSchedulerApp(w.deps).createJob(daily, owner).job;
    createSchedulerApp(w.deps).deleteJob(first.id, owner);
    const table = () => w.spreadsheets.tab('_y2s_jobs')!.rows;
    expect(table()).toHaveLength(2); // header + the tombstone
    expect(String(table()[1]![0])).toBe(first.id);
    // Within a lease of its newest row the tombstone stays (a run claimed before the delete records into it).
    createSchedulerApp(w.deps).createJob({ ...daily, name: 'Second' }, owner);
    expect(String(table()[1]![0])).toBe(first.id);
    // Past it, the next change frees the row, and a later new job takes it.
    w.clock.set('2026-01-05T12:08:00Z');
    createSchedulerApp(w.deps).createJob({ ...daily, name: 'Third' }, owner);
    expect(String(table()[1]![0])).toBe('');
    const fourth = createSchedulerApp(w.deps).createJob({ ...daily, name: 'Fourth' }, owner).job;
    expect(String(table()[1]![0])).toBe(fourth.id);
    expect(table()).toHaveLength(4);
    expect(auditActions(w)).toEqual(['job.create', 'job.delete', 'job.create', 'job.create', 'job.create']);
  });

  test('a tombstone whose journal is not appended yet is not reused', () => {
    const w = world();
    const real = w.spreadsheets;
    let broken = false;
    const deps = {
      ...w.deps,
      spreadsheets: Object.assign(Object.create(real) as typeof real, {
        getTab: (id: string | null, tab: string) => {
          if (broken && tab === '_y2s_audit') throw new Error('protected');
          return real.getTab(id, tab);
        },
      }),
    };
    const job = createSchedulerApp(deps).createJob(daily, owner).job;
    broken = true;
    createSchedulerApp(deps).deleteJob(job.id, owner); // its job.delete row waits in the tombstone
    broken = false;
    w.lock.held = false;
    const second = createSchedulerApp(deps).createJob({ ...daily, name: 'Second' }, owner).job;
    expect(storedRows(w).has(second.id)).toBe(true);
    expect(storedRows(w).has(job.id)).toBe(true); // the tombstone kept its own row
    expect(auditActions(w)).toEqual(['job.create', 'job.delete', 'job.create']);
  });
});

describe('journals already appended', () => {
  test("are cleared with the row's next write, so busy ticks do not read them again", () => {
    const w = world();
    const app = createSchedulerApp(w.deps);
    const { job } = app.createJob(daily, owner);
    expect(storedRows(w).get(job.id)!.journal).toMatchObject({ audit: [{ action: 'job.create' }] });
    // A claim writes the state only, and clears the appended journal in the same write.
    w.clock.set('2026-01-05T14:00:30Z');
    const calls = { writes: 0 };
    const tab = w.spreadsheets.tab('_y2s_jobs')!;
    const write = tab.writeValues.bind(tab);
    tab.writeValues = (...args) => (calls.writes++, write(...args));
    createSchedulerApp(w.deps).tick();
    const row = storedRows(w).get(job.id)!;
    // The record phase journaled the run row; the create row is no longer carried.
    expect((row.journal as { audit: unknown[]; runs: unknown[] }).audit).toEqual([]);
    expect((row.journal as { runs: { status: string }[] }).runs.map((r) => r.status)).toEqual(['succeeded']);
    expect(calls.writes).toBe(2); // one write per locked phase
  });
});

describe('a change of many jobs', () => {
  test('clears its journals once their rows are appended, in one more write', () => {
    const w = world();
    const app = createSchedulerApp(w.deps);
    const jobs = Array.from({ length: 60 }, (_, i) => ({ ...daily, name: `J${i}`, target_tab_name: `T${i}` }));
    const tab = () => w.spreadsheets.tab('_y2s_jobs')!;
    app.importJobs(JSON.stringify({ jobs }), 'json', owner);
    const rows = [...storedRows(w).values()];
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.journal === null)).toBe(true);
    expect(auditActions(w).filter((a) => a === 'job.create')).toHaveLength(60);
    // Writes of the tab: the header, the rows, then the cleared journals (adjacent rows: one block each).
    expect(tab().writes).toBe(3); // the header, the rows, the journals
  });
});
