import { createSchedulerApp } from '../../../src-server/app';
import type { Actor, RunDto } from '../../../src-server/app/contract';
import { monitorSummary } from '../../../src-server/app/queries';
import { createFakeWorld, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const base = { channels: ['@okay'], schedule_type: 'interval', schedule_value: '1h', target_tab_name: 'Videos', notify_emails: [] };

function setup() {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@okay', 'UCok0000000000000000000000', 3);
  world.youtube.addChannel('@gone', 'UCgone00000000000000000000', 3);
  return world;
}

const execution = (world: FakeWorld) => createSchedulerApp(world.deps);

describe('monitor: counts and problem runs cover the same 24 h', () => {
  test('a failure older than 24 h is neither counted nor listed; partial runs are listed next to failures', () => {
    const world = setup();
    const app = execution(world);
    const failing = app.createJob({ ...base, name: 'Failing', channels: ['@gone'], target_tab_name: 'F', max_retries: 0 }, owner).job.id;
    const partial = app.createJob({ ...base, name: 'Half', channels: ['@okay', '@gone'], target_tab_name: 'H' }, owner).job.id;
    const fine = app.createJob({ ...base, name: 'Fine', target_tab_name: 'OK' }, owner).job.id;
    // '@gone' disappears after the jobs were checked: its runs fail (alone) or are partial (with '@okay').
    world.youtube.channels = world.youtube.channels.filter((c) => c.handle !== '@gone');

    // Two days ago: the failing job fails; this must not show 24 h later.
    expect(app.runNow(failing, owner).status).toBe('failed');
    world.clock.set('2026-01-07T10:00:00Z');
    expect(execution(world).runNow(fine, owner).status).toBe('succeeded');
    world.clock.set('2026-01-07T11:00:00Z');
    expect(execution(world).runNow(partial, owner).status).toBe('partial');
    world.clock.set('2026-01-07T11:30:00Z');
    expect(execution(world).runNow(fine, owner).status).toBe('succeeded');

    world.clock.set('2026-01-07T12:00:00Z');
    world.cache.data.clear(); // the 24 h figures are cached for a minute; read them fresh
    const m = execution(world).monitor();
    expect(m.last_24h).toEqual({ since: '2026-01-06T12:00:00.000Z', runs: 3, succeeded: 2, failed: 0, partial: 1, success_rate: 2 / 3 });
    expect(m.recent_problems).toEqual([
      {
        run_id: expect.any(String),
        job_id: partial,
        job_name: 'Half',
        status: 'partial',
        at: '2026-01-07T11:00:00.000Z',
        error: expect.stringMatching(/gone/i),
      },
    ]);

    // A fresh failure is listed first, counted, and invalidates the cached figures.
    world.clock.set('2026-01-07T12:30:00Z');
    expect(execution(world).runNow(failing, owner).status).toBe('failed');
    const after = execution(world).monitor();
    expect(after.last_24h).toEqual(expect.objectContaining({ runs: 4, failed: 1, partial: 1 }));
    expect(after.recent_problems.map((p) => [p.job_name, p.status])).toEqual([
      ['Failing', 'failed'],
      ['Half', 'partial'],
    ]);
  });
});

describe('monitorSummary', () => {
  const now = Date.parse('2026-01-14T15:00:00Z');
  const run = (i: number, status: RunDto['status'], finishedAgoMs: number | null, startedAgoMs = finishedAgoMs): RunDto => ({
    run_id: `r${i}`,
    job_id: `j${i}`,
    job_name: `Job ${i}`,
    scheduled_for: null,
    started_at: startedAgoMs === null ? null : new Date(now - startedAgoMs).toISOString(),
    finished_at: finishedAgoMs === null ? null : new Date(now - finishedAgoMs).toISOString(),
    status,
    trigger: 'schedule',
    videos_added: 0,
    videos_updated: 0,
    quota_units: 1,
    duration_ms: 1000,
    error: status === 'succeeded' ? null : `error ${i}`,
  });
  const hours = (h: number) => h * 3_600_000;

  test('newest first by the instant the run counts at, at most five, skipped/missed/deferred runs are not problems', () => {
    const runs = [
      run(1, 'failed', hours(1)),
      run(2, 'partial', hours(3)),
      run(3, 'failed', hours(2)),
      run(4, 'missed', hours(1)),
      run(5, 'deferred', null, hours(1)),
      run(6, 'failed', hours(30)), // outside the window
      run(7, 'partial', hours(4)),
      run(8, 'failed', hours(5)),
      run(9, 'failed', hours(6)),
      run(10, 'succeeded', hours(1)),
    ];
    const s = monitorSummary(runs, now);
    expect(s.recent_problems.map((p) => p.run_id)).toEqual(['r1', 'r3', 'r2', 'r7', 'r8']);
    expect(s.recent_problems[2]).toEqual({
      run_id: 'r2',
      job_id: 'j2',
      job_name: 'Job 2',
      status: 'partial',
      at: new Date(now - hours(3)).toISOString(),
      error: 'error 2',
    });
    expect(s.last_24h).toEqual({
      since: new Date(now - hours(24)).toISOString(),
      runs: 7,
      succeeded: 1,
      failed: 4,
      partial: 2,
      success_rate: 1 / 7,
    });
  });

  test('no run in the window: no rate, no problems', () => {
    const s = monitorSummary([run(1, 'failed', hours(25))], now);
    expect(s.last_24h).toEqual(expect.objectContaining({ runs: 0, success_rate: null }));
    expect(s.recent_problems).toEqual([]);
  });
});
