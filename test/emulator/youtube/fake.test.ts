import { YouTubeFake, type YouTubeService } from '../../../emulator/youtube/fake';
import { DEMO_CHANNELS, makeDataset, makeVideos, MKBHD_SCHEDULED } from '../../../emulator/youtube/demo-dataset';
import { uploadsPlaylistId } from '../../../emulator/youtube/dataset';

const START = new Date('2026-01-05T12:00:00Z');

function setup(fake = new YouTubeFake()) {
  let now = START;
  const delays: number[] = [];
  const yt: YouTubeService = fake.service({
    now: () => now,
    delay: (ms) => {
      delays.push(ms);
      now = new Date(now.getTime() + ms);
    },
  });
  return { fake, yt, delays, setNow: (d: Date) => (now = d), now: () => now };
}

/** Runs fn and returns the thrown error's message and details. */
function failure(fn: () => unknown): {
  name: string;
  message: string;
  details: { code: number; errors: { reason: string; domain: string }[] };
} {
  try {
    fn();
  } catch (err) {
    return err as never;
  }
  throw new Error('expected a failure');
}

function readAll(yt: YouTubeService, playlistId: string, part = 'contentDetails') {
  const ids: string[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = yt.PlaylistItems.list(part, { playlistId, maxResults: 50, pageToken });
    ids.push(...page.items!.map((i) => i.contentDetails?.videoId ?? i.snippet!.resourceId!.videoId!));
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken);
  return { ids, pages };
}

describe('channels.list', () => {
  it('finds a handle with or without @, in any case', () => {
    const { yt } = setup();
    for (const forHandle of ['@mkbhd', 'mkbhd', 'MKBHD', '@MkBhD']) {
      const res = yt.Channels.list('id', { forHandle });
      expect(res.items?.map((c) => c.id)).toEqual([DEMO_CHANNELS.mkbhd.id]);
    }
  });

  it('answers an unknown handle, username or id with no items (not an error), as the API does', () => {
    const { yt, fake } = setup();
    expect(yt.Channels.list('snippet', { forHandle: '@nosuchchannel' }).items).toBeUndefined();
    expect(yt.Channels.list('snippet', { forUsername: 'nosuchuser' }).items).toBeUndefined();
    expect(yt.Channels.list('snippet', { id: 'UCxxxxxxxxxxxxxxxxxxxxxx' }).items).toBeUndefined();
    expect(yt.Channels.list('snippet', { forHandle: '@nosuchchannel' }).pageInfo?.totalResults).toBe(0);
    expect(fake.quota.usedToday(START)).toBe(4);
  });

  it('resolves a legacy username and batches ids', () => {
    const { yt } = setup();
    expect(yt.Channels.list('id', { forUsername: 'retrotechlegacy' }).items?.[0]?.id).toBe(DEMO_CHANNELS.legacy.id);
    const res = yt.Channels.list('id', { id: `${DEMO_CHANNELS.mid.id},${DEMO_CHANNELS.big.id},UCxxxxxxxxxxxxxxxxxxxxxx` });
    expect(res.items?.map((c) => c.id)).toEqual([DEMO_CHANNELS.mid.id, DEMO_CHANNELS.big.id]);
    const asArray = yt.Channels.list('id', { id: [DEMO_CHANNELS.tiny.id] });
    expect(asArray.items?.[0]?.id).toBe(DEMO_CHANNELS.tiny.id);
  });

  it('returns only the requested parts; statistics are strings', () => {
    const { yt } = setup();
    const idOnly = yt.Channels.list('id', { forHandle: '@midchannel' }).items![0]!;
    expect(idOnly.snippet).toBeUndefined();
    expect(idOnly.contentDetails).toBeUndefined();
    const full = yt.Channels.list('snippet,contentDetails,statistics', { forHandle: '@midchannel' }).items![0]!;
    expect(full.snippet?.title).toBe('Mid Channel (1,200 uploads)');
    expect(full.snippet?.customUrl).toBe('@midchannel');
    expect(full.contentDetails?.relatedPlaylists?.uploads).toBe(uploadsPlaylistId(DEMO_CHANNELS.mid.id));
    expect(full.statistics?.videoCount).toBe('1200');
    expect(typeof full.statistics?.viewCount).toBe('string');
    expect(full.status).toBeUndefined();
  });

  it('refuses more than 50 ids, a missing filter, two filters, and unknown parts with 400', () => {
    const { yt } = setup();
    const ids = Array.from({ length: 51 }, (_, i) => `UC${String(i).padStart(22, '0')}`).join(',');
    const tooMany = failure(() => yt.Channels.list('id', { id: ids }));
    expect(tooMany.details.code).toBe(400);
    expect(tooMany.message).toMatch(/^API call to youtube\.channels\.list failed with error: /);
    expect(failure(() => yt.Channels.list('id', {})).details.errors[0]!.reason).toBe('missingRequiredParameter');
    expect(failure(() => yt.Channels.list('id', { forHandle: 'a', forUsername: 'b' })).details.errors[0]!.reason).toBe(
      'incompatibleParameters',
    );
    expect(failure(() => yt.Channels.list('snipet', { forHandle: 'a' })).details.code).toBe(400);
    expect(() => yt.Channels.list('id', { id: ids.split(',').slice(0, 50).join(',') })).not.toThrow();
  });
});

