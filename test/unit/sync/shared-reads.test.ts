/**
 * Reads shared within one execution (SharedReads), channels a check already resolved (knownChannels),
 * and the tab opened only when there is something to write.
 */
import { emptySyncState, runSync, shareReads, type KnownChannel, type SyncOutcome, type SyncState } from '../../../src-server/sync';
import type { JobConfig } from '../../../src-server/domain/job';
import { channelId, FakeQuota, FakeSheets, FakeYouTube, jobConfig, makeVideos, SteppingClock, type FakeChannel } from './fakes';
import { env, ids, runToCompletion } from './helpers';

const alpha = (count: number): FakeChannel => ({
  id: channelId('alpha'),
  title: 'Alpha',
  handle: '@alpha',
  videos: makeVideos('a', count),
});

describe('SharedReads: the jobs of one execution share their YouTube reads', () => {
  test('10 jobs on one channel in one execution: 2 units (one page, one statistics refresh), not 20', () => {
    const ch = alpha(80);
    const youtube = new FakeYouTube([ch]);
    const sheets = new FakeSheets();
    const clock = new SteppingClock();
    const quota = new FakeQuota();
    const configs: JobConfig[] = Array.from({ length: 10 }, (_, i) =>
      jobConfig({ target_tab_name: `Tab ${i}`, stats_refresh: 'every_run' }),
    );
    const states: SyncState[] = configs.map(() => emptySyncState());
    const execution = (): SyncOutcome[] => {
      const shared = shareReads(youtube); // one per execution, as gas/context.ts builds it
      return configs.map((config, i) => {
        const o = runSync(
          { jobId: `j${i}`, config, state: states[i]!, runId: `r${i}-${Date.now()}` },
          { youtube: shared, sheets, clock, quota, deadline: new Date(clock.now().getTime() + 3_600_000) },
        );
        states[i] = o.state;
        return o;
      });
    };
    execution(); // first syncs: each job reads the channel once, shared
    expect(youtube.calls['playlistItems.list']).toBe(2);
    expect(youtube.calls['channels.list']).toBe(1);
    const before = { units: youtube.units, metered: quota.used };
    const outcomes = execution();
    expect(youtube.units - before.units).toBe(2);
    expect(quota.used - before.metered).toBe(2); // shared answers are not charged
    expect(outcomes.reduce((n, o) => n + o.quotaUnits, 0)).toBe(2);
    expect(outcomes[0]!.refreshUnits).toBe(1);
    expect(outcomes.slice(1).every((o) => o.refreshUnits === 0 && o.videosUpdated === 50)).toBe(true);
    for (let i = 0; i < 10; i++) expect(sheets.tab(`Tab ${i}`).rows()).toHaveLength(80);
  });

  test('a page read before a channel count is never served after it (count-then-read order holds)', () => {
    const ch = alpha(3);
    const youtube = new FakeYouTube([ch]);
    const shared = shareReads(youtube);
    shared.listPlaylistItems(`UU${ch.id.slice(2)}`, null, 50);
    shared.listPlaylistItems(`UU${ch.id.slice(2)}`, null, 50);
    expect(youtube.calls['playlistItems.list']).toBe(1);
    shared.listChannels({ id: [ch.id] });
    shared.listPlaylistItems(`UU${ch.id.slice(2)}`, null, 50);
    expect(youtube.calls['playlistItems.list']).toBe(2);
    expect(shared.requests).toBe(3);
  });

  test('ids and parts already known are not asked again; unknown ones are asked in one request', () => {
    const ch = alpha(10);
    const youtube = new FakeYouTube([ch]);
    const shared = shareReads(youtube);
    const all = ch.videos.map((v) => v.id);
    shared.listVideos(all.slice(0, 5), ['statistics']);
    expect(shared.listVideos(all.slice(0, 5), ['statistics'])).toHaveLength(5);
    expect(youtube.calls['videos.list']).toBe(1);
    shared.listVideos(all, ['statistics']); // 5 known, 5 not: one request for the 5
    expect(youtube.calls['videos.list']).toBe(2);
    expect((youtube.log.at(-1)!.arg as { ids: string[] }).ids).toEqual(all.slice(5));
    const both = shared.listVideos(all.slice(0, 2), ['contentDetails', 'statistics']); // a part not known yet
    expect(youtube.calls['videos.list']).toBe(3);
    expect(both[0]!.durationIso).not.toBeNull();
    expect(both[0]!.views).not.toBeNull();
    shared.listChannels({ id: [ch.id, ch.id] });
    shared.listChannels({ forHandle: '@ALPHA' });
    shared.listChannels({ forHandle: '@alpha' });
    expect(youtube.calls['channels.list']).toBe(2);
  });

  test('errors are not kept: the next call asks again', () => {
    const ch = alpha(3);
    const youtube = new FakeYouTube([ch]);
    const shared = shareReads(youtube);
    let fail = true;
    youtube.beforeCall = () => {
      if (fail) throw new Error('backend');
    };
    expect(() => shared.listPlaylistItems(`UU${ch.id.slice(2)}`, null, 50)).toThrow('backend');
    fail = false;
    expect(shared.listPlaylistItems(`UU${ch.id.slice(2)}`, null, 50).items).toHaveLength(3);
    expect(shared.requests).toBe(2);
  });
});

