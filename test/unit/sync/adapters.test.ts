/** The gas adapters, against hand-made stand-ins of the advanced service (the emulator covers the rest). */
import { classifyYouTubeError, createYouTubeApi, toYouTubeApiError, type YouTubeListService } from '../../../src-server/gas/youtube';
import { literalCell } from '../../../src-server/gas/sheets';
import { YouTubeApiError } from '../../../src-server/ports';

function serviceError(code: number, reason: string): Error {
  const err = new Error('API call to youtube.videos.list failed with error: localized text that must not matter');
  (err as Error & { details: unknown }).details = { code, message: 'x', errors: [{ reason, domain: 'd', message: 'x' }] };
  return err;
}

describe('YouTube error classification (by code and reason only)', () => {
  test.each([
    [403, 'quotaExceeded', 'quota'],
    [403, 'dailyLimitExceeded', 'quota'],
    [403, 'rateLimitExceeded', 'transient'],
    [403, 'userRateLimitExceeded', 'transient'],
    [429, 'whatever', 'transient'],
    [500, 'backendError', 'transient'],
    [503, '', 'transient'],
    [404, 'playlistNotFound', 'permanent'],
    [400, 'invalidPageToken', 'permanent'],
    [403, 'forbidden', 'permanent'],
  ] as const)('%i %s -> %s', (code, reason, kind) => {
    expect(classifyYouTubeError(code, reason)).toBe(kind);
    const e = toYouTubeApiError(serviceError(code, reason), 'videos.list');
    expect(e).toBeInstanceOf(YouTubeApiError);
    expect(e.kind).toBe(kind);
    expect(e.reason).toBe(reason);
    expect(e.code).toBe(code);
  });

  test('an error without details (network) is transient', () => {
    expect(toYouTubeApiError(new Error('Address unavailable'), 'channels.list').kind).toBe('transient');
  });
});

describe('YouTube adapter mapping', () => {
  const seen: { method: string; part: string; args: Record<string, unknown> }[] = [];
  const service: YouTubeListService = {
    Channels: {
      list: (part, args) => {
        seen.push({ method: 'channels', part, args: args as Record<string, unknown> });
        return { items: [{ id: 'UCabc', snippet: { title: 'Abc', customUrl: '@abc', thumbnails: { high: { url: 'h.jpg' } } }, contentDetails: { relatedPlaylists: { uploads: 'UUabc' } }, statistics: { videoCount: '12' } }] };
      },
    },
    PlaylistItems: {
      list: (part, args) => {
        seen.push({ method: 'playlistItems', part, args: args as Record<string, unknown> });
        return {
          nextPageToken: 'T2',
          pageInfo: { totalResults: 7 },
          items: [{ snippet: { title: '=1+1', publishedAt: '2026-01-01T00:00:00Z', description: 'd', channelTitle: 'C', thumbnails: {} }, contentDetails: { videoId: 'vid00000001', videoPublishedAt: '2025-12-31T00:00:00Z' }, status: { privacyStatus: 'public' } }],
        };
      },
    },
    Videos: {
      list: (part, args) => {
        seen.push({ method: 'videos', part, args: args as Record<string, unknown> });
        if (String((args as { id: string }).id).includes('boom')) throw serviceError(403, 'quotaExceeded');
        return { items: [{ id: 'vid00000001', contentDetails: { duration: 'PT1M' }, statistics: { viewCount: '10', likeCount: '2' } }] };
      },
    },
  };
  const api = createYouTubeApi(service);

  test('channels, playlist pages and videos map to the port DTOs', () => {
    expect(api.listChannels({ id: ['UCabc', 'UCdef'] })).toEqual([{ id: 'UCabc', title: 'Abc', handle: '@abc', uploadsPlaylistId: 'UUabc', videoCount: 12, thumbnailUrl: 'h.jpg' }]);
    expect(seen.at(-1)!.args.id).toBe('UCabc,UCdef');
    const page = api.listPlaylistItems('UUabc', 'T1', 50);
    expect(seen.at(-1)!.args).toMatchObject({ playlistId: 'UUabc', pageToken: 'T1', maxResults: 50 });
    expect(page).toMatchObject({ nextPageToken: 'T2', totalResults: 7, items: [{ videoId: 'vid00000001', title: '=1+1', publishedAt: '2025-12-31T00:00:00Z', privacyStatus: 'public' }] });
    const videos = api.listVideos(['vid00000001'], ['contentDetails', 'statistics']);
    expect(seen.at(-1)!.part).toBe('contentDetails,statistics');
    expect(videos[0]).toMatchObject({ id: 'vid00000001', durationIso: 'PT1M', views: 10, likes: 2, comments: null });
  });

  test('service errors come out as classified YouTubeApiError', () => {
    expect(() => api.listVideos(['boom'], ['statistics'])).toThrow(expect.objectContaining({ name: 'YouTubeApiError', kind: 'quota', method: 'videos.list' }));
  });
});

describe('Sheets literal text', () => {
  test('text-formatted cells get the string as is; other cells get an apostrophe before formula-looking text', () => {
    expect(literalCell('=IMPORTXML("http://x","//a")', '@')).toBe('=IMPORTXML("http://x","//a")');
    for (const s of ['=1', '+1 (555)', '-5', '@me', "'q"]) expect(literalCell(s, 'General')).toBe(`'${s}`);
    expect(literalCell('plain', undefined)).toBe('plain');
    const d = new Date(0);
    expect(literalCell(d, 'yyyy-mm-dd')).toBe(d);
    expect(literalCell(5, undefined)).toBe(5);
  });
});