describe('playlistItems.list', () => {
  it('pages a 1,200-video uploads playlist in 24 pages of 50, newest first, with no duplicate', () => {
    const { yt, fake } = setup();
    const { ids, pages } = readAll(yt, uploadsPlaylistId(DEMO_CHANNELS.mid.id));
    expect(pages).toBe(24);
    expect(ids).toHaveLength(1200);
    expect(new Set(ids).size).toBe(1200);
    expect(ids[0]).toBe(fake.getDataset().channels.find((c) => c.id === DEMO_CHANNELS.mid.id)!.videos[0]!.id);
    expect(fake.quota.usedToday(START)).toBe(24);
  });

  it('costs exactly 1 + 24 + 24 units for resolve, pages and details of 1,200 videos', () => {
    const { yt, fake } = setup();
    const channel = yt.Channels.list('contentDetails', { forHandle: '@midchannel' }).items![0]!;
    const { ids } = readAll(yt, channel.contentDetails!.relatedPlaylists!.uploads!);
    let details = 0;
    for (let i = 0; i < ids.length; i += 50) details += yt.Videos.list('statistics', { id: ids.slice(i, i + 50).join(',') }).items!.length;
    expect(details).toBe(1200);
    expect(fake.quota.usedToday(START)).toBe(1 + 24 + 24);
    expect(fake.quota.byMethod(START)).toEqual({
      'channels.list': { calls: 1, units: 1 },
      'playlistItems.list': { calls: 24, units: 24 },
      'videos.list': { calls: 24, units: 24 },
    });
  });

  it('defaults to 5 results, allows 0..50 and refuses 51', () => {
    const { yt } = setup();
    const playlistId = uploadsPlaylistId(DEMO_CHANNELS.mid.id);
    const first = yt.PlaylistItems.list('snippet', { playlistId });
    expect(first.items).toHaveLength(5);
    expect(first.pageInfo).toEqual({ totalResults: 1200, resultsPerPage: 5 });
    expect(first.prevPageToken).toBeUndefined();
    const second = yt.PlaylistItems.list('snippet', { playlistId, pageToken: first.nextPageToken });
    expect(second.items![0]!.snippet!.position).toBe(5);
    expect(second.prevPageToken).toBeDefined();
    expect(yt.PlaylistItems.list('snippet', { playlistId, maxResults: 0 }).items).toEqual([]);
    const err = failure(() => yt.PlaylistItems.list('snippet', { playlistId, maxResults: 51 }));
    expect(err.details.code).toBe(400);
  });

  it('refuses a bad page token with 400 invalidPageToken', () => {
    const { yt } = setup();
    const err = failure(() =>
      yt.PlaylistItems.list('snippet', { playlistId: uploadsPlaylistId(DEMO_CHANNELS.mid.id), pageToken: 'garbage' }),
    );
    expect(err.details).toMatchObject({ code: 400, errors: [{ reason: 'invalidPageToken' }] });
  });

  it('shows private and deleted uploads as placeholders', () => {
    const { yt } = setup();
    const items = yt.PlaylistItems.list('snippet,contentDetails,status', {
      playlistId: uploadsPlaylistId(DEMO_CHANNELS.privateMix.id),
      maxResults: 50,
    }).items!;
    const priv = items.find((i) => i.status?.privacyStatus === 'private')!;
    expect(priv.snippet?.title).toBe('Private video');
    expect(priv.contentDetails?.videoPublishedAt).toBeUndefined();
    expect(priv.contentDetails?.videoId).toMatch(/^[\w-]{11}$/);
    const deleted = items.find((i) => i.snippet?.title === 'Deleted video')!;
    expect(deleted.status?.privacyStatus).toBe('privacyStatusUnspecified');
    const pub = items.find((i) => i.status?.privacyStatus === 'public')!;
    expect(pub.contentDetails?.videoPublishedAt).toBe(pub.snippet?.publishedAt);
    expect(pub.snippet?.resourceId?.videoId).toBe(pub.contentDetails?.videoId);
  });

  it('models UULF / UUSH: present when the channel has such videos, 404 playlistNotFound otherwise', () => {
    const { yt } = setup();
    const suffix = (id: string) => id.slice(2);
    const shorts = yt.PlaylistItems.list('snippet', { playlistId: `UUSH${suffix(DEMO_CHANNELS.mkbhd.id)}`, maxResults: 50 });
    expect(shorts.items!.length).toBeGreaterThan(0);
    expect(
      shorts.items!.every(
        (i) => i.snippet!.title!.includes('#shorts') || i.snippet!.title === 'Private video' || i.snippet!.title === 'Deleted video',
      ),
    ).toBe(true);
    const longs = yt.PlaylistItems.list('snippet', { playlistId: `UULF${suffix(DEMO_CHANNELS.mkbhd.id)}`, maxResults: 50 });
    expect(longs.pageInfo!.totalResults! + shorts.pageInfo!.totalResults!).toBe(
      yt.PlaylistItems.list('id', { playlistId: `UU${suffix(DEMO_CHANNELS.mkbhd.id)}` }).pageInfo!.totalResults,
    );
    const noShorts = failure(() => yt.PlaylistItems.list('snippet', { playlistId: `UUSH${suffix(DEMO_CHANNELS.tiny.id)}` }));
    expect(noShorts.details).toMatchObject({ code: 404, errors: [{ reason: 'playlistNotFound', domain: 'youtube.playlistItem' }] });
    expect(noShorts.name).toBe('GoogleJsonResponseException');
    expect(failure(() => yt.PlaylistItems.list('snippet', { playlistId: `UULF${suffix(DEMO_CHANNELS.shortsOnly.id)}` })).details.code).toBe(
      404,
    );
    expect(failure(() => yt.PlaylistItems.list('snippet', { playlistId: 'PLnotthere' })).details.code).toBe(404);
    // An empty channel still has its (empty) uploads playlist.
    expect(yt.PlaylistItems.list('snippet', { playlistId: `UU${suffix(DEMO_CHANNELS.empty.id)}` }).items).toEqual([]);
  });

  it('hides uploads scheduled after "now" until the clock passes them', () => {
    const { yt, setNow } = setup();
    const playlistId = uploadsPlaylistId(DEMO_CHANNELS.mkbhd.id);
    const before = yt.PlaylistItems.list('id', { playlistId }).pageInfo!.totalResults!;
    setNow(new Date(Date.parse(MKBHD_SCHEDULED.firstAt) + 1000));
    expect(yt.PlaylistItems.list('id', { playlistId }).pageInfo!.totalResults).toBe(before + 1);
  });

  it('puts added uploads at the top', () => {
    const { yt, fake } = setup(new YouTubeFake({ dataset: makeDataset({ handle: '@small', videos: 4 }) }));
    const channelId = fake.getDataset().channels[0]!.id;
    const fresh = makeVideos({ seed: 'fresh', count: 3, newestAt: '2026-01-05T11:00:00Z', spacingHours: 1 });
    fake.addVideos(channelId, fresh);
    const { ids } = readAll(yt, uploadsPlaylistId(channelId));
    expect(ids).toHaveLength(7);
    expect(ids.slice(0, 3)).toEqual(fresh.map((v) => v.id));
  });
});

