/**
 * What a tick writes and when: one append of run rows per execution, missed occurrences that survive
 * an execution dying, a full property store at record time, and the monitor across executions.
 */
import { MONITOR_RECORD_KEY } from '../../../src-server/app/monitor-record';
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { RUN_COLUMNS, RUNS_TAB } from '../../../src-server/app/logs';
import { createFakeWorld, resetCalls, storedRows, type FakeWorld } from './fakes';
const RUN = Object.fromEntries(RUN_COLUMNS.map((c, i) => [c, i])) as Record<(typeof RUN_COLUMNS)[number], number>;

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const daily = { name: 'Daily Sync', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };

function setup(videos = 120) {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', videos);
  return { world, app: createSchedulerApp(world.deps) };
}

const execution = (world: FakeWorld) => createSchedulerApp(world.deps);

function runRows(world: FakeWorld): { run_id: string; scheduled_for: string; status: string; trigger: string; error: string }[] {
  return (world.spreadsheets.tab(RUNS_TAB)?.rows.slice(1) ?? []).map((r) => ({
    run_id: String(r[RUN.run_id]),
    scheduled_for: String(r[RUN.scheduled_for]),
    status: String(r[RUN.status]),
    trigger: String(r[RUN.trigger]),
    error: String(r[RUN.error]),
  }));
}

function stateOf(
  world: FakeWorld,
  id: string,
): {
  planner: { lease?: { run_id: string; until: string } | null; last_scheduled_for?: string };
  pending_missed?: unknown[];
  active: unknown;
} {
  return storedRows(world).get(id)!.state as ReturnType<typeof stateOf>;
}

/** Makes the next tick die right after its claim phase (the lock release of the claim throws). */
function dieAfterClaim(world: FakeWorld): () => void {
  const release = world.lock.release.bind(world.lock);
  let phase = 0;
  world.lock.release = () => {
    release();
    if (++phase === 1) throw new Error('killed after claiming');
  };
  return () => {
    world.lock.release = release;
  };
}

