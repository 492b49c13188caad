import fc from 'fast-check';
import {
  CHANNEL_TITLE_BYTES,
  MAX_SYNC_STATE_BYTES,
  normalizeSyncState,
  pacificDay,
  quotaResetAt,
  isMissingChannel,
  resolveChannels,
  type ChannelEntry,
  type SyncState,
} from '../../../src-server/sync';
import { compactEntry, MAX_PAGE_TOKEN, MAX_RUN_TAG, slotOf, truncateJson, truncateUtf8 } from '../../../src-server/sync/state';
import { YouTubeApiError } from '../../../src-server/ports';
import { channelId, makeVideos, type FakeChannel } from './fakes';
import { env, execute } from './helpers';

const bytes = (s: string): number => new TextEncoder().encode(s).length;

describe('SyncState size: bounded by design (issue 16.4)', () => {
  // 30 letters of 4 UTF-8 bytes each: the longest handle the schema accepts, in bytes.
  const wideHandle = (i: number): string => `@${String.fromCodePoint(0x20000 + i)}${'𠀀'.repeat(29)}`;
  // Long titles JSON escapes or widens: CJK, quotes, backslashes, control characters, emoji.
  const hostileTitle = (i: number): string => `チャンネル "${'名前\\'.repeat(30)}" \u0001\u0002\u001f ${'😀'.repeat(20)} ${i}`;
  const propertyBytes = (state: SyncState): number => bytes('sync:j_0123456789abcdef') + bytes(JSON.stringify(state));

  function hostileEnv() {
    const channels: FakeChannel[] = Array.from({ length: 50 }, (_, i) => ({
      id: channelId(`ch${i}`),
      title: hostileTitle(i),
      handle: wideHandle(i),
      videos: makeVideos(`v${i}_`, 60, { title: (n) => `${hostileTitle(n)} ${'長'.repeat(60)}` }),
    }));
    return { channels, e: env(channels, { channels: channels.map((c) => c.handle!), output_mode: 'append', max_videos: 20000 }) };
  }

  test('50 channels with the widest handles and hostile titles: the state stays under its bound mid-run and after, the watermarks survive, and the next run costs 2 units, not 320', () => {
    const { e } = hostileEnv();
    e.clock.stepMs = 1000;
    const cut = execute(e, { budgetMs: 70_000, runId: 'r_first' }); // stops mid-way: a checkpoint is kept
    expect(cut.complete).toBe(false);
    expect(cut.state.cp).toBeDefined();
    expect(bytes(JSON.stringify(cut.state))).toBeLessThanOrEqual(MAX_SYNC_STATE_BYTES);
    e.clock.stepMs = 0;
    for (let i = 0; i < 50 && !execute(e, { runId: 'r_first' }).complete; i++);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(3000);
    // What the app stores: JSON, read back and normalised; under the 9 KB of a property with its key.
    const stored = normalizeSyncState(JSON.parse(JSON.stringify(e.state)));
    expect(propertyBytes(e.state)).toBeLessThanOrEqual(9 * 1024);
    expect(stored).toEqual(e.state);
    expect(Object.values(stored.ch).filter((entry) => entry[1] && entry[2])).toHaveLength(50); // every watermark kept
    e.state = stored;
    const before = e.youtube.units;
    const pagesBefore = e.youtube.calls['playlistItems.list'];
    const next = execute(e, { runId: 'r_second' });
    expect(next.status).toBe('succeeded');
    // One channels.list for 50 channels, and one page for the channel whose read the cut split over two
    // executions (its count is not kept: part of it was read after the count was seen). 51 without
    // change detection; 320 when the state overflowed and every watermark was lost.
    expect(e.youtube.units - before).toBe(2);
    expect(e.youtube.calls['playlistItems.list'] - pagesBefore).toBe(1);
    expect(next.unchangedChannels).toBe(49);
    expect(e.sheets.tab('Videos').rows()).toHaveLength(3000);
    // Titles reach the app bounded too (it keeps them with the job).
    for (const c of next.channels)
      if (c.title !== null) expect(bytes(JSON.stringify(c.title)) - 2).toBeLessThanOrEqual(CHANNEL_TITLE_BYTES);
    expect(cut.channels.filter((c) => c.title !== null).length).toBeGreaterThan(0);
    for (const c of cut.channels) if (c.title !== null) expect(bytes(JSON.stringify(c.title)) - 2).toBeLessThanOrEqual(CHANNEL_TITLE_BYTES);
  });

  test('every field at its maximum is kept by a round trip and fits MAX_SYNC_STATE_BYTES', () => {
    const t36 = Math.floor(Date.parse('2099-12-31T23:59:59Z') / 1000).toString(36);
    const ch: Record<string, ChannelEntry> = {};
    for (let i = 0; i < 50; i++) {
      const slot = slotOf(`@${'𠀀'.repeat(29)}${i}`);
      ch[slot] = [`UC${'m'.repeat(28)}${String(i).padStart(2, '0')}`, 'Abcdefghij_', t36, 1, `PL${'x'.repeat(32)}`, 9_999_999_999, t36];
    }
    const state: SyncState = {
      v: 2,
      tg: 'zzzzzzz',
      rf: t36,
      hc: 'zzzzzzz',
      ch,
      cp: {
        r: 'r'.repeat(MAX_RUN_TAG),
        k: Object.keys(ch)[7]!,
        p: 'P'.repeat(MAX_PAGE_TOKEN),
        w: 'Abcdefghij-',
        d: t36,
        n: 20000,
        o: 999_999_999,
        f: 50,
      },
    };
    expect(normalizeSyncState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    const size = bytes(JSON.stringify(state));
    expect(size).toBeLessThanOrEqual(MAX_SYNC_STATE_BYTES);
    expect(size).toBeGreaterThan(MAX_SYNC_STATE_BYTES - 600); // the bound is the real worst case, not a guess
  });

  test('fuzz: whatever a stored state holds (garbage, oversized fields, hundreds of stale channels), a run returns a state within the bound', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
    );
    const entry = fc.array(junk, { maxLength: 9 });
    const garbage = fc.record({
      v: fc.constantFrom(1, 2, 3),
      tg: junk,
      rf: junk,
      hc: junk,
      ch: fc.dictionary(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.oneof(entry, fc.constant([channelId('x'), 'Abcdefghij_', 'zzzzzzz', 1, 'UUlong'.repeat(20), 1e30, 'x'.repeat(99)])),
        { maxKeys: 200 },
      ),
      cp: fc.record({ r: junk, k: junk, p: junk, w: junk, d: junk, n: junk, o: junk, f: junk }),
    });
    const { e } = hostileEnv();
    fc.assert(
      fc.property(garbage, (raw) => {
        e.state = raw as unknown as SyncState;
        e.youtube.calls['channels.list'] = 0;
        const o = execute(e, { runId: 'r_fuzz', save: false });
        expect(bytes(JSON.stringify(o.state))).toBeLessThanOrEqual(MAX_SYNC_STATE_BYTES);
        expect(bytes(JSON.stringify(normalizeSyncState(raw)))).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 25, seed: 16 },
    );
  });

  test('titles are cut on a character boundary within the byte limit', () => {
    const cut = truncateUtf8('名前'.repeat(20), 28);
    expect(bytes(cut)).toBeLessThanOrEqual(28);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncateUtf8('MKBHD', 28)).toBe('MKBHD');
  });

  test('JSON-escaped titles are cut by the bytes JSON writes', () => {
    const title = '"\\\u0001名'.repeat(40);
    const cut = truncateJson(title, 60);
    expect(bytes(JSON.stringify(cut)) - 2).toBeLessThanOrEqual(60);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncateJson('MKBHD "x"', 60)).toBe('MKBHD "x"');
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
  const chans: FakeChannel[] = Array.from({ length: 60 }, (_, i) => ({
    id: channelId(`id${i}`),
    title: `T${i}`,
    videos: makeVideos(`q${i}`, i % 5),
  }));
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

describe('channel check reasons (codes the clients decide by, not the message)', () => {
  const chans: FakeChannel[] = [{ id: channelId('known'), title: 'Known', handle: '@known', videos: makeVideos('kk', 2) }];

  test('each outcome carries its code: null when found, not_found, invalid, quota after a budget stop', () => {
    const { youtube } = env(chans);
    let spent = 0;
    const checks = resolveChannels(['@known', '@nosuch', channelId('gone'), 'not a channel!', '@later'], youtube, (u) => (spent += u), {
      canSpend: (u) => spent + u <= 3,
    });
    expect(checks.map((c) => c.reason)).toEqual([null, 'not_found', 'not_found', 'invalid', 'quota']);
    const stopped = resolveChannels(['@known'], youtube, undefined, { canSpend: () => false });
    expect(stopped[0]).toMatchObject({ ok: false, reason: 'quota' });
  });

  test('a quotaExceeded answer is quota, an outage is unavailable, a refused lookup is lookup_refused, a 404 is not_found', () => {
    const answer = (err: Error) => {
      const { youtube } = env(chans);
      youtube.beforeCall = () => {
        throw err;
      };
      return resolveChannels(['@known'], youtube)[0]!;
    };
    expect(answer(new YouTubeApiError('q', 'channels.list', 403, 'quotaExceeded', 'quota')).reason).toBe('quota');
    expect(answer(new YouTubeApiError('down', 'channels.list', 503, 'backendError', 'transient')).reason).toBe('unavailable');
    expect(answer(new Error('Connection reset')).reason).toBe('unavailable');
    const refused = answer(new YouTubeApiError('no', 'channels.list', 403, 'forbidden', 'permanent'));
    expect(refused).toMatchObject({ reason: 'lookup_refused', error: '@known: YouTube refused the lookup (forbidden)' });
    expect(answer(new YouTubeApiError('gone', 'channels.list', 404, 'channelNotFound', 'permanent'))).toMatchObject({
      reason: 'not_found',
      error: '@known: no such channel',
    });
  });

  test('isMissingChannel reads the code: a reworded message does not change the verdict', () => {
    const base = { input: '@x', ok: false, channel_id: null, title: null, video_count: null, thumbnail_url: null };
    expect(isMissingChannel({ ...base, error: 'gone for good', reason: 'not_found' })).toBe(true);
    expect(isMissingChannel({ ...base, error: '@x: no such channel', reason: 'unavailable' })).toBe(false);
    expect(isMissingChannel({ ...base, error: '@x: not a channel', reason: 'invalid' })).toBe(false);
  });
});
