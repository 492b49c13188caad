/**
 * Past the day's YouTube budget (docs/operations.md "Past one project's quotas"): the tick defers the
 * lowest-priority due runs to the reset, visibly (the job's row, health, the monitor), and they run
 * after the reset; nothing fails at random on the budget.
 */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { RUNS_TAB } from '../../../src-server/app/logs';
import { KEYS } from '../../../src-server/app/store';
import { createFakeWorld, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };

function runs(world: FakeWorld): { job: string; status: string }[] {
  return (world.spreadsheets.tab(RUNS_TAB)?.rows.slice(1) ?? []).map((r) => ({ job: String(r[2]), status: String(r[6]) }));
}

function setup() {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@small', 'UCsmall00000000000000000', 10);
  const app = createSchedulerApp(world.deps);
  const ids: Record<string, string> = {};
  for (const [name, priority] of [
    ['Top', 9],
    ['Mid', 5],
    ['Low', 1],
  ] as const) {
    ids[name] = app.createJob(
      { name, channels: ['@small'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: name, priority },
      owner,
    ).job.id;
  }
  app.updateSettings({ daily_quota_budget: 100 }, owner);
  return { world, app, ids };
}

test('over the budget, the tick runs the highest priority and defers the others to the reset, visibly', () => {
  const { world, app } = setup();
  world.clock.set('2026-01-05T14:00:30Z');
  // 95 of 100 units used: room for one first run (about 3 units), not three.
  world.properties.data[KEYS.quota] = JSON.stringify({ day: '2026-01-05', used: 95, deferred_until: null });
  const health0 = createSchedulerApp(world.deps).health();
  expect(health0.limits!.youtube_units).toMatchObject({
    used_today: 95,
    projected_today: 95,
    daily_budget: 100,
    project_limit: 10_000,
    deferred_total: 0,
  });

  createSchedulerApp(world.deps).tick();
  expect(
    runs(world)
      .filter((r) => r.status === 'succeeded')
      .map((r) => r.job),
  ).toEqual(['Top']);
  // No run met the budget mid-way.
  expect(runs(world).some((r) => r.status === 'deferred' || r.status === 'failed')).toBe(false);

  const jobs = app.listJobs({ sort: 'priority', order: 'desc' }).items;
  expect(jobs.map((j) => [j.config.name, j.deferral?.reason ?? null])).toEqual([
    ['Top', null],
    ['Mid', 'quota_budget'],
    ['Low', 'quota_budget'],
  ]);
  const reset = '2026-01-06T08:00:00.000Z';
  expect(jobs[1]!.deferral!.until).toBe(reset);
  expect(jobs[1]!.deferral!.message).toMatch(/lowest-priority jobs wait/);

  const health = createSchedulerApp(world.deps).health();
  expect(health.limits!.youtube_units.deferred_jobs.map((d) => d.job_name)).toEqual(['Mid', 'Low']);
  expect(health.warnings.join(' ')).toMatch(
    /2 lowest-priority job\(s\) wait for the quota reset at 2026-01-06T08:00:00.000Z: Mid \(priority 5\), Low \(priority 1\)/,
  );
  expect(health.limits!.trigger_runtime).toMatchObject({ consumer_limit_ms: 90 * 60_000, workspace_limit_ms: 6 * 3_600_000 });
  expect(health.limits!.triggers).toEqual({ used: 2, limit: 20 });
  const monitor = createSchedulerApp(world.deps).monitor();
  expect(monitor.limits!.youtube_units.deferred_total).toBe(2);

  // No tick wakes for them before the reset; after it they run (their occurrence stayed fresh).
  expect(Date.parse(createSchedulerApp(world.deps).tick().next_wake_at ?? '')).toBeGreaterThanOrEqual(Date.parse(reset));
  world.clock.set('2026-01-06T08:00:30Z');
  createSchedulerApp(world.deps).tick();
  expect(
    runs(world)
      .filter((r) => r.status === 'succeeded')
      .map((r) => r.job)
      .sort(),
  ).toEqual(['Low', 'Mid', 'Top']);
  expect(app.listJobs({}).items.every((j) => j.deferral === undefined)).toBe(true);
});

test('within the budget nothing is deferred and health projects the day', () => {
  const { world, app } = setup();
  world.clock.set('2026-01-05T14:00:30Z');
  createSchedulerApp(world.deps).tick();
  expect(runs(world).filter((r) => r.status === 'succeeded')).toHaveLength(3);
  expect(app.listJobs({}).items.some((j) => j.deferral)).toBe(false);
  const health = createSchedulerApp(world.deps).health();
  const yt = health.limits!.youtube_units;
  expect(yt.used_today).toBeGreaterThan(0);
  // Tomorrow's 09:00 New York is after the Pacific reset: nothing more today.
  expect(yt.projected_today).toBe(yt.used_today);
  expect(yt.deferred_total).toBe(0);
  // The next 24 h: three runs at their measured seconds, plus idle ticks.
  expect(health.limits!.trigger_runtime.projected_ms_24h).toBeGreaterThan(0);
});
