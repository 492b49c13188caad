import { pacificDay, quotaResetAt, resolveChannels, type SyncState } from '../../../src-server/sync';
import { compactEntry, truncateUtf8 } from '../../../src-server/sync/state';
import { YouTubeApiError } from '../../../src-server/ports';
import { channelId, makeVideos, type FakeChannel } from './fakes';
import { env, execute } from './helpers';

const bytes = (s: string): number => new TextEncoder().encode(s).length;

describe('SyncState size', () => {
  test('worst case: 50 channels with 30-character handles, long non-ASCII titles and a checkpoint stays far under 9 KB', () => {
    const channels: FakeChannel[] = Array.from({ length: 50 }, (_, i) => ({
      id: channelId(`ch${i}`),
      title: `チャンネル ${'名前'.repeat(40)} ${i}`,
      handle: `@${`h${i}`.padEnd(30, 'x')}`,
      videos: makeVideos(`v${i}`, 60),
    }));
    const e = env(channels, { channels: channels.map((c) => c.handle!), output_mode: 'append' });
    e.clock.stepMs = 1000;
    const o = execute(e, { budgetMs: 70_000 }); // stops mid-way: a checkpoint is kept
    expect(o.complete).toBe(false);
    expect(o.state.cp).toBeDefined();
    const perChannel = Object.entries(o.state.ch).map(([k, t]) => bytes(JSON.stringify({ [k]: t })) - 2);
    expect(Object.keys(o.state.ch)).toHaveLength(50);
    expect(Math.max(...perChannel)).toBeLessThanOrEqual(120);
    // Completed channels carry a watermark too.
    const done = Object.values(o.state.ch).filter((t) => t[2]);
    expect(done.length).toBeGreaterThan(0);
    expect(Math.max(...done.map((t) => bytes(JSON.stringify(t))))).toBeLessThanOrEqual(85);
    expect(bytes(JSON.stringify(o.state))).toBeLessThan(120 * 50 + 200);
  });

  test('titles are cut on a character boundary within the byte limit', () => {
    const cut = truncateUtf8('名前'.repeat(20), 28);
    expect(bytes(cut)).toBeLessThanOrEqual(28);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncateUtf8('MKBHD', 28)).toBe('MKBHD');
  });

  test('compact entries drop trailing empties and survive JSON', () => {
    expect(compactEntry(['UCx', undefined, undefined, undefined, undefined])).toEqual(['UCx']);
    expect(JSON.parse(JSON.stringify(compactEntry(['UCx', 'w', undefined, 1])))).toEqual(['UCx', 'w', '', 1]);
  });

  test('a stored state from an older shape or garbage starts afresh instead of failing', () => {
    const e = env([{ id: channelId('a'), title: 'A', handle: '@alpha', videos: makeVideos('a', 3) }]);
    e.state = { nonsense: true } as unknown as SyncState;
    const o = execute(e);
    expect(o.status).toBe('succeeded');
    expect(o.state.v).toBe(2);
  });

  test('changing the target tab or the filter starts the watermarks afresh (the key column dedupes)', () => {
    const ch: FakeChannel = { id: channelId('a'), title: 'A', handle: '@alpha', videos: makeVideos('a', 30) };
    const e = env([ch]);
    execute(e);
    e.config = { ...e.config, target_tab_name: 'Other' };
    execute(e);
    expect(e.sheets.tab('Other').rows()).toHaveLength(30);
  });
});

describe('quota day (America/Los_Angeles)', () => {
  test.each([
    ['2026-01-05T12:00:00Z', '2026-01-05', '2026-01-06T08:00:00.000Z'], // PST
    ['2026-07-01T06:59:59Z', '2026-06-30', '2026-07-01T07:00:00.000Z'], // PDT, one second before midnight
    ['2026-07-01T07:00:00Z', '2026-07-01', '2026-07-02T07:00:00.000Z'], // exactly midnight: next one
    ['2026-03-08T07:30:00Z', '2026-03-07', '2026-03-08T08:00:00.000Z'], // eve of spring forward
    ['2026-03-08T12:00:00Z', '2026-03-08', '2026-03-09T07:00:00.000Z'], // 23-hour day
    ['2026-11-01T12:00:00Z', '2026-11-01', '2026-11-02T08:00:00.000Z'], // 25-hour day
  ])('%s is Pacific day %s, quota resets at %s', (now, day, reset) => {
    expect(pacificDay(new Date(now))).toBe(day);
    expect(quotaResetAt(new Date(now)).toISOString()).toBe(reset);
  });
});

describe('resolveChannels (wizard)', () => {
  const chans: FakeChannel[] = Array.from({ length: 60 }, (_, i) => ({ id: channelId(`id${i}`), title: `T${i}`, videos: makeVideos(`q${i}`, i % 5) }));
  chans.push({ id: channelId('handled'), title: 'Handled', handle: '@handled', videos: makeVideos('hh', 4) });

  test('batches ids 50 per call, one call per handle, and names what failed', () => {
    const { youtube } = env(chans);
    let spent = 0;
    const inputs = [...chans.slice(0, 60).map((c) => c.id), '@handled', '@nosuch', 'not a channel!'];
    const checks = resolveChannels(inputs, youtube, (u) => (spent += u));
    expect(youtube.calls['channels.list']).toBe(4); // 2 id batches + 2 handles
    expect(spent).toBe(4);
    expect(checks[0]).toMatchObject({ ok: true, channel_id: chans[0]!.id, title: 'T0', video_count: 0 });
    expect(checks[60]).toMatchObject({ ok: true, title: 'Handled', video_count: 4 });
    expect(checks[61]).toMatchObject({ ok: false, error: '@nosuch: no such channel' });
    expect(checks[62]!.ok).toBe(false);
    expect(checks[62]!.error).toMatch(/^not a channel!: not a channel/);
  });

  test('a quota failure is reported on every unchecked input', () => {
    const { youtube } = env(chans);
    youtube.beforeCall = (m) => {
      throw new YouTubeApiError('q', m, 403, 'quotaExceeded', 'quota');
    };
    const checks = resolveChannels(['@handled'], youtube);
    expect(checks[0]!.error).toMatch(/quota/);
  });

  test('the budget is asked before each call; what was resolved before a stop keeps its answer; quotaExceeded is not charged', () => {
    const { youtube } = env(chans);
    let spent = 0;
    const checks = resolveChannels([chans[0]!.id, '@handled', '@nosuch'], youtube, (u) => (spent += u), {
      canSpend: (u) => spent + u <= 1,
      refusedMessage: 'budget gone',
    });
    expect(youtube.calls['channels.list']).toBe(1);
    expect(spent).toBe(1);
    expect(checks.map((c) => c.ok)).toEqual([true, false, false]);
    expect(checks[1]!.error).toBe('budget gone');
    expect(checks[2]!.error).toBe('budget gone');

    const told: string[] = [];
    let charged = 0;
    const { youtube: tired } = env(chans);
    let n = 0;
    tired.beforeCall = (m) => {
      if (n++ === 1) throw new YouTubeApiError('q', m, 403, 'quotaExceeded', 'quota');
    };
    const later = resolveChannels([chans[1]!.id, '@handled'], tired, (u) => (charged += u), { onQuotaExceeded: () => told.push('quota') });
    expect(later.map((c) => c.ok)).toEqual([true, false]);
    expect(later[1]!.error).toMatch(/quota is used up/);
    expect(charged).toBe(1);
    expect(told).toEqual(['quota']);
  });
});
