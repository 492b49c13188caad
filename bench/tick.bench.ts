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

function busyJobId(rt: ReturnType<typeof newRuntime>): string {
  return value<{ items: { id: string }[] }>(rt, 'listJobs', { page: 1, page_size: 1 }).items[0]!.id;
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = await buildTestBundle();
  const rows: BenchRow[] = [];
  try {
    const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z' });
    for (let i = 0; i < 50; i++) {
      value(
        rt,
        'createJob',
        {
          name: `Job ${i}`,
          channels: ['@tinycooking'],
          schedule_type: 'daily',
          schedule_value: '09:00',
          target_tab_name: `Tab ${i}`,
          columns: ['video_id', 'title', 'published_at', 'views'],
        },
        '$owner',
      );
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
    for (const [service, n] of Object.entries(byService(busy.calls)).sort())
      rows.push({ name: `tick with 50 due jobs: ${service}`, value: n, unit: 'calls' });
    rows.push({
      name: 'tick with 50 due jobs: PropertiesService.getProperties',
      value: busy.calls['PropertiesService.Properties.getProperties'] ?? 0,
      unit: 'calls',
      goal: '2 (claim, record)',
    });
    rows.push({
      name: 'tick with 50 due jobs: PropertiesService.setProperties',
      value: busy.calls['PropertiesService.Properties.setProperties'] ?? 0,
      unit: 'calls',
      goal: '3 (claim, record, log mark)',
    });
    rows.push({
      name: 'tick with 50 due jobs: ScriptApp.getProjectTriggers',
      value: busy.calls['ScriptApp.getProjectTriggers'] ?? 0,
      unit: 'calls',
      goal: '1 (re-arm)',
    });
    rows.push({
      name: 'tick with 50 due jobs: Utilities.getUuid',
      value: busy.calls['Utilities.getUuid'] ?? 0,
      unit: 'calls',
      goal: '1 (run ids)',
    });
    rows.push({ name: 'tick with 50 due jobs: virtual time', value: busy.elapsedMs, unit: 'ms', goal: '< 270,000 (work budget)' });

    // Run now of a job with nothing new: the jobs tab (open, read at the claim, a write per phase) and
    // the hidden history and audit tabs (open, read the end, one write each).
    rt.scriptRun('runJobNow', busyJobId(rt));
    rt.clock.set(new Date('2026-01-05T14:30:00Z'));
    const now = rt.scriptRun('runJobNow', busyJobId(rt)).calls;
    const sheetCalls = Object.entries(now).filter(
      ([name]) => name.startsWith('SpreadsheetApp.') && !/\.(getRange|getActiveSpreadsheet|getId|getSpreadsheetTimeZone|flush)$/.test(name),
    );
    rows.push({
      name: 'run now, nothing new: Spreadsheet round trips (jobs + history + audit tabs)',
      value: sheetCalls.reduce((n, [, c]) => n + c, 0),
      unit: 'calls',
    });
    rows.push({
      name: 'run now: history and audit tabs',
      value:
        (now['SpreadsheetApp.Spreadsheet.getSheetByName'] ?? 1) -
        1 +
        (now['SpreadsheetApp.Sheet.getLastRow'] ?? 1) -
        1 +
        (now['SpreadsheetApp.Range.setValues'] ?? 2) -
        2 +
        (now['SpreadsheetApp.Range.setNumberFormats'] ?? 0) +
        (now['SpreadsheetApp.Sheet.getMaxRows'] ?? 0),
      unit: 'calls',
      goal: '<= 4: not met, 6 (open, end, write each): the end is read before each append, since a hand-edited hidden tab would otherwise be written over',
    });
    await rt.close();
  } finally {
    removeBundle(dir);
  }
  return rows;
}
