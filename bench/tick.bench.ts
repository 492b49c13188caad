/**
 * Service calls of the scheduler's tick in the local runtime: an idle tick (nothing due) and a tick
 * with 50 due jobs, counted by service. Virtual time is the emulator's latency model.
 */
import type { BenchRow } from './run';
import { buildTestBundle, newRuntime, removeBundle, runRows, value } from '../test/integration/app/harness';

function byService(calls: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(calls)) {
    const service = name.split('.')[0]!;
    out[service] = (out[service] ?? 0) + n;
  }
  return out;
}

function total(calls: Record<string, number>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = await buildTestBundle();
  const rows: BenchRow[] = [];
  try {
    const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z' });
    for (let i = 0; i < 50; i++) {
      value(rt, 'createJob', { name: `Job ${i}`, channels: ['@tinycooking'], schedule_type: 'daily', schedule_value: '09:00', target_tab_name: `Tab ${i}`, columns: ['video_id', 'title', 'published_at', 'views'] }, '$owner');
    }
    rt.clock.set(new Date('2026-01-05T13:00:00Z'));
    const idle = rt.run('tick');
    rows.push({ name: 'idle tick: service calls', value: total(idle.calls), unit: 'calls', goal: '2 (one property read)' });
    for (const [service, n] of Object.entries(byService(idle.calls))) rows.push({ name: `idle tick: ${service}`, value: n, unit: 'calls' });
    rows.push({ name: 'idle tick: virtual time', value: idle.elapsedMs, unit: 'ms' });

    rt.clock.set(new Date('2026-01-05T14:00:30Z'));
    const busy = rt.run('tick');
    const ran = runRows(rt).filter((r) => r.status === 'succeeded').length;
    rows.push({ name: 'tick with 50 due jobs: runs completed', value: ran, unit: 'runs', goal: '50' });
    rows.push({ name: 'tick with 50 due jobs: service calls', value: total(busy.calls), unit: 'calls' });
    for (const [service, n] of Object.entries(byService(busy.calls)).sort()) rows.push({ name: `tick with 50 due jobs: ${service}`, value: n, unit: 'calls' });
    rows.push({ name: 'tick with 50 due jobs: PropertiesService.getProperties', value: busy.calls['PropertiesService.Properties.getProperties'] ?? 0, unit: 'calls', goal: '2 (claim, record)' });
    rows.push({ name: 'tick with 50 due jobs: PropertiesService.setProperties', value: busy.calls['PropertiesService.Properties.setProperties'] ?? 0, unit: 'calls', goal: '2 (claim, record)' });
    rows.push({ name: 'tick with 50 due jobs: ScriptApp.getProjectTriggers', value: busy.calls['ScriptApp.getProjectTriggers'] ?? 0, unit: 'calls', goal: '1 (re-arm)' });
    rows.push({ name: 'tick with 50 due jobs: Utilities.getUuid', value: busy.calls['Utilities.getUuid'] ?? 0, unit: 'calls', goal: '1 (run ids)' });
    rows.push({ name: 'tick with 50 due jobs: virtual time', value: busy.elapsedMs, unit: 'ms', goal: '< 270,000 (work budget)' });
    await rt.close();
  } finally {
    removeBundle(dir);
  }
  return rows;
}
