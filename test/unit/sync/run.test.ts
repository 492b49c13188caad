import { DEFAULT_COLUMNS } from '../../../src-server/domain/catalogue';
import { YouTubeApiError } from '../../../src-server/ports';
import { quotaResetAt } from '../../../src-server/sync';
import { channelId, makeVideos, type FakeChannel } from './fakes';
import { env, ids, runToCompletion, units } from './helpers';

const alpha = (count: number): FakeChannel => ({
  id: channelId('alpha'),
  title: 'Alpha',
  handle: '@alpha',
  videos: makeVideos('a', count),
});

function addNewVideos(ch: FakeChannel, count: number): void {
  const newestN = ch.videos.length;
  const newestAt = new Date(Date.parse(ch.videos[0]!.publishedAt) + count * 3_600_000).toISOString();
  ch.videos.unshift(...makeVideos(ch.id.slice(2, 4), count, { startN: newestN, newestAt }));
}

describe('quota figures', () => {
  test('first sync of a 1,200-video channel costs 1 + 24 + 24 units and writes every video once, newest first', () => {
    const e = env([alpha(1200)]);
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    expect(o!.complete).toBe(true);
    expect(e.youtube.calls).toEqual({ 'channels.list': 1, 'playlistItems.list': 24, 'videos.list': 24, 'search.list': 0 });
    expect(o!.quotaUnits).toBe(49);
    expect(e.quota.used).toBe(49);
    const rows = e.sheets.tab('Videos').rows();
    expect(rows).toHaveLength(1200);
    expect(ids(rows)).toEqual(e.youtube.channels[0]!.videos.map((v) => v.id));
    expect(o!.videosAdded).toBe(1200);
    expect(o!.channels).toEqual([{ input: '@alpha', ok: true, title: 'Alpha', added: 1200, error: null }]);
  });

  test.each([
    ['append', 'daily', 1, 0],
    ['upsert', 'daily', 1, 0],
    ['upsert', 'off', 1, 0],
    ['upsert', 'every_run', 2, 1],
  ] as const)(
    'a second sync with no new videos costs %s (stats_refresh %s) -> %i unit(s), %i of them refresh',
    (mode, policy, expected, refresh) => {
      const e = env([alpha(1200)], { output_mode: mode, stats_refresh: policy });
      runToCompletion(e);
      const before = units(e);
      const [o] = runToCompletion(e);
      expect(units(e) - before).toBe(expected);
      expect(o!.quotaUnits).toBe(expected);
      expect(o!.refreshUnits).toBe(refresh);
      expect(e.sheets.tab('Videos').rows()).toHaveLength(1200);
      expect(e.youtube.calls['channels.list']).toBe(1); // resolved once, never again
    },
  );

  test("stats_refresh 'daily' refreshes the newest rows once 23 hours have passed, with one unit charged as refresh", () => {
    const ch = alpha(120);
    const e = env([ch]);
    runToCompletion(e);
    for (const v of ch.videos) v.views = 424_242;
    const views = DEFAULT_COLUMNS.indexOf('views');
    e.clock.set('2026-01-06T10:00:00Z'); // 22 h later: not yet
    let [o] = runToCompletion(e);
    expect(o!.refreshUnits).toBe(0);
    expect(e.sheets.tab('Videos').rows()[0]![views]).not.toBe(424_242);
    e.clock.set('2026-01-06T11:00:00Z'); // 23 h after the first refresh
    [o] = runToCompletion(e);
    expect(o!.quotaUnits).toBe(2);
    expect(o!.refreshUnits).toBe(1);
    expect(o!.videosUpdated).toBe(50);
    const rows = e.sheets.tab('Videos').rows();
    expect(rows.slice(0, 50).every((r) => r[views] === 424_242)).toBe(true);
    expect(rows[50]![views]).not.toBe(424_242); // only the newest 50
    [o] = runToCompletion(e); // right after: not due again
    expect(o!.refreshUnits).toBe(0);
  });

  test.each(['append', 'upsert'] as const)('3 new videos cost 2 units (%s) and land once', (mode) => {
    const ch = alpha(1200);
    const e = env([ch], { output_mode: mode });
    runToCompletion(e);
    addNewVideos(ch, 3);
    const before = units(e);
    const [o] = runToCompletion(e);
    expect(units(e) - before).toBe(2);
    expect(o!.videosAdded).toBe(3);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toHaveLength(1203);
    expect(new Set(rows).size).toBe(1203);
    const newIds = ch.videos.slice(0, 3).map((v) => v.id);
    if (mode === 'upsert')
      expect(rows.slice(0, 3)).toEqual(newIds); // newest first at the top
    else expect(rows.slice(-3)).toEqual([...newIds].reverse()); // appended at the bottom, oldest first
  });

  test('upsert refreshes the statistics of the newest rows in the same videos.list call as new videos, for free', () => {
    const ch = alpha(200);
    const e = env([ch], { stats_refresh: 'every_run' });
    runToCompletion(e);
    for (const v of ch.videos) v.views = 999_999;
    addNewVideos(ch, 3);
    runToCompletion(e);
    const last = e.youtube.log.filter((l) => l.method === 'videos.list').at(-1)!.arg as { ids: string[]; parts: string[] };
    expect(last.ids).toHaveLength(50);
    expect(last.parts).toContain('statistics');
    const views = DEFAULT_COLUMNS.indexOf('views');
    const rows = e.sheets.tab('Videos').rows();
    expect(rows.slice(0, 3).map((r) => r[views])).toEqual(ch.videos.slice(0, 3).map((v) => v.views)); // new
    expect(rows.slice(3, 50).every((r) => r[views] === 999_999)).toBe(true); // 47 refreshed in the same call
    expect(rows[50]![views]).not.toBe(999_999); // outside the window
    expect(rows).toHaveLength(203);
  });

  test('columns that playlistItems.list already gives need no videos.list call', () => {
    const e = env([alpha(120)], { columns: ['video_id', 'title', 'published_at', 'url', 'channel', 'description', 'thumbnail'] });
    runToCompletion(e);
    expect(e.youtube.calls['videos.list']).toBe(0);
    expect(e.youtube.calls['playlistItems.list']).toBe(3);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(120);
  });

  test('videos.list asks only for the parts the columns need', () => {
    const e = env([alpha(10)], { columns: ['video_id', 'duration'], output_mode: 'append' });
    runToCompletion(e);
    const call = e.youtube.log.find((l) => l.method === 'videos.list')!.arg as { parts: string[] };
    expect(call.parts).toEqual(['contentDetails']);
    const e2 = env([alpha(10)], { columns: ['video_id', 'tags', 'views'] });
    runToCompletion(e2);
    expect((e2.youtube.log.find((l) => l.method === 'videos.list')!.arg as { parts: string[] }).parts).toEqual(['snippet', 'statistics']);
  });

  test('new videos of several channels share videos.list calls', () => {
    const channels = ['c1', 'c2', 'c3'].map((s) => ({ id: channelId(s), title: s, handle: `@${s}xx`, videos: makeVideos(s, 10) }));
    const e = env(channels, { channels: channels.map((c) => c.handle!), output_mode: 'append' });
    runToCompletion(e);
    expect(e.youtube.calls).toEqual({ 'channels.list': 3, 'playlistItems.list': 3, 'videos.list': 1, 'search.list': 0 });
    expect(e.sheets.tab('Videos').rows()).toHaveLength(30);
  });

  test('max_videos bounds the first read and the watermark still stops the next one', () => {
    const ch = alpha(500);
    const e = env([ch], { max_videos: 120 });
    runToCompletion(e);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(120);
    expect(e.youtube.calls['playlistItems.list']).toBe(3);
    addNewVideos(ch, 2);
    runToCompletion(e);
    expect(ids(e.sheets.tab('Videos').rows()).slice(0, 2)).toEqual(ch.videos.slice(0, 2).map((v) => v.id));
    expect(e.sheets.tab('Videos').rows()).toHaveLength(122);
  });

  test('private and deleted uploads are skipped', () => {
    const ch = alpha(20);
    ch.videos[0]!.privacy = 'private';
    ch.videos[3]!.privacy = 'deleted';
    const e = env([ch]);
    runToCompletion(e);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toHaveLength(18);
    expect(rows).not.toContain(ch.videos[0]!.id);
    expect(rows).not.toContain(ch.videos[3]!.id);
  });

  test('the watermark video being deleted does not make the next run re-read the channel', () => {
    const ch = alpha(300);
    const e = env([ch], { output_mode: 'append' });
    runToCompletion(e);
    ch.videos.shift(); // the newest (the watermark) disappears
    addNewVideos(ch, 1);
    const before = units(e);
    runToCompletion(e);
    expect(units(e) - before).toBe(2);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(301);
  });
});