describe('videos.list', () => {
  it('returns requested parts with string statistics and ISO durations, omitting private and deleted ids', () => {
    const { yt, fake } = setup();
    const mix = fake.getDataset().channels.find((c) => c.id === DEMO_CHANNELS.privateMix.id)!.videos;
    const res = yt.Videos.list('snippet,contentDetails,statistics', { id: mix.map((v) => v.id).join(',') });
    const hidden = mix.filter((v) => v.deleted || v.privacy === 'private').map((v) => v.id);
    expect(hidden.length).toBeGreaterThan(0);
    expect(res.items!.map((v) => v.id)).toEqual(mix.map((v) => v.id).filter((id) => !hidden.includes(id)));
    const first = res.items![0]!;
    expect(first.statistics?.viewCount).toMatch(/^\d+$/);
    expect(first.statistics?.likeCount).toMatch(/^\d+$/);
    expect(first.contentDetails?.duration).toMatch(/^PT(\d+H)?(\d+M)?(\d+S)?$/);
    expect(first.status).toBeUndefined();
    const statsOnly = yt.Videos.list('statistics', { id: first.id }).items![0]!;
    expect(Object.keys(statsOnly).sort()).toEqual(['etag', 'id', 'kind', 'statistics']);
  });

  it('refuses more than 50 ids with 400 and accepts exactly 50', () => {
    const { yt, fake } = setup();
    const ids = fake
      .getDataset()
      .channels.find((c) => c.id === DEMO_CHANNELS.mid.id)!
      .videos.slice(0, 51)
      .map((v) => v.id);
    expect(failure(() => yt.Videos.list('id', { id: ids.join(',') })).details.code).toBe(400);
    expect(yt.Videos.list('id', { id: ids.slice(0, 50).join(',') }).items).toHaveLength(50);
  });

  it('applies `fields` as a partial response', () => {
    const { yt, fake } = setup();
    const id = fake.getDataset().channels.find((c) => c.id === DEMO_CHANNELS.mid.id)!.videos[0]!.id;
    const res = yt.Videos.list('snippet,statistics', { id, fields: 'items(id,snippet/title,statistics(viewCount))' });
    expect(res).toEqual({ items: [{ id, snippet: { title: expect.any(String) }, statistics: { viewCount: expect.any(String) } }] });
  });
});

