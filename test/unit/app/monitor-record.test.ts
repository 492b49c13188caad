/**
 * The monitor's cached record (app/monitor-record.ts): a poll is one cache read while the record can
 * answer; the store answers when the entry is missing, stale, or shows progress nobody confirms.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import {
  emptyMonitorRecord,
  mergeRunning,
  MONITOR_RECORD_KEY,
  MONITOR_RECORD_MAX_AGE_MS,
  monitorFromRecord,
  PROGRESS_TRUST_MS,
  readMonitorRecord,
  reportProgress,
  type MonitorRecord,
} from '../../../src-server/app/monitor-record';
import { createFakeWorld, resetCalls, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const daily = { name: 'Daily Sync', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };
const execution = (world: FakeWorld) => createSchedulerApp(world.deps);

function setup(videos = 120) {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', videos);
  const app = createSchedulerApp(world.deps);
  const { job } = app.createJob(daily, owner);
  return { world, app, job };
}

const progress = (runId: string, processed: number) => ({
  job_id: 'j1',
  job_name: 'One',
  run_id: runId,
  started_at: '2026-01-05T12:00:00.000Z',
  processed,
  expected: 100,
  phase: 'reading videos',
});

describe('a monitor poll', () => {
  test('idle, with a valid record: exactly one cache read and no other service call', () => {
    const { world } = setup();
    execution(world).monitor(); // no record yet: built from the store
    for (let i = 0; i < 5; i++) {
      world.clock.advance(30_000);
      resetCalls(world.calls);
      const dto = execution(world).monitor();
      expect(world.calls).toEqual({ 'cache.get': 1 });
      expect(dto.running).toEqual([]);
      expect(dto.now).toBe(world.clock.now().toISOString());
    }
  });

  test('the cache is never the only copy: an evicted record is rebuilt from the store, the same answer', () => {
    const { world, job } = setup();
    world.clock.set('2026-01-06T09:00:30Z');
    execution(world).tick();
    const before = execution(world).monitor();
    expect(before.last_24h.runs).toBe(1);
    world.cache.data.delete(MONITOR_RECORD_KEY);
    resetCalls(world.calls);
    const after = execution(world).monitor();
    expect(world.calls['properties.getAll']).toBeGreaterThanOrEqual(1); // read from the store again
    expect(after).toEqual(before);
    expect(after.quota.used_today).toBeGreaterThan(0);
    void job;
  });

  test('the record is rebuilt once it is older than its maximum age, and after a settings change', () => {
    const { world, app } = setup();
    execution(world).monitor();
    world.clock.advance(MONITOR_RECORD_MAX_AGE_MS);
    resetCalls(world.calls);
    execution(world).monitor();
    expect(world.calls['properties.getAll']).toBeGreaterThanOrEqual(1);

    app.updateSettings({ daily_quota_budget: 4321 }, owner);
    expect(execution(world).monitor().quota.daily_budget).toBe(4321);
  });

  test('a run that ran shows in the 24 h figures at once (a tick that ran invalidates the record)', () => {
    const { world } = setup();
    expect(execution(world).monitor().last_24h.runs).toBe(0);
    world.clock.set('2026-01-06T09:00:30Z');
    expect(execution(world).tick().ran).toBe(1);
    expect(execution(world).monitor().last_24h.runs).toBe(1);
  });

  test('the 24 h figures change when a run leaves the window, even with no write in between', () => {
    const { world } = setup();
    world.clock.set('2026-01-06T09:00:30Z');
    execution(world).tick();
    world.clock.set('2026-01-07T08:59:00Z'); // the next run is due at 09:00: nothing ran since
    const rec = readMonitorRecord(world.cache)!;
    expect(execution(world).monitor().last_24h.runs).toBe(1);
    // The record knows it is good only until the run's instant + 24 h.
    expect(readMonitorRecord(world.cache)!.valid_until).toBeLessThanOrEqual(Date.parse('2026-01-07T09:01:00Z'));
    world.clock.set('2026-01-07T09:00:45Z');
    const later = execution(world).monitor();
    expect(later.last_24h.runs).toBe(0);
    void rec;
  });

  test('progress of a run in progress comes from the record; entries no execution confirms are checked against the store', () => {
    const { world } = setup();
    execution(world).monitor();
    reportProgress(world.cache, 'r_live', progress('r_live', 40), world.clock.now().getTime());
    resetCalls(world.calls);
    const live = execution(world).monitor();
    expect(world.calls).toEqual({ 'cache.get': 1 });
    expect(live.running).toEqual([progress('r_live', 40)]);
    // No further report: after PROGRESS_TRUST_MS the store is asked, which knows no such run.
    world.clock.advance(PROGRESS_TRUST_MS + 1_000);
    resetCalls(world.calls);
    expect(execution(world).monitor().running).toEqual([]);
    expect(world.calls['properties.getAll']).toBeGreaterThanOrEqual(1);
  });

  test('a run cut by the time budget stays on the monitor between executions, then leaves it', () => {
    const { world, job } = setup(400);
    world.clock.set('2026-01-06T09:00:30Z');
    const pages = world.youtube.listPlaylistItems.bind(world.youtube);
    world.youtube.listPlaylistItems = (...args) => {
      world.clock.advance(100_000);
      return pages(...args);
    };
    execution(world).tick();
    const waiting = execution(world).monitor().running;
    expect(waiting).toEqual([expect.objectContaining({ job_id: job.id, phase: 'waiting for the next execution' })]);
    // Evicted meanwhile: the store still knows the run (its active record).
    world.cache.data.delete(MONITOR_RECORD_KEY);
    expect(execution(world).monitor().running).toEqual([expect.objectContaining({ job_id: job.id, run_id: waiting[0]!.run_id })]);
    world.youtube.listPlaylistItems = pages;
    world.clock.advance(60_000);
    execution(world).tick();
    expect(execution(world).monitor().running).toEqual([]);
  });
});

describe('the record', () => {
  const now = Date.parse('2026-01-05T12:00:00Z');
  const valid = (over: Partial<MonitorRecord> = {}): MonitorRecord => ({
    ...emptyMonitorRecord(),
    valid_until: now + 60_000,
    quota: { used_today: 3, daily_budget: 100 },
    last_24h: { since: '2026-01-04T12:00:00.000Z', runs: 0, succeeded: 0, failed: 0, partial: 0, success_rate: null },
    ...over,
  });

  test('answers alone only while valid, complete, and every progress entry is recent', () => {
    expect(monitorFromRecord(valid(), now)).toMatchObject({ running: [], quota: { used_today: 3 } });
    expect(monitorFromRecord(null, now)).toBeNull();
    expect(monitorFromRecord(valid({ valid_until: now }), now)).toBeNull();
    expect(monitorFromRecord(valid({ quota: null }), now)).toBeNull();
    const fresh = { ...progress('r1', 5), updated_at: new Date(now - PROGRESS_TRUST_MS).toISOString() };
    expect(monitorFromRecord(valid({ running: [fresh] }), now)!.running).toEqual([progress('r1', 5)]);
    const old = { ...fresh, updated_at: new Date(now - PROGRESS_TRUST_MS - 1).toISOString() };
    expect(monitorFromRecord(valid({ running: [old] }), now)).toBeNull();
    expect(monitorFromRecord(valid({ running: [{ ...fresh, updated_at: 'garbage' }] }), now)).toBeNull();
  });

  test("progress reports replace the run's entry, keep the others, and remove it when the run leaves", () => {
    const world = createFakeWorld();
    reportProgress(world.cache, 'r1', progress('r1', 1), now);
    reportProgress(world.cache, 'r2', progress('r2', 2), now);
    reportProgress(world.cache, 'r1', progress('r1', 10), now + 5_000);
    expect(readMonitorRecord(world.cache)!.running.map((e) => [e.run_id, e.processed])).toEqual([
      ['r2', 2],
      ['r1', 10],
    ]);
    reportProgress(world.cache, 'r2', null, now + 6_000);
    expect(readMonitorRecord(world.cache)!.running.map((e) => e.run_id)).toEqual(['r1']);
    // A progress-only record never answers alone: its store part is unknown.
    expect(monitorFromRecord(readMonitorRecord(world.cache), now + 6_000)).toBeNull();
  });

  test('a damaged or foreign entry reads as missing; a failing cache never throws into the run', () => {
    const world = createFakeWorld();
    world.cache.data.set(MONITOR_RECORD_KEY, '{"v":2}');
    expect(readMonitorRecord(world.cache)).toBeNull();
    world.cache.data.set(MONITOR_RECORD_KEY, 'not json');
    expect(readMonitorRecord(world.cache)).toBeNull();
    world.cache.put = () => {
      throw new Error('Service invoked too many times');
    };
    expect(() => reportProgress(world.cache, 'r1', progress('r1', 1), now)).not.toThrow();
  });

  test('a rebuild keeps the runs the store knows, with the live progress the record has', () => {
    const rec = valid({
      running: [
        { ...progress('r1', 50), updated_at: 'x' },
        { ...progress('gone', 9), updated_at: 'x' },
      ],
    });
    const merged = mergeRunning([progress('r1', 20), { ...progress('r3', 0), phase: 'running' }], rec, now);
    expect(merged.map((e) => [e.run_id, e.processed, e.updated_at])).toEqual([
      ['r1', 50, new Date(now).toISOString()],
      ['r3', 0, new Date(now).toISOString()],
    ]);
  });
});
