/**
 * YouTubeApi over the YouTube Data API v3 advanced service (`YouTube` global). One service call per
 * port method. Responses are trimmed with `fields` and mapped to the port's DTOs; failures are
 * classified by `details.code` and `details.errors[0].reason` when the exception carries them, and
 * from its message text when it does not (`details` is undocumented; see `readMessage`).
 */
import type { YouTubeMethod } from '../domain/catalogue';
import {
  YouTubeApiError,
  type ChannelLookup,
  type YouTubeApi,
  type YouTubeChannel,
  type YouTubeErrorKind,
  type YouTubePlaylistPage,
  type YouTubeVideo,
} from '../ports';

type Channel = GoogleAppsScript.YouTube.Schema.Channel;
type Video = GoogleAppsScript.YouTube.Schema.Video;
type ThumbnailDetails = GoogleAppsScript.YouTube.Schema.ThumbnailDetails;
type ChannelListResponse = GoogleAppsScript.YouTube.Schema.ChannelListResponse;
type PlaylistItemListResponse = GoogleAppsScript.YouTube.Schema.PlaylistItemListResponse;
type VideoListResponse = GoogleAppsScript.YouTube.Schema.VideoListResponse;
type ListFn<R> = (part: string, optionalArgs: object) => R;

/** The slice of the advanced service this adapter uses (the real `YouTube` global satisfies it). */
export interface YouTubeListService {
  Channels: { list: ListFn<ChannelListResponse> };
  PlaylistItems: { list: ListFn<PlaylistItemListResponse> };
  Videos: { list: ListFn<VideoListResponse> };
}

const QUOTA_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded', 'dailyLimitExceededUnreg']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError', 'internalError']);

/** The kind of a failure: quota (wait for the reset), transient (retry later) or permanent. */
export function classifyYouTubeError(code: number, reason: string): YouTubeErrorKind {
  if (QUOTA_REASONS.has(reason)) return 'quota';
  if (RATE_REASONS.has(reason) || code === 429 || code >= 500 || code === 0) return 'transient';
  return 'permanent';
}

interface ErrorDetails {
  code?: unknown;
  message?: unknown;
  errors?: { reason?: unknown; message?: unknown }[];
}

/**
 * What the message text of a service exception tells when `details` is missing: the reason tokens and
 * the English messages the API documents (https://developers.google.com/youtube/v3/docs/errors and
 * the global errors of Google APIs), and an HTTP status printed as "code 404", "(404)", "HTTP 404" or
 * "status 404". The quota and rate-limit patterns come first: those messages also say "exceeded".
 * Unknown text gives code 0, reason '': transient, the safe default for a network-level failure.
 */
const MESSAGE_RULES: readonly { pattern: RegExp; code: number; reason: string }[] = [
  {
    pattern: /\b(?:quotaExceeded|dailyLimitExceeded(?:Unreg)?)\b|exceeded your\b[^]*\bquota\b|daily limit exceeded/i,
    code: 403,
    reason: 'quotaExceeded',
  },
  {
    pattern: /\b(?:userRateLimitExceeded|rateLimitExceeded)\b|rate limit exceeded|too many requests/i,
    code: 429,
    reason: 'rateLimitExceeded',
  },
  { pattern: /\bplaylistNotFound\b|playlist identified with the request's\b[^]*\bcannot be found/i, code: 404, reason: 'playlistNotFound' },
  { pattern: /\b(?:channelNotFound|videoNotFound|notFound)\b|\bcannot be found\b|\bnot found\b/i, code: 404, reason: 'notFound' },
  {
    pattern:
      /\b(?:forbidden|playlistItemsNotAccessible|insufficientPermissions)\b|not properly authori[sz]ed|insufficient permission|permission denied/i,
    code: 403,
    reason: 'forbidden',
  },
  {
    pattern:
      /\b(?:backendError|internalError)\b|backend error|internal (?:server )?error|service unavailable|temporarily unavailable|bad gateway|gateway time-?out|empty response/i,
    code: 503,
    reason: 'backendError',
  },
];

const STATUS_IN_TEXT = /\b(?:code|status|HTTP)\s*:?\s*([1-5]\d\d)\b|\(([1-5]\d\d)\)/i;

/** The HTTP code and reason a message text reveals (0 and '' when it reveals nothing). */
export function readMessage(text: string): { code: number; reason: string } {
  const status = STATUS_IN_TEXT.exec(text);
  const printed = status ? Number(status[1] ?? status[2]) : 0;
  for (const rule of MESSAGE_RULES) if (rule.pattern.test(text)) return { code: printed || rule.code, reason: rule.reason };
  return { code: printed, reason: '' };
}

/** Turns whatever the service threw into a YouTubeApiError. */
export function toYouTubeApiError(err: unknown, method: YouTubeMethod): YouTubeApiError {
  if (err instanceof YouTubeApiError) return err;
  const details = ((err as { details?: ErrorDetails } | null)?.details ?? {}) as ErrorDetails;
  const thrown = err instanceof Error ? err.message : String(err);
  const first = Array.isArray(details.errors) ? details.errors[0] : undefined;
  let code = typeof details.code === 'number' ? details.code : 0;
  let reason = typeof first?.reason === 'string' ? first.reason : '';
  const text = typeof details.message === 'string' ? details.message : thrown;
  if (code === 0 || reason === '') {
    // No (or partial) details: the message is all there is.
    const read = readMessage(`${text}\n${thrown}`);
    if (code === 0) code = read.code;
    if (reason === '') reason = read.reason;
  }
  return new YouTubeApiError(`${method}: ${text}`, method, code, reason, classifyYouTubeError(code, reason));
}

function call<T>(method: YouTubeMethod, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toYouTubeApiError(err, method);
  }
}