describe('spreadsheet calls', () => {
  function sheetCalls(count: number): number {
    const e = env([alpha(count)]);
    runToCompletion(e);
    const first = e.sheets.calls;
    return first;
  }

  test('do not grow with the number of videos', () => {
    expect(sheetCalls(1200)).toBe(sheetCalls(60));
    expect(sheetCalls(1200)).toBeLessThanOrEqual(8);
  });

  test('one key-column read and one block write per run, also in upsert with updates', () => {
    const ch = alpha(300);
    const e = env([ch]);
    runToCompletion(e);
    addNewVideos(ch, 7);
    e.sheets.calls = 0;
    for (const k of Object.keys(e.sheets.byMethod)) delete e.sheets.byMethod[k];
    runToCompletion(e);
    expect(e.sheets.byMethod.writeValues).toBe(1);
    expect(e.sheets.byMethod.insertRowsAfter).toBe(1);
    expect(e.sheets.byMethod.readValues).toBe(2); // header, key column (no refresh due: no row rewritten)
    expect(e.sheets.calls).toBeLessThanOrEqual(7);

    e.config = { ...e.config, stats_refresh: 'every_run' };
    addNewVideos(ch, 2);
    e.sheets.calls = 0;
    for (const k of Object.keys(e.sheets.byMethod)) delete e.sheets.byMethod[k];
    runToCompletion(e);
    expect(e.sheets.byMethod.writeValues).toBe(1);
    expect(e.sheets.byMethod.readValues).toBe(3); // header, key column, rows rewritten with the block
    expect(e.sheets.calls).toBeLessThanOrEqual(8);
  });
});