describe('channels resolved by a check are not looked up again', () => {
  test('a 50-handle job whose handles were checked at creation makes no channels.list call on its first sync', () => {
    const chans: FakeChannel[] = Array.from({ length: 50 }, (_, i) => ({
      id: channelId(`k${i}`),
      title: `K${i}`,
      handle: `@known${i}`,
      videos: makeVideos(`k${i}`, 3),
    }));
    const e = env(chans, { channels: chans.map((c) => c.handle!), output_mode: 'append' });
    const asked: string[][] = [];
    const knownChannels = (keys: readonly string[]): Map<string, KnownChannel> => {
      asked.push([...keys]);
      return new Map(chans.slice(0, 48).map((c) => [`handle:${c.handle!.slice(1)}`, { id: c.id, title: c.title, videoCount: 3 }]));
    };
    const o = runSync(
      { jobId: 'j', config: e.config, state: e.state, runId: 'r1' },
      { youtube: e.youtube, sheets: e.sheets, clock: e.clock, quota: e.quota, deadline: new Date(Date.now() + 3_600_000), knownChannels },
    );
    expect(o.status).toBe('succeeded');
    expect(e.youtube.calls['channels.list']).toBe(2); // the 2 handles the cache did not have
    expect(asked).toHaveLength(1);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(150);
    expect(o.channels[0]!.title).toBe('K0');
  });
});

describe('the tab is opened only when there is something to write', () => {
  test.each(['append', 'upsert'] as const)('%s with nothing new: no Spreadsheet call at all', (mode) => {
    const e = env([alpha(60)], { output_mode: mode });
    runToCompletion(e);
    e.sheets.calls = 0;
    const [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    expect(e.sheets.calls).toBe(0);
  });

  test('upsert with nothing new and a statistics refresh due: one read (header, keys and rows at once) and one write', () => {
    const ch = alpha(120);
    const e = env([ch], { stats_refresh: 'every_run' });
    runToCompletion(e);
    for (const v of ch.videos) v.views = 5;
    e.sheets.calls = 0;
    for (const k of Object.keys(e.sheets.byMethod)) delete e.sheets.byMethod[k];
    runToCompletion(e);
    expect(e.sheets.byMethod).toEqual({ getTab: 1, lastRow: 1, lastColumn: 1, readValues: 1, writeValues: 1 });
    const tab = e.sheets.tab('Videos');
    expect(
      tab
        .rows()
        .slice(0, 50)
        .every((r) => r[4] === 5),
    ).toBe(true);
    expect(tab.rows()[50]![4]).not.toBe(5);
  });

  test('a run that will write opens the tab first, so a wrong header costs no quota; a column change does too', () => {
    const ch = alpha(10);
    const e = env([ch]);
    runToCompletion(e);
    e.sheets.tab('Videos').grid[0]![1] = 'renamed by hand';
    // Nothing new: the tab is not even looked at.
    let [o] = runToCompletion(e);
    expect(o!.status).toBe('succeeded');
    // New videos: read, then the header stops the write; the state does not move past them.
    ch.videos.unshift(...makeVideos('zz', 2, { startN: 100, newestAt: '2026-02-01T00:00:00Z' }));
    [o] = runToCompletion(e);
    expect(o!.status).toBe('failed');
    expect(o!.error!.kind).toBe('permanent');
    e.sheets.tab('Videos').grid[0]![1] = 'title';
    [o] = runToCompletion(e);
    expect(o!.videosAdded).toBe(2);
    expect(ids(e.sheets.tab('Videos').rows()).slice(0, 2)).toEqual(ch.videos.slice(0, 2).map((v) => v.id));
  });
});