function bestThumbnail(t: ThumbnailDetails | undefined): string | null {
  return t?.high?.url ?? t?.medium?.url ?? t?.default?.url ?? null;
}

const toNumber = (v: unknown): number | null => {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

const CHANNEL_FIELDS =
  'items(id,snippet(title,customUrl,thumbnails(default/url,medium/url,high/url)),contentDetails/relatedPlaylists/uploads,statistics/videoCount)';
const PLAYLIST_FIELDS =
  'nextPageToken,pageInfo/totalResults,items(snippet(publishedAt,title,description,channelTitle,videoOwnerChannelTitle,thumbnails(default/url,medium/url,high/url)),contentDetails(videoId,videoPublishedAt),status/privacyStatus)';
const VIDEO_PART_FIELDS: Record<string, string> = {
  snippet: 'snippet(publishedAt,channelId,title,description,channelTitle,tags,thumbnails(default/url,medium/url,high/url))',
  contentDetails: 'contentDetails/duration',
  statistics: 'statistics(viewCount,likeCount,commentCount)',
};

function mapChannel(c: Channel): YouTubeChannel {
  const id = c.id ?? '';
  const customUrl = c.snippet?.customUrl ?? '';
  return {
    id,
    title: c.snippet?.title ?? '',
    handle: customUrl.startsWith('@') ? customUrl : null,
    uploadsPlaylistId: c.contentDetails?.relatedPlaylists?.uploads ?? `UU${id.slice(2)}`,
    videoCount: toNumber(c.statistics?.videoCount),
    thumbnailUrl: bestThumbnail(c.snippet?.thumbnails),
  };
}

function mapVideo(v: Video): YouTubeVideo {
  const s = v.snippet;
  return {
    id: v.id ?? '',
    title: s?.title ?? '',
    description: s?.description ?? '',
    publishedAt: s?.publishedAt ?? '',
    channelId: s?.channelId ?? '',
    channelTitle: s?.channelTitle ?? '',
    tags: s?.tags ?? [],
    thumbnailUrl: bestThumbnail(s?.thumbnails),
    durationIso: v.contentDetails?.duration ?? null,
    views: toNumber(v.statistics?.viewCount),
    likes: toNumber(v.statistics?.likeCount),
    comments: toNumber(v.statistics?.commentCount),
  };
}

/** `service` defaults to the `YouTube` advanced service, looked up on first use. */
export function createYouTubeApi(service?: YouTubeListService): YouTubeApi {
  const yt = (): YouTubeListService => {
    if (service) return service;
    if (typeof YouTube === 'undefined' || !YouTube) {
      throw new YouTubeApiError('the YouTube Data API advanced service is not enabled', 'channels.list', 0, 'serviceDisabled', 'permanent');
    }
    return YouTube;
  };
  return {
    listChannels(lookup: ChannelLookup): YouTubeChannel[] {
      const args: Record<string, unknown> = { fields: CHANNEL_FIELDS, maxResults: 50 };
      if ('id' in lookup) args.id = lookup.id.join(',');
      else if ('forHandle' in lookup) args.forHandle = lookup.forHandle;
      else args.forUsername = lookup.forUsername;
      const res = call('channels.list', () => yt().Channels.list('snippet,contentDetails,statistics', args));
      return (res.items ?? []).map(mapChannel);
    },

    listPlaylistItems(playlistId: string, pageToken: string | null, maxResults: number): YouTubePlaylistPage {
      const args: Record<string, unknown> = { playlistId, maxResults, fields: PLAYLIST_FIELDS };
      if (pageToken) args.pageToken = pageToken;
      const res = call('playlistItems.list', () => yt().PlaylistItems.list('snippet,contentDetails,status', args));
      return {
        items: (res.items ?? []).map((item) => {
          const s = item.snippet;
          return {
            videoId: item.contentDetails?.videoId ?? s?.resourceId?.videoId ?? '',
            publishedAt: item.contentDetails?.videoPublishedAt ?? s?.publishedAt ?? '',
            title: s?.title ?? '',
            privacyStatus: item.status?.privacyStatus ?? null,
            description: s?.description ?? '',
            thumbnailUrl: bestThumbnail(s?.thumbnails),
            channelTitle: (s as { videoOwnerChannelTitle?: string } | undefined)?.videoOwnerChannelTitle ?? s?.channelTitle ?? '',
          };
        }),
        nextPageToken: res.nextPageToken ?? null,
        totalResults: toNumber(res.pageInfo?.totalResults),
      };
    },

    listVideos(ids: readonly string[], parts: readonly string[]): YouTubeVideo[] {
      if (ids.length === 0) return [];
      const fields = `items(id,${parts.map((p) => VIDEO_PART_FIELDS[p] ?? p).join(',')})`;
      const res = call('videos.list', () => yt().Videos.list(parts.join(','), { id: ids.join(','), fields }));
      return (res.items ?? []).map(mapVideo);
    },
  };
}