describe('run history appends', () => {
  test('a tick that records missed occurrences and runs a catch-up appends its run rows once', () => {
    const { world, app } = setup();
    app.createJob({ ...daily, catch_up: 'latest' }, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    execution(world).tick(); // creates the history tab
    const tab = world.spreadsheets.tab(RUNS_TAB)!;
    const writesBefore = tab.writes;
    world.clock.set('2026-01-08T16:00:00Z'); // the 6th and 7th are missed, the 8th is caught up
    expect(execution(world).tick().ran).toBe(1);
    expect(tab.writes - writesBefore).toBe(1);
    expect(runRows(world).map((r) => `${r.scheduled_for.slice(0, 10)} ${r.status} ${r.trigger}`)).toEqual([
      '2026-01-05 succeeded schedule',
      '2026-01-06 missed schedule',
      '2026-01-07 missed schedule',
      '2026-01-08 succeeded catch-up',
    ]);
  });

  test('missed occurrences of a tick that dies after its claim are kept and written once by a later tick', () => {
    const { world, app } = setup();
    const { job } = app.createJob({ ...daily, catch_up: 'latest' }, owner);
    world.clock.set('2026-01-07T16:00:00Z'); // the 5th and 6th are missed, the 7th is caught up
    const restore = dieAfterClaim(world);
    expect(() => execution(world).tick()).toThrow('killed after claiming');
    restore();
    expect(runRows(world)).toEqual([]); // nothing appended yet...
    expect(stateOf(world, job.id).pending_missed).toHaveLength(2); // ...but nothing lost
    world.clock.set('2026-01-07T16:08:00Z'); // the lease has expired: the run resumes
    expect(execution(world).tick().ran).toBe(1);
    expect(runRows(world).map((r) => `${r.scheduled_for.slice(0, 10)} ${r.status}`)).toEqual([
      '2026-01-05 missed',
      '2026-01-06 missed',
      '2026-01-07 succeeded',
    ]);
    expect(stateOf(world, job.id).pending_missed).toBeUndefined();
    world.clock.set('2026-01-07T16:20:00Z');
    execution(world).tick();
    expect(runRows(world)).toHaveLength(3);
  });

  test('missed rows get distinct run ids from one id service call', () => {
    const { world, app } = setup();
    app.createJob({ ...daily, catch_up: 'none' }, owner);
    world.clock.set('2026-01-09T16:00:00Z');
    const uuids: string[] = [];
    const uuid = world.deps.crypto.uuid;
    world.deps.crypto = { ...world.deps.crypto, uuid: () => (uuids.push('x'), uuid()) };
    execution(world).tick();
    const ids = runRows(world).map((r) => r.run_id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(uuids).toHaveLength(1);
  });
});

describe('a full property store when results are recorded', () => {
  test('the run is recorded in full (its state lives in the jobs tab), it does not run again, and health reports the full property store', () => {
    const { world, app } = setup();
    const { job } = app.createJob(daily, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    // While the run works outside the lock, another execution (API keys...) fills the store to the brim.
    const list = world.youtube.listPlaylistItems.bind(world.youtube);
    world.youtube.listPlaylistItems = (...args) => {
      let used = Object.entries(world.properties.data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      for (let i = 0; used < 500 * 1024 - 10; i++) {
        const value = 'x'.repeat(Math.min(8_000, 500 * 1024 - 10 - used - 12));
        world.properties.data[`filler:${String(i).padStart(5, '0')}`] = value;
        used += 12 + value.length;
      }
      return list(...args);
    };
    expect(execution(world).tick().ran).toBe(1);
    const rows = runRows(world);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('succeeded');
    expect(rows[0]!.error).toBe('');
    const state = stateOf(world, job.id);
    expect(state.planner.lease).toBeNull(); // released: at most once holds
    expect(state.planner.last_scheduled_for).toBe('2026-01-05T14:00:00.000Z');
    expect(state.active).toBeNull();
    // Past the lease: the occurrence does not run again.
    world.clock.set('2026-01-05T14:20:00Z');
    resetCalls(world.calls);
    execution(world).tick();
    expect(runRows(world)).toHaveLength(1);
    expect(world.calls['youtube.listPlaylistItems']).toBeUndefined();
    const health = execution(world).health();
    expect(health.status).toBe('error');
    expect(health.warnings.join(' ')).toMatch(/property store is \d+ % full .* left/);
  });
});

describe('the monitor across executions', () => {
  test('a run cut by the time budget stays on the monitor with its progress, and leaves it when done', () => {
    const { world, app } = setup(400);
    const { job } = app.createJob({ ...daily, max_videos: 400 }, owner);
    world.clock.set('2026-01-05T14:00:30Z');
    // Each playlist page takes 100 s: the run passes its deadline after a few pages.
    const pages = world.youtube.listPlaylistItems.bind(world.youtube);
    world.youtube.listPlaylistItems = (...args) => {
      world.clock.advance(100_000);
      return pages(...args);
    };
    expect(execution(world).tick().ran).toBe(0);
    const first = execution(world).monitor().running;
    expect(first).toHaveLength(1);
    expect(first[0]).toEqual(expect.objectContaining({ job_id: job.id, phase: 'waiting for the next execution', expected: 400 }));
    expect(first[0]!.processed).toBeGreaterThan(0);
    expect(first[0]!.processed).toBeLessThan(400);
    expect(app.getJob(job.id).status).toBe('running');
    // The next execution resumes: its progress counts what the first one read.
    const seen: number[] = [];
    const put = world.cache.put.bind(world.cache);
    world.cache.put = (key: string, value: string) => {
      if (key === MONITOR_RECORD_KEY)
        for (const e of (JSON.parse(value) as { running: { processed: number }[] }).running) seen.push(e.processed);
      put(key, value);
    };
    let ticks = 0;
    while (runRows(world).length === 0 && ticks++ < 5) {
      world.clock.advance(60_000);
      execution(world).tick();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(first[0]!.processed);
    expect(runRows(world).map((r) => r.status)).toEqual(['succeeded']);
    expect(execution(world).monitor().running).toEqual([]);
    expect(world.spreadsheets.tab('Videos')!.rows).toHaveLength(401);
  });
});
