/** The sync engine through the built bundle in the local runtime (gas adapters + the YouTube fake). */
import { DEMO_CHANNELS } from '../../../emulator/youtube/demo-dataset';
import { DEFAULT_COLUMNS } from '../../../src-server/domain/catalogue';
import { buildSyncBundle, removeBundle, SyncDriver } from './harness';

let dir = '';
beforeAll(async () => {
  dir = await buildSyncBundle();
}, 60_000);
afterAll(() => removeBundle(dir));

const ids = (rows: unknown[][]): string[] => rows.map((r) => String(r[0]));

test('first sync of the 1,200-video channel costs exactly 1 + 24 + 24 units', () => {
  const d = new SyncDriver(dir, { channels: ['@midchannel'], max_videos: 2000 });
  const { outcomes } = d.run();
  const o = outcomes.at(-1)!;
  expect(o.status).toBe('succeeded');
  expect(o.complete).toBe(true);
  expect(d.units()).toBe(49);
  expect(d.rt.youtube.calls).toMatchObject({ 'channels.list': 1, 'playlistItems.list': 24, 'videos.list': 24, 'search.list': 0 });
  const rows = d.rows();
  expect(rows).toHaveLength(1200);
  expect(new Set(ids(rows)).size).toBe(1200);
  // Dates are real dates; the header is frozen.
  expect(rows[0]![DEFAULT_COLUMNS.indexOf('published_at')]).toBeInstanceOf(Date);
  expect(d.rt.spreadsheets.sheet(d.rt.spreadsheetId, 'Videos')!.frozenRows).toBe(1);
});

test.each([
  ['append', 'daily', 1],
  ['upsert', 'daily', 1],
  ['upsert', 'every_run', 2],
] as const)(
  'a second sync with no new videos costs %s (stats_refresh %s) -> %i unit(s), no Spreadsheet call without a refresh; 3 new videos cost 2',
  (mode, policy, expected) => {
    const d = new SyncDriver(dir, { channels: ['@midchannel'], max_videos: 2000, output_mode: mode, stats_refresh: policy });
    d.run();
    let before = d.units();
    const second = d.run();
    expect(d.units() - before).toBe(expected);
    if (expected === 1) expect(second.sheetCalls).toEqual([0]); // YouTube first: nothing to write, the tab is not opened
    const channelId = DEMO_CHANNELS.mid.id;
    const now = d.rt.clock.now().getTime();
    d.rt.youtube.addVideos(
      channelId,
      [1, 2, 3].map((i) => ({
        id: `newvid0000${i}`,
        title: `New ${i}`,
        publishedAt: new Date(now - i * 1000).toISOString(),
        durationSeconds: 600,
      })),
    );
    before = d.units();
    const { outcomes } = d.run();
    expect(d.units() - before).toBe(2);
    expect(outcomes.at(-1)!.videosAdded).toBe(3);
    const rows = ids(d.rows());
    expect(rows).toHaveLength(1203);
    expect(new Set(rows).size).toBe(1203);
  },
);

test('a 5,000-video channel resumes across executions with no duplicate and no loss', () => {
  const d = new SyncDriver(dir, { channels: ['@bigchannel'], max_videos: 20000 });
  const { outcomes, sheetCalls } = d.run(15_000); // a short time budget: several executions
  expect(outcomes.length).toBeGreaterThan(2);
  expect(outcomes.at(-1)!.complete).toBe(true);
  const rows = ids(d.rows());
  expect(rows.length).toBeGreaterThan(4900); // the demo channel's private and deleted uploads are skipped
  expect(new Set(rows).size).toBe(rows.length);
  // Spreadsheet calls per execution do not grow with the videos written.
  expect(Math.max(...sheetCalls)).toBeLessThanOrEqual(16);
});

test('a 5,000-video sync killed by the 6-minute limit resumes without duplicates', () => {
  const d = new SyncDriver(dir, { channels: ['@bigchannel'], max_videos: 20000 }, { latency: { 'YouTube.*': 5000 } });
  const first = d.execute('r1', 10 * 60_000); // the deadline is past the platform's limit: killed
  expect(first.killed).toBe(true);
  for (let i = 0; i < 40; i++) {
    const r = d.execute('r1', 200_000);
    if (r.outcome?.complete) break;
  }
  const rows = ids(d.rows());
  expect(rows.length).toBeGreaterThan(4900);
  expect(new Set(rows).size).toBe(rows.length);
});

test('formula-looking titles stay literal text', () => {
  const d = new SyncDriver(dir, { channels: ['@formulalab'] });
  d.run();
  const title = DEFAULT_COLUMNS.indexOf('title');
  const titles = d.rows().map((r) => r[title]);
  expect(titles).toEqual(
    expect.arrayContaining(['=IMPORTXML("http://x","//a")', '+1 (555) 010-0199', '-5 degrees', '@home tour', '=1+1', "'quoted start"]),
  );
  const formulas = d.rt.spreadsheets.formulas(d.rt.spreadsheetId, 'Videos');
  expect(formulas.flat().filter((f) => f !== '')).toEqual([]);
});

test('an unknown handle fails only its own channel', () => {
  const d = new SyncDriver(dir, { channels: ['@tinycooking', '@nosuch'] });
  const o = d.run().outcomes.at(-1)!;
  expect(o.status).toBe('partial');
  expect(o.channels.find((c) => c.input === '@nosuch')!.error).toBe('@nosuch: no such channel');
  expect(d.rows().length).toBeGreaterThan(0);
});

test('quotaExceeded defers until midnight Pacific', () => {
  const d = new SyncDriver(dir, { channels: ['@midchannel'] });
  d.rt.youtube.injectFault({ method: 'videos.list', kind: 'quotaExceeded' });
  const o = d.run().outcomes.at(-1)!;
  expect(o.status).toBe('deferred');
  expect(o.error!.kind).toBe('quota');
  expect(o.deferUntil).toBe('2026-01-06T08:00:00.000Z');
});

test('the wizard check resolves titles and video counts', () => {
  const d = new SyncDriver(dir, {});
  const r = d.rt.run<string>('testResolve', JSON.stringify(['@tinycooking', DEMO_CHANNELS.mid.id, '@nosuch']));
  const checks = JSON.parse(r.value!) as { ok: boolean; title: string | null; video_count: number | null; error: string | null }[];
  expect(checks[0]).toMatchObject({ ok: true, video_count: 12 });
  expect(checks[1]!.ok).toBe(true);
  expect(checks[2]).toMatchObject({ ok: false, error: '@nosuch: no such channel' });
});
