/**
 * Quota through the whole product (the built bundle in the local runtime, the tick's path): jobs on
 * one channel share one read per tick, a job's first sync reuses the channel ids its creation checked,
 * and 50 channels with nothing new cost one unit and no target-tab call.
 */
import { buildTestBundle, newRuntime, removeBundle, runRows, value } from '../app/harness';
import type { Runtime } from '../../../emulator';
import type { YouTubeDataset } from '../../../emulator/youtube/dataset';

let dir: string;
beforeAll(async () => {
  dir = await buildTestBundle();
}, 120_000);
afterAll(() => removeBundle(dir));

const HOUR = 3_600_000;

function dataset(channels: number, videos: number): YouTubeDataset {
  return {
    version: 1,
    channels: Array.from({ length: channels }, (_, c) => ({
      id: `UC${`quota${c}`.padEnd(22, 'q')}`,
      title: `Quota channel ${c}`,
      handle: `@quota${c}`,
      publishedAt: '2020-01-01T00:00:00Z',
      videos: Array.from({ length: videos }, (_, v) => ({
        id: `q${c}v${v}`.padEnd(11, '_'),
        title: `Video ${v} of ${c}`,
        publishedAt: new Date(Date.parse('2026-01-01T00:00:00Z') - v * HOUR).toISOString(),
        durationSeconds: 600,
        views: 100 + v,
      })),
    })),
  };
}

const units = (rt: Runtime): number => rt.youtube.quota.usedToday(rt.clock.now());

function job(name: string, channels: string[], tab: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    channels,
    schedule_type: 'interval',
    schedule_value: '1h',
    target_tab_name: tab,
    columns: ['video_id', 'title', 'published_at', 'views'],
    ...extra,
  };
}

test('10 jobs on one channel in one tick share one read: 2 units with a statistics refresh, 1 without, not 20', async () => {
  const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z', dataset: dataset(1, 30) });
  for (let i = 0; i < 10; i++)
    value(rt, 'createJob', job(`Job ${i}`, ['@quota0'], `Tab ${i}`, { stats_refresh: i < 5 ? 'every_run' : 'daily' }), '$owner');
  rt.clock.set(new Date('2026-01-05T13:00:30Z'));
  rt.run('tick');
  expect(runRows(rt).filter((r) => r.status === 'succeeded')).toHaveLength(10);
  rt.clock.set(new Date('2026-01-05T14:00:30Z'));
  const before = units(rt);
  const tick = rt.run('tick');
  expect(tick.ok).toBe(true);
  expect(runRows(rt).filter((r) => r.status === 'succeeded')).toHaveLength(20);
  // One playlist page for all 10 jobs, one videos.list for the 5 every_run jobs' identical top rows.
  expect(units(rt) - before).toBe(2);
  await rt.close();
}, 120_000);

test('a 50-handle job: the handles checked at creation are not resolved again by its first sync', async () => {
  const rt = newRuntime(dir, { start: '2026-01-05T12:00:00Z', dataset: dataset(50, 3) });
  const handles = Array.from({ length: 50 }, (_, i) => `@quota${i}`);
  value(rt, 'createJob', job('Fifty', handles, 'Fifty', { output_mode: 'append' }), '$owner');
  const afterCreate = units(rt);
  expect(afterCreate).toBe(50); // the check: one channels.list per handle
  rt.clock.set(new Date('2026-01-05T13:00:30Z'));
  const channelsBefore = rt.youtube.calls['channels.list'];
  rt.run('tick');
  expect(runRows(rt).filter((r) => r.status === 'succeeded')).toHaveLength(1);
  expect(rt.youtube.calls['channels.list'] - channelsBefore).toBe(0);
  // 50 pages + 3 videos.list (150 new videos, 50 ids per call): 103 in all, not 153.
  expect(units(rt) - afterCreate).toBe(53);

  // 50 channels, nothing new: one channels.list (1 unit) and the target tab is not touched.
  rt.clock.set(new Date('2026-01-05T14:00:30Z'));
  const before = units(rt);
  const tick = rt.run('tick');
  expect(units(rt) - before).toBe(1);
  expect(runRows(rt).filter((r) => r.status === 'succeeded')).toHaveLength(2);
  expect(rt.spreadsheets.values(rt.spreadsheetId, 'Fifty').length).toBe(151);
  // The only tabs looked up are the hidden ones (run history, jobs tab): the target tab is not opened.
  expect(tick.calls['SpreadsheetApp.Spreadsheet.getSheetByName'] ?? 0).toBeLessThanOrEqual(2);
  // The reads are the jobs tab's: the claim phase reads the table (the record phase reuses it), the run its sync cell.
  expect(tick.calls['SpreadsheetApp.Range.getValues'] ?? 0).toBe(2);
  await rt.close();
}, 120_000);