describe('writing', () => {
  test('a missing tab is created with a frozen header row of the chosen columns and text formats', () => {
    const e = env([alpha(3)], { columns: ['title', 'video_id', 'published_at', 'duration', 'is_short'] });
    runToCompletion(e);
    const tab = e.sheets.tab('Videos');
    expect(tab.grid[0]).toEqual(['title', 'video_id', 'published_at', 'duration', 'is_short']);
    expect(tab.frozen).toBe(1);
    const row = tab.rows()[0]!;
    expect(row[2]).toBeInstanceOf(Date);
    expect(tab.formats[1]).toEqual(['@', '@', 'yyyy-mm-dd hh:mm:ss', '[h]:mm:ss', 'General']);
    expect(typeof row[3]).toBe('number'); // a Sheets duration (fraction of a day)
    expect(typeof row[4]).toBe('boolean');
  });

  test('header_row labels: a new tab gets the labels; the key column is still found and rows are upserted, not added twice', () => {
    const e = env([alpha(4)], { columns: ['video_id', 'title', 'views'], header_row: 'labels' });
    runToCompletion(e);
    const tab = e.sheets.tab('Videos');
    expect(tab.grid[0]).toEqual(['Video ID', 'Title', 'Views']);
    expect(tab.rows()).toHaveLength(4);
    runToCompletion(e);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(4);
  });

  test('either wording of the header is recognised in an existing tab; a label in the wrong place is still refused', () => {
    // A tab made by hand with a mixed header (labels and keys) in the job's column order: the job writes into it.
    const mixed = env([alpha(3)], { columns: ['video_id', 'title', 'views'] });
    const tab = mixed.sheets.createTab(null, 'Videos');
    tab.writeValues(1, 1, [['Video ID', 'title', 'Views']], [['@', '@', '@']]);
    const [ok] = runToCompletion(mixed);
    expect(ok!.status).toBe('succeeded');
    expect(mixed.sheets.tab('Videos').rows()).toHaveLength(3);
    // Labels in another order are other columns: refused, nothing written.
    const swapped = env([alpha(3)], { columns: ['video_id', 'title', 'views'] });
    swapped.sheets.createTab(null, 'Videos').writeValues(1, 1, [['Title', 'Video ID', 'views']], [['@', '@', '@']]);
    const [bad] = runToCompletion(swapped);
    expect(bad!.status).toBe('failed');
    expect(bad!.error!.message).toMatch(/the header row is "Title, Video ID, views"/);
    expect(swapped.sheets.tab('Videos').rows()).toHaveLength(0);
  });

  test('formula-looking titles are handed to the sheet as text in text-formatted cells', () => {
    const titles = ['=IMPORTXML("http://x","//a")', '+1 (555)', '-5 reasons', '@everyone', "'quoted"];
    const ch: FakeChannel = { ...alpha(5) };
    ch.videos.forEach((v, i) => (v.title = titles[i]!));
    const e = env([ch]);
    runToCompletion(e);
    const tab = e.sheets.tab('Videos');
    const titleCol = DEFAULT_COLUMNS.indexOf('title');
    expect(tab.rows().map((r) => r[titleCol])).toEqual(titles);
    expect(tab.formats.slice(1, 6).every((f) => f[titleCol] === '@')).toBe(true);
  });

  test('a header that no longer matches the columns is a permanent error and nothing is written or spent', () => {
    const e = env([alpha(10)]);
    runToCompletion(e);
    const before = JSON.stringify(e.sheets.tab('Videos').grid);
    e.config = { ...e.config, columns: ['video_id', 'title', 'views'] };
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(o!.error!.kind).toBe('permanent');
    expect(o!.error!.message).toMatch(/tab 'Videos': the header row is "video_id, title, published_at/);
    expect(JSON.stringify(e.sheets.tab('Videos').grid)).toBe(before);
    expect(o!.quotaUnits).toBe(0);
  });

  test("a tab differing from the job's only by case is the job's tab: written, not created again", () => {
    const e = env([alpha(5)], { target_tab_name: 'Shared' });
    runToCompletion(e);
    e.config = { ...e.config, target_tab_name: 'shared' };
    const ch = e.youtube.channels[0]!;
    addNewVideos(ch, 2);
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    expect([...e.sheets.tabs.keys()]).toEqual(['active/Shared']);
    expect(e.sheets.tab('Shared').rows()).toHaveLength(7);
  });

  test('"already exists" when creating the tab is a permanent failure, not a transient one', () => {
    const e = env([alpha(5)], { target_tab_name: 'Shared' });
    e.sheets.createTab(null, 'SHARED');
    e.sheets.hiddenFromLookup.add('shared'); // the lookup misses it (created meanwhile by another execution)
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(o!.error).toMatchObject({ kind: 'permanent' });
    expect(o!.error!.message).toMatch(/A sheet with the name "SHARED" already exists/);
  });

  test("extra columns of the user's own after the job's columns are left alone", () => {
    const e = env([alpha(5)], { columns: ['video_id', 'title'], output_mode: 'append' });
    runToCompletion(e);
    const tab = e.sheets.tab('Videos');
    tab.grid[0]![2] = 'my notes';
    tab.grid[1]![2] = 'keep me';
    addNewVideos(e.youtube.channels[0]!, 1);
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    expect(tab.grid[1]![2]).toBe('keep me');
  });

  test('overwrite replaces the whole table', () => {
    const ch = alpha(30);
    const e = env([ch], { output_mode: 'overwrite', max_videos: 10 });
    const tab = (): unknown[][] => e.sheets.tab('Videos').rows();
    runToCompletion(e);
    expect(ids(tab())).toEqual(ch.videos.slice(0, 10).map((v) => v.id));
    ch.videos.splice(0, 5); // five newest gone
    e.config = { ...e.config, max_videos: 3 };
    runToCompletion(e);
    expect(ids(tab())).toEqual(ch.videos.slice(0, 3).map((v) => v.id));
  });

  test('overwrite leaves the table alone when the run cannot read anything', () => {
    const e = env([alpha(10)], { output_mode: 'overwrite' });
    runToCompletion(e);
    e.youtube.beforeCall = (method) => {
      if (method === 'playlistItems.list') throw new YouTubeApiError('down', method, 503, 'backendError', 'transient');
    };
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(e.sheets.tab('Videos').rows()).toHaveLength(10);
  });

  test('upsert updates an existing row in place and never duplicates it', () => {
    const ch = alpha(60);
    const e = env([ch]);
    runToCompletion(e);
    // The state is lost (say the app could not save it): the next run reads everything again.
    e.state = { v: 2, ch: {} };
    ch.videos[10]!.title = 'Renamed';
    const [o] = runToCompletion(e);
    const rows = e.sheets.tab('Videos').rows();
    expect(rows).toHaveLength(60);
    expect(rows[10]![1]).toBe('Renamed');
    expect(o!.videosAdded).toBe(0);
    expect(o!.videosUpdated).toBe(60);
  });

  test('append never writes a video already in the key column, even when the watermark is lost', () => {
    const e = env([alpha(60)], { output_mode: 'append' });
    runToCompletion(e);
    e.state = { v: 2, ch: {} };
    addNewVideos(e.youtube.channels[0]!, 2);
    const [o] = runToCompletion(e);
    expect(o!.videosAdded).toBe(2);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toHaveLength(62);
    expect(new Set(rows).size).toBe(62);
  });

  test('a target in another spreadsheet is written there', () => {
    const e = env([alpha(3)], { target_sheet_id: 'other-sheet', target_tab_name: 'Feed' });
    runToCompletion(e);
    expect(e.sheets.tab('Feed', 'other-sheet').rows()).toHaveLength(3);
  });
});

describe('channels', () => {
  test('an unknown handle fails only its own channel', () => {
    const e = env([alpha(5)], { channels: ['@alpha', '@nosuch'] });
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('partial');
    expect(o!.error).toEqual({ kind: 'permanent', message: '@nosuch: no such channel' });
    expect(o!.channels[1]).toEqual({ input: '@nosuch', ok: false, title: null, added: 0, error: '@nosuch: no such channel' });
    expect(e.sheets.tab('Videos').rows()).toHaveLength(5);
  });

  test('a run whose every channel is unknown fails permanently', () => {
    const e = env([alpha(5)], { channels: ['@nosuch', 'https://www.youtube.com/channel/UCzzzzzzzzzzzzzzzzzzzzzz'] });
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(o!.error!.kind).toBe('permanent');
    expect(o!.channels.map((c) => c.error)).toEqual(['@nosuch: no such channel', 'UCzzzzzzzzzzzzzzzzzzzzzz: no such channel']);
  });

  test('every input form resolves; ids are batched, handles and usernames are one call each', () => {
    const chans: FakeChannel[] = [
      { id: channelId('one'), title: 'One', handle: '@one1', videos: makeVideos('o', 2) },
      { id: channelId('two'), title: 'Two', username: 'LegacyTwo', videos: makeVideos('t', 2) },
      { id: channelId('three'), title: 'Three', videos: makeVideos('h', 2) },
      { id: channelId('four'), title: 'Four', videos: makeVideos('f', 2) },
    ];
    const e = env(chans, {
      channels: [
        'https://www.youtube.com/@one1',
        'youtube.com/user/LegacyTwo',
        chans[2]!.id,
        `https://youtube.com/channel/${chans[3]!.id}`,
      ],
      output_mode: 'append',
    });
    const [o] = runToCompletion(e);
    expect(o!.channels.map((c) => c.title)).toEqual(['One', 'Two', 'Three', 'Four']);
    expect(e.youtube.calls['channels.list']).toBe(3);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(8);
  });
});

describe('video_filter', () => {
  test('shorts reads UUSH and marks is_short from it without contentDetails', () => {
    const ch = alpha(70);
    const e = env([ch], { video_filter: 'shorts', columns: ['video_id', 'is_short'] });
    runToCompletion(e);
    const playlistCalls = e.youtube.log
      .filter((l) => l.method === 'playlistItems.list')
      .map((l) => (l.arg as { playlistId: string }).playlistId);
    expect(playlistCalls.every((p) => p.startsWith('UUSH'))).toBe(true);
    expect(e.youtube.calls['videos.list']).toBe(0);
    const rows = e.sheets.tab('Videos').rows();
    expect(rows).toHaveLength(ch.videos.filter((v) => v.short).length);
    expect(rows.every((r) => r[1] === true)).toBe(true);
  });

  test('falls back to UU filtered by duration when the filtered playlist does not exist, and remembers it', () => {
    const ch = { ...alpha(30), noFilteredPlaylists: true };
    const e = env([ch], { video_filter: 'long', columns: ['video_id', 'duration'] });
    runToCompletion(e);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toEqual(ch.videos.filter((v) => v.seconds > 180).map((v) => v.id));
    const attempts = e.youtube.log
      .filter((l) => l.method === 'playlistItems.list')
      .map((l) => (l.arg as { playlistId: string }).playlistId.slice(0, 4));
    expect(attempts).toEqual(['UULF', 'UUal']);
    runToCompletion(e);
    const next = e.youtube.log
      .filter((l) => l.method === 'playlistItems.list')
      .slice(2)
      .map((l) => (l.arg as { playlistId: string }).playlistId.slice(0, 4));
    expect(next).toEqual(['UUal']); // UULF is not tried again
  });
});

describe('quota and failures', () => {
  test('quotaExceeded mid-run defers until Pacific midnight, keeps what was read, and resumes without loss', () => {
    const e = env([alpha(1200)]);
    e.clock.set('2026-03-08T07:30:00Z'); // 23:30 PST on the eve of the DST change
    let n = 0;
    e.youtube.beforeCall = (method) => {
      n += 1;
      if (n === 20) throw new YouTubeApiError('quota', method, 403, 'quotaExceeded', 'quota');
    };
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('deferred');
    expect(o!.complete).toBe(false);
    expect(o!.error!.kind).toBe('quota');
    expect(o!.deferUntil).toBe('2026-03-08T08:00:00.000Z');
    expect(o!.deferUntil).toBe(quotaResetAt(new Date('2026-03-08T07:30:00Z')).toISOString());
    const written = e.sheets.tab('Videos').rows().length;
    expect(written).toBeGreaterThan(0);
    e.youtube.beforeCall = null;
    const rest = runToCompletion(e);
    expect(rest.at(-1)!.complete).toBe(true);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toHaveLength(1200);
    expect(new Set(rows).size).toBe(1200);
  });

  test('the daily budget stops the run cleanly before the call that would exceed it', () => {
    const e = env([alpha(1200)]);
    e.quota.budget = 10;
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('deferred');
    expect(o!.error!.kind).toBe('budget');
    expect(e.quota.used).toBe(10);
    expect(o!.deferUntil).not.toBeNull();
  });

  test('a transient error fails the execution, keeps a checkpoint, and the retry loses nothing', () => {
    const e = env([alpha(400)]);
    let n = 0;
    e.youtube.beforeCall = (method) => {
      n += 1;
      if (n === 7) throw new YouTubeApiError('backend', method, 500, 'backendError', 'transient');
    };
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(o!.error!.kind).toBe('transient');
    expect(o!.complete).toBe(false);
    e.youtube.beforeCall = null;
    runToCompletion(e);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toEqual(e.youtube.channels[0]!.videos.map((v) => v.id));
  });

  test('search.list is never called', () => {
    const e = env([alpha(300)]);
    runToCompletion(e);
    runToCompletion(e);
    expect(e.youtube.calls['search.list']).toBe(0);
  });
});

describe('time budget', () => {
  test('a 5,000-video channel resumes across executions, newest first, without duplicates', () => {
    const ch = alpha(5000);
    const e = env([ch]);
    e.clock.stepMs = 1000; // every clock read is a second later: ~30 pages per execution
    const outcomes = runToCompletion(e, { budgetMs: 30_000 });
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.slice(0, -1).every((o) => !o.complete && o.status === 'succeeded')).toBe(true);
    expect(outcomes.at(-1)!.complete).toBe(true);
    const rows = ids(e.sheets.tab('Videos').rows());
    expect(rows).toEqual(ch.videos.map((v) => v.id));
    expect(e.youtube.calls['playlistItems.list']).toBe(100);
    expect(e.youtube.calls['videos.list']).toBe(100);
  });
});