describe('search.list', () => {
  it('costs 100 units', () => {
    const { yt, fake } = setup();
    const res = yt.Search.list('snippet', { channelId: DEMO_CHANNELS.formulas.id, type: 'video', order: 'date', maxResults: 50 });
    expect(res.items!.length).toBe(8);
    expect(res.items![0]!.id?.kind).toBe('youtube#video');
    expect(fake.quota.usedToday(START)).toBe(100);
  });
});

describe('quota', () => {
  it('throws 403 quotaExceeded once the daily limit is reached, and resets at Pacific midnight', () => {
    const { yt, fake, setNow } = setup(new YouTubeFake({ quotaLimit: 3 }));
    for (let i = 0; i < 3; i++) yt.Channels.list('id', { forHandle: '@mkbhd' });
    const err = failure(() => yt.Channels.list('id', { forHandle: '@mkbhd' }));
    expect(err.message).toBe(
      'API call to youtube.channels.list failed with error: The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
    );
    expect(err.details).toMatchObject({ code: 403, errors: [{ reason: 'quotaExceeded', domain: 'youtube.quota' }] });
    expect(fake.quota.usedToday(START)).toBe(3); // refused calls cost nothing
    expect(fake.quota.resetAt(START).toISOString()).toBe('2026-01-06T08:00:00.000Z');
    setNow(new Date('2026-01-06T07:59:59Z'));
    expect(() => yt.Channels.list('id', { forHandle: '@mkbhd' })).toThrow(/quota/);
    setNow(new Date('2026-01-06T08:00:00Z'));
    expect(() => yt.Channels.list('id', { forHandle: '@mkbhd' })).not.toThrow();
  });

  it('refuses a search.list that does not fit in what is left', () => {
    const { yt, fake } = setup();
    fake.quota.setUsedToday(9_950, START);
    expect(failure(() => yt.Search.list('snippet', { q: 'x' })).details.code).toBe(403);
    yt.Videos.list('id', { id: 'nope' });
    expect(fake.quota.usedToday(START)).toBe(9_951);
  });
});

