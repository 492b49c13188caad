/** The gas adapters, against hand-made stand-ins of the advanced service (the emulator covers the rest). */
import { classifyYouTubeError, createYouTubeApi, toYouTubeApiError, type YouTubeListService } from '../../../src-server/gas/youtube';
import { literalCell } from '../../../src-server/gas/sheets';
import { YouTubeApiError } from '../../../src-server/ports';
import { youtubeErrors } from '../../../emulator/youtube/errors';

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

describe('YouTube error classification without details (message text only)', () => {
  // The errors exactly as the emulator's fake throws them, with and without the undocumented `details`.
  const cases = [
    ['quotaExceeded', youtubeErrors.quotaExceeded('videos.list'), 403, 'quotaExceeded', 'quota'],
    ['playlistNotFound (UULF/UUSH fallback)', youtubeErrors.playlistNotFound('playlistItems.list'), 404, 'playlistNotFound', 'permanent'],
    ['forbidden', youtubeErrors.forbidden('playlistItems.list'), 403, 'forbidden', 'permanent'],
    ['backendError (5xx)', youtubeErrors.backendError('videos.list'), 500, 'backendError', 'transient'],
    ['rate limit', youtubeErrors.rateLimitExceeded('channels.list'), 403, 'rateLimitExceeded', 'transient'],
  ] as const;

  test.each(cases)('%s: same kind and reason with details and without', (_label, withDetails, code, reason, kind) => {
    const full = toYouTubeApiError(withDetails, 'videos.list');
    expect(full).toMatchObject({ code, reason, kind });
    const bare = withDetails.withoutDetails();
    expect('details' in bare).toBe(false);
    expect(bare.message).toBe(withDetails.message);
    const read = toYouTubeApiError(bare, 'videos.list');
    expect(read.kind).toBe(kind);
    expect(read.reason).toBe(reason);
    expect(read.code).toBeGreaterThanOrEqual(400);
  });

  test.each([
    ['API call to youtube.videos.list failed with error: Daily Limit Exceeded', 'quota', 'quotaExceeded'],
    ['API call to youtube.channels.list failed with error: User Rate Limit Exceeded', 'transient', 'rateLimitExceeded'],
    ['API call to youtube.channels.list failed with error: Too Many Requests', 'transient', 'rateLimitExceeded'],
    ['API call to youtube.playlistItems.list failed with error: playlistNotFound', 'permanent', 'playlistNotFound'],
    [
      'API call to youtube.playlistItems.list failed with error: The request is not properly authorized to retrieve the specified playlist.',
      'permanent',
      'forbidden',
    ],
    ['API call to youtube.videos.list failed with error: Service Unavailable', 'transient', 'backendError'],
    ['API call to youtube.videos.list failed with error: Internal error encountered.', 'transient', 'backendError'],
    ['API call to youtube.videos.list failed with error: Empty response', 'transient', 'backendError'],
    ['API call to youtube.channels.list failed with error: The channel cannot be found.', 'permanent', 'notFound'],
    ['API call to youtube.videos.list failed with error: something new (code 503)', 'transient', ''],
    ['API call to youtube.videos.list failed with error: something new (400)', 'permanent', ''],
    ['API call to youtube.videos.list failed with error: Adresse nicht verfügbar', 'transient', ''],
  ] as const)('%s -> %s (%s)', (message, kind, reason) => {
    const e = toYouTubeApiError(Object.assign(new Error(message), { name: 'GoogleJsonResponseException' }), 'videos.list');
    expect(e.kind).toBe(kind);
    expect(e.reason).toBe(reason);
  });

  test('partial details: a code without reasons takes the reason from the text', () => {
    const err = Object.assign(new Error('API call to youtube.playlistItems.list failed with error: x'), {
      details: { code: 404, message: "The playlist identified with the request's <code>playlistId</code> parameter cannot be found." },
    });
    expect(toYouTubeApiError(err, 'playlistItems.list')).toMatchObject({ code: 404, reason: 'playlistNotFound', kind: 'permanent' });
  });
});

describe('YouTube adapter mapping', () => {
  const seen: { method: string; part: string; args: Record<string, unknown> }[] = [];
  const service: YouTubeListService = {
    Channels: {
      list: (part, args) => {
        seen.push({ method: 'channels', part, args: args as Record<string, unknown> });
        return {
          items: [
            {
              id: 'UCabc',
              snippet: { title: 'Abc', customUrl: '@abc', thumbnails: { high: { url: 'h.jpg' } } },
              contentDetails: { relatedPlaylists: { uploads: 'UUabc' } },
              statistics: { videoCount: '12' },
            },
          ],
        };
      },
    },
    PlaylistItems: {
      list: (part, args) => {
        seen.push({ method: 'playlistItems', part, args: args as Record<string, unknown> });
        return {
          nextPageToken: 'T2',
          pageInfo: { totalResults: 7 },
          items: [
            {
              snippet: { title: '=1+1', publishedAt: '2026-01-01T00:00:00Z', description: 'd', channelTitle: 'C', thumbnails: {} },
              contentDetails: { videoId: 'vid00000001', videoPublishedAt: '2025-12-31T00:00:00Z' },
              status: { privacyStatus: 'public' },
            },
          ],
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
    expect(api.listChannels({ id: ['UCabc', 'UCdef'] })).toEqual([
      { id: 'UCabc', title: 'Abc', handle: '@abc', uploadsPlaylistId: 'UUabc', videoCount: 12, thumbnailUrl: 'h.jpg' },
    ]);
    expect(seen.at(-1)!.args.id).toBe('UCabc,UCdef');
    const page = api.listPlaylistItems('UUabc', 'T1', 50);
    expect(seen.at(-1)!.args).toMatchObject({ playlistId: 'UUabc', pageToken: 'T1', maxResults: 50 });
    expect(page).toMatchObject({
      nextPageToken: 'T2',
      totalResults: 7,
      items: [{ videoId: 'vid00000001', title: '=1+1', publishedAt: '2025-12-31T00:00:00Z', privacyStatus: 'public' }],
    });
    const videos = api.listVideos(['vid00000001'], ['contentDetails', 'statistics']);
    expect(seen.at(-1)!.part).toBe('contentDetails,statistics');
    expect(videos[0]).toMatchObject({ id: 'vid00000001', durationIso: 'PT1M', views: 10, likes: 2, comments: null });
  });

  test('service errors come out as classified YouTubeApiError', () => {
    expect(() => api.listVideos(['boom'], ['statistics'])).toThrow(
      expect.objectContaining({ name: 'YouTubeApiError', kind: 'quota', method: 'videos.list' }),
    );
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
