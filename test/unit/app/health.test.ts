/** Health: a dead heartbeat is detected although idle ticks record nothing; the runtime estimate. */
import { createSchedulerApp } from '../../../src-server/app';
import type { Actor } from '../../../src-server/app/contract';
import { IDLE_TICK_ESTIMATE_MS } from '../../../src-server/app/runtime-meter';
import { createFakeWorld, resetCalls, type FakeWorld } from './fakes';

const owner: Actor = { kind: 'user', email: 'owner@example.com' };
const daily = { name: 'Daily Sync', channels: ['@mkbhd'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: 'Videos' };

function setup() {
  const world = createFakeWorld('2026-01-05T12:00:00Z');
  world.youtube.addChannel('@mkbhd', 'UCmkbhd000000000000000000', 30);
  const app = createSchedulerApp(world.deps);
  app.createJob(daily, owner); // due 2026-01-05T14:00Z, heartbeat every 5 min
  return { world, app };
}

const execution = (world: FakeWorld) => createSchedulerApp(world.deps);
const dead = (warnings: string[]) => warnings.filter((w) => /triggers are not firing/.test(w));

describe('dead heartbeat', () => {
  test('work due for more than two heartbeat intervals with no tick is an error, and repairs do not hide it', () => {
    const { world } = setup();
    world.clock.set('2026-01-05T14:09:00Z'); // 9 min overdue: within two 5-min intervals
    expect(dead(execution(world).health().warnings)).toEqual([]);
    world.clock.set('2026-01-05T14:11:00Z'); // 11 min: no tick has taken the 14:00 work
    const health = execution(world).health();
    expect(health.status).toBe('error');
    expect(dead(health.warnings)).toHaveLength(1);
    expect(health.last_tick.overdue_since).toBe('2026-01-05T14:00:00.000Z');
    // The health check repaired the triggers; the overdue instant is kept for the next look.
    world.clock.set('2026-01-05T14:30:00Z');
    const again = execution(world).health();
    expect(dead(again.warnings)[0]).toMatch(/since work fell due at 2026-01-05T14:00:00.000Z \(30 min ago\)/);
    // A tick takes the work: the error is gone.
    execution(world).tick();
    const after = execution(world).health();
    expect(dead(after.warnings)).toEqual([]);
    expect(after.last_tick.overdue_since).toBeNull();
  });

  test('idle ticks record nothing but the heartbeat stamp, and a long idle stretch is not mistaken for a dead heartbeat', () => {
    const { world } = setup();
    world.clock.set('2026-01-05T14:00:30Z');
    execution(world).tick();
    const lastTick = world.properties.data['meta:last_tick'];
    const heartbeat = JSON.parse(world.properties.data['meta:triggers']!).heartbeat.id as string;
    for (let t = 0; t < 12 * 12; t++) {
      world.clock.advance(5 * 60_000);
      resetCalls(world.calls);
      execution(world).tick({ triggerUid: heartbeat });
      // Idle: the owner check (the trigger record), the heartbeat stamp, the next-due instant.
      expect(world.calls).toEqual({ 'properties.get': 2, 'properties.setMany': 1 });
    }
    expect(world.properties.data['meta:last_tick']).toBe(lastTick);
    const health = execution(world).health();
    expect(dead(health.warnings)).toEqual([]);
    expect(health.status).toBe('ok');
    expect(health.last_tick.at).toBe('2026-01-05T14:00:30.000Z');
    // Idle ticks are not measured: health adds an estimate from the heartbeat (288 ticks a day at 5 min).
    expect(health.trigger_runtime.idle_estimate_ms_24h).toBe(288 * IDLE_TICK_ESTIMATE_MS);
  });

  test('health and the sidebar read the property store once', () => {
    const { world } = setup();
    resetCalls(world.calls);
    execution(world).health();
    expect(world.calls['properties.getAll']).toBe(1);
    resetCalls(world.calls);
    execution(world).sidebarView();
    expect(world.calls['properties.getAll']).toBe(1);
  });
});