describe('faults', () => {
  it('injects backendError for a number of calls of one method, then recovers', () => {
    const { yt, fake } = setup();
    fake.injectFault({ method: 'playlistItems.list', kind: 'backendError', times: 2 });
    const playlistId = uploadsPlaylistId(DEMO_CHANNELS.tiny.id);
    expect(yt.Channels.list('id', { forHandle: '@tinycooking' }).items).toHaveLength(1);
    const err = failure(() => yt.PlaylistItems.list('id', { playlistId }));
    expect(err.details).toMatchObject({ code: 500, errors: [{ reason: 'backendError' }] });
    expect(() => yt.PlaylistItems.list('id', { playlistId })).toThrow(/Backend Error/);
    expect(yt.PlaylistItems.list('id', { playlistId }).items).toHaveLength(5);
    expect(fake.listFaults()).toEqual([]);
  });

  it('injects quotaExceeded until cleared', () => {
    const { yt, fake } = setup();
    fake.injectFault({ kind: 'quotaExceeded' });
    for (let i = 0; i < 3; i++) expect(failure(() => yt.Videos.list('id', { id: 'x' })).details.code).toBe(403);
    fake.clearFaults();
    expect(yt.Videos.list('id', { id: 'x' }).items).toEqual([]);
  });

  it('injects notFound: empty channels, 404 playlists', () => {
    const { yt, fake } = setup();
    fake.injectFault({ kind: 'notFound', times: 2 });
    expect(yt.Channels.list('id', { forHandle: '@mkbhd' }).items).toBeUndefined();
    expect(failure(() => yt.PlaylistItems.list('id', { playlistId: uploadsPlaylistId(DEMO_CHANNELS.mkbhd.id) })).details.code).toBe(404);
    expect(yt.Channels.list('id', { forHandle: '@mkbhd' }).items).toHaveLength(1);
  });

  it('injects slow responses through the context clock, and reports the pending latency', () => {
    const { yt, fake, delays, now } = setup();
    fake.injectFault({ method: 'videos.list', kind: 'slow', latencyMs: 45_000, times: 1 });
    expect(fake.latencyMs('videos.list')).toBe(45_000);
    expect(fake.latencyMs('channels.list')).toBe(0);
    yt.Videos.list('id', { id: 'x' });
    expect(delays).toEqual([45_000]);
    expect(now().getTime() - START.getTime()).toBe(45_000);
    expect(fake.latencyMs('videos.list')).toBe(0);
  });

  it('injects 403 forbidden and rate-limit refusals, not charged', () => {
    const { yt, fake, now } = setup();
    fake.injectFault({ method: 'playlistItems.list', kind: 'forbidden', times: 1 });
    fake.injectFault({ method: 'channels.list', kind: 'rateLimit', times: 1 });
    const forbidden = failure(() => yt.PlaylistItems.list('id', { playlistId: uploadsPlaylistId(DEMO_CHANNELS.tiny.id) }));
    expect(forbidden.details).toMatchObject({ code: 403, errors: [{ reason: 'forbidden' }] });
    const limited = failure(() => yt.Channels.list('id', { forHandle: '@mkbhd' }));
    expect(limited.details).toMatchObject({ code: 403, errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] });
    expect(fake.quota.usedToday(now())).toBe(0);
  });

  it('throws errors without `details` on request: per fault, or for every error of the fake', () => {
    const { yt, fake } = setup();
    fake.injectFault({ method: 'videos.list', kind: 'quotaExceeded', times: 1, details: false });
    const bare = failure(() => yt.Videos.list('id', { id: 'x' }));
    expect(bare.name).toBe('GoogleJsonResponseException');
    expect(bare.message).toMatch(
      /^API call to youtube\.videos\.list failed with error: The request cannot be completed because you have exceeded your/,
    );
    expect('details' in bare).toBe(false);
    // The fake-wide switch covers the dataset's own errors too (a missing UUSH playlist: 404).
    fake.errorDetails = false;
    const missing = failure(() => yt.PlaylistItems.list('id', { playlistId: `UUSH${DEMO_CHANNELS.tiny.id.slice(2)}` }));
    expect(missing.message).toMatch(/playlist identified with the request's <code>playlistId<\/code> parameter cannot be found/);
    expect('details' in missing).toBe(false);
    expect(YouTubeFake.fromJSON(JSON.parse(JSON.stringify(fake.toJSON()))).errorDetails).toBe(false);
    fake.errorDetails = true;
    expect(failure(() => yt.PlaylistItems.list('id', { playlistId: `UUSH${DEMO_CHANNELS.tiny.id.slice(2)}` })).details.code).toBe(404);
  });

  it('validates fault specs', () => {
    const fake = new YouTubeFake({ dataset: makeDataset() });
    expect(() => fake.injectFault({ kind: 'explode' as never })).toThrow(/kind/);
    expect(() => fake.injectFault({ kind: 'slow', method: 'x.list' as never })).toThrow(/method/);
  });
});

describe('persistence', () => {
  it('round-trips quota, calls, faults and a custom dataset through JSON', () => {
    const { yt, fake } = setup(new YouTubeFake({ dataset: makeDataset({ handle: '@one', videos: 2 }) }));
    yt.Channels.list('id', { forHandle: '@one' });
    fake.injectFault({ kind: 'backendError', times: 1 });
    const copy = YouTubeFake.fromJSON(JSON.parse(JSON.stringify(fake.toJSON())));
    expect(copy.quota.usedToday(START)).toBe(1);
    expect(copy.calls['channels.list']).toBe(1);
    expect(copy.listFaults()).toEqual([{ kind: 'backendError', times: 1 }]);
    expect(copy.getDataset()).toEqual(fake.getDataset());
  });

  it('stores the unchanged demo dataset as a reference', () => {
    const fake = new YouTubeFake();
    expect(fake.toJSON().dataset).toBe('demo');
    expect(YouTubeFake.fromJSON(fake.toJSON()).getDataset().channels).toHaveLength(fake.getDataset().channels.length);
  });
});
