/**
 * The YouTube advanced service, faked over a dataset: `YouTube.Channels.list`, `PlaylistItems.list`,
 * `Videos.list` and `Search.list`, with the official quota costs, paging, partial responses, errors
 * shaped as the service throws them, and injectable faults. Behaviour is documented in emulator/README.md.
 */
import { createHash } from 'node:crypto';
import { buildDemoDataset } from './demo-dataset';
import { isoDuration, normaliseHandle, uploadsPlaylistId, validateDataset } from './dataset';
import type { DatasetChannel, DatasetVideo, YouTubeDataset } from './dataset';
import { youtubeErrors, YouTubeServiceError } from './errors';
import { applyFields, FieldsSyntaxError, parseFields } from './fields';
import { QuotaMeter, YOUTUBE_METHODS, type QuotaState, type YouTubeMethodName } from './quota';

/** What the core hands the fake for each execution. */
export interface YouTubeServiceContext {
  now(): Date;
  /** Optional: the gate counts calls itself; kept for the contract's shape. */
  count?(name: string): void;
  /** Optional: advances the virtual clock by ms (used by 'slow' faults). */
  delay?(ms: number): void;
}

export type FaultKind = 'quotaExceeded' | 'backendError' | 'forbidden' | 'rateLimit' | 'notFound' | 'slow';
const FAULT_KINDS: readonly FaultKind[] = ['quotaExceeded', 'backendError', 'forbidden', 'rateLimit', 'notFound', 'slow'];

export interface FaultSpec {
  /** Only this method; all four when omitted. */
  method?: YouTubeMethodName;
  kind: FaultKind;
  /** How many calls it affects; until cleared when omitted. */
  times?: number;
  /** For 'slow': extra latency per affected call (default 30 s). */
  latencyMs?: number;
  /** false: the error is thrown with its message only, no `details` (see errors.ts). Default true. */
  details?: boolean;
}

export interface YouTubeFakeOptions {
  dataset?: YouTubeDataset;
  quotaLimit?: number;
}

export interface YouTubeFakeJSON {
  version: 1;
  /** 'demo' when the built-in demo dataset is unchanged (keeps state files small). */
  dataset: YouTubeDataset | 'demo';
  quota: QuotaState;
  calls: Record<YouTubeMethodName, number>;
  faults: FaultSpec[];
  /** false when every error is thrown without `details`; absent means true. */
  errorDetails?: boolean;
}

/** Parameters as Apps Script passes them (optionalArgs); repeated values may come as arrays. */
export type ListArgs = Record<string, unknown>;

export interface YouTubeService {
  Channels: { list(part: string, optionalArgs?: ListArgs): GoogleAppsScript.YouTube.Schema.ChannelListResponse };
  PlaylistItems: { list(part: string, optionalArgs?: ListArgs): GoogleAppsScript.YouTube.Schema.PlaylistItemListResponse };
  Videos: { list(part: string, optionalArgs?: ListArgs): GoogleAppsScript.YouTube.Schema.VideoListResponse };
  Search: { list(part: string, optionalArgs?: ListArgs): GoogleAppsScript.YouTube.Schema.SearchListResponse };
}

const DEFAULT_SLOW_MS = 30_000;
const MAX_IDS = 50;
const MAX_RESULTS = 50;
const DEFAULT_MAX_RESULTS = 5;

const PARTS: Record<YouTubeMethodName, { supported: string[]; accepted: string[] }> = {
  'channels.list': {
    supported: ['id', 'snippet', 'contentDetails', 'statistics', 'status'],
    accepted: ['brandingSettings', 'topicDetails', 'localizations', 'contentOwnerDetails', 'auditDetails'],
  },
  'playlistItems.list': { supported: ['id', 'snippet', 'contentDetails', 'status'], accepted: [] },
  'videos.list': {
    supported: ['id', 'snippet', 'contentDetails', 'statistics', 'status'],
    accepted: ['player', 'topicDetails', 'recordingDetails', 'liveStreamingDetails', 'localizations', 'paidProductPlacementDetails'],
  },
  'search.list': { supported: ['id', 'snippet'], accepted: [] },
};

interface VideoEntry {
  video: DatasetVideo;
  channel: ChannelEntry;
  publishedMs: number;
}

interface ChannelEntry {
  channel: DatasetChannel;
  entries: VideoEntry[]; // uploads, newest first
}

let cachedDemo: YouTubeDataset | null = null;
/** The demo dataset is built once per process; the fake never mutates a dataset in place. */
function demoDataset(): YouTubeDataset {
  cachedDemo ??= buildDemoDataset();
  return cachedDemo;
}

function etagOf(...parts: string[]): string {
  return createHash('sha1').update(parts.join('|')).digest('base64url').slice(0, 27);
}

function thumbnails(url: (size: string) => string): GoogleAppsScript.YouTube.Schema.ThumbnailDetails {
  return {
    default: { url: url('default'), width: 120, height: 90 },
    medium: { url: url('mqdefault'), width: 320, height: 180 },
    high: { url: url('hqdefault'), width: 480, height: 360 },
  };
}

function videoThumbnails(videoId: string): GoogleAppsScript.YouTube.Schema.ThumbnailDetails {
  return thumbnails((size) => `https://i.ytimg.com/vi/${videoId}/${size}.jpg`);
}

const PAGE_TOKEN_PREFIX = 'EAAa';

function encodePageToken(offset: number): string {
  return PAGE_TOKEN_PREFIX + Buffer.from(`PT:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number | null {
  if (!token.startsWith(PAGE_TOKEN_PREFIX)) return null;
  const match = /^PT:(\d{1,9})$/.exec(Buffer.from(token.slice(PAGE_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

function listArg(args: ListArgs, key: string): string[] | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  const raw = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return raw.map((s) => s.trim()).filter((s) => s !== '');
}

function stringArg(args: ListArgs, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export class YouTubeFake {
  quota: QuotaMeter;
  calls: Record<YouTubeMethodName, number>;
  private dataset!: YouTubeDataset;
  private isDemo = false;
  private channelsById = new Map<string, ChannelEntry>();
  private channelsByHandle = new Map<string, ChannelEntry>();
  private channelsByUsername = new Map<string, ChannelEntry>();
  private channelsByPlaylistSuffix = new Map<string, ChannelEntry>();
  private videosById = new Map<string, VideoEntry>();
  private faults: { spec: FaultSpec; remaining: number }[] = [];
  /**
   * false: every error this fake throws (quota, 404 playlists, 400s, injected faults) carries only its
   * message, as the service may throw them; callers must then classify from the text.
   */
  errorDetails = true;

  constructor(options: YouTubeFakeOptions = {}) {
    this.quota = new QuotaMeter(options.quotaLimit);
    this.calls = Object.fromEntries(YOUTUBE_METHODS.map((m) => [m, 0])) as Record<YouTubeMethodName, number>;
    if (options.dataset) this.setDataset(options.dataset);
    else this.useDemoDataset();
  }

  // ------------------------------------------------------------------ dataset

  setDataset(dataset: YouTubeDataset): void {
    this.dataset = validateDataset(structuredClone(dataset));
    this.isDemo = false;
    this.reindex();
  }

  useDemoDataset(): void {
    this.dataset = demoDataset();
    this.isDemo = true;
    this.reindex();
  }

  getDataset(): YouTubeDataset {
    return this.dataset;
  }

  /** Adds uploads at the top of the channel's playlist (give them the newest publishedAt). */
  addVideos(channelId: string, videos: DatasetVideo[]): void {
    const index = this.dataset.channels.findIndex((c) => c.id === channelId);
    if (index < 0) throw new Error(`addVideos: no channel ${channelId} in the dataset`);
    const channel = this.dataset.channels[index]!;
    // Copy on write: the demo dataset is shared by every fake of the process.
    const updated: DatasetChannel = { ...channel, videos: [...videos, ...channel.videos] };
    const channels = [...this.dataset.channels];
    channels[index] = updated;
    this.dataset = validateDataset({ version: 1, channels });
    this.isDemo = false;
    this.reindex();
  }

  private reindex(): void {
    this.channelsById.clear();
    this.channelsByHandle.clear();
    this.channelsByUsername.clear();
    this.channelsByPlaylistSuffix.clear();
    this.videosById.clear();
    for (const channel of this.dataset.channels) {
      const entry: ChannelEntry = { channel, entries: [] };
      entry.entries = channel.videos.map((video) => ({ video, channel: entry, publishedMs: Date.parse(video.publishedAt) }));
      this.channelsById.set(channel.id, entry);
      if (channel.handle) this.channelsByHandle.set(normaliseHandle(channel.handle), entry);
      if (channel.username) this.channelsByUsername.set(channel.username.toLowerCase(), entry);
      this.channelsByPlaylistSuffix.set(channel.id.slice(2), entry);
      for (const e of entry.entries) this.videosById.set(e.video.id, e);
    }
  }

  // ------------------------------------------------------------------ faults

  injectFault(spec: FaultSpec): void {
    if (spec.method && !YOUTUBE_METHODS.includes(spec.method)) throw new Error(`injectFault: unknown method ${spec.method}`);
    if (!FAULT_KINDS.includes(spec.kind)) {
      throw new Error(`injectFault: unknown kind ${String(spec.kind)}`);
    }
    if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
      throw new Error('injectFault: times must be a positive integer');
    }
    this.faults.push({ spec: { ...spec }, remaining: spec.times ?? Infinity });
  }

  clearFaults(): void {
    this.faults = [];
  }

  listFaults(): FaultSpec[] {
    return this.faults.map(({ spec, remaining }) => ({ ...spec, ...(Number.isFinite(remaining) ? { times: remaining } : {}) }));
  }

  /**
   * Extra latency (ms) the NEXT call of `method` will take because of a pending 'slow' fault; 0 when none.
   * The base latency of a call lives in the core's latency table.
   */
  latencyMs(method: YouTubeMethodName): number {
    const fault = this.findFault(method, (k) => k === 'slow');
    return fault ? (fault.spec.latencyMs ?? DEFAULT_SLOW_MS) : 0;
  }

  private findFault(method: YouTubeMethodName, kind: (k: FaultKind) => boolean) {
    return this.faults.find((f) => f.remaining > 0 && kind(f.spec.kind) && (!f.spec.method || f.spec.method === method));
  }

  private consume(fault: { remaining: number }): void {
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
  }

  // ------------------------------------------------------------------ the service

  /** The object installed as the `YouTube` global of one execution. */
  service(ctx: YouTubeServiceContext): YouTubeService {
    return {
      Channels: { list: (part, args = {}) => this.call('channels.list', ctx, part, args, (p, a, now) => this.channelsList(p, a, now)) },
      PlaylistItems: {
        list: (part, args = {}) => this.call('playlistItems.list', ctx, part, args, (p, a, now) => this.playlistItemsList(p, a, now)),
      },
      Videos: { list: (part, args = {}) => this.call('videos.list', ctx, part, args, (p, a, now) => this.videosList(p, a, now)) },
      Search: { list: (part, args = {}) => this.call('search.list', ctx, part, args, (p, a, now) => this.searchList(p, a, now)) },
    };
  }

  private call<T extends object>(
    method: YouTubeMethodName,
    ctx: YouTubeServiceContext,
    part: string,
    args: ListArgs,
    handler: (parts: Set<string>, args: ListArgs, now: Date) => T,
  ): T {
    let faultDetails = true;
    try {
      return this.answer(method, ctx, part, args, handler, (f) => (faultDetails = f.spec.details !== false));
    } catch (err) {
      if (err instanceof YouTubeServiceError && (!this.errorDetails || !faultDetails)) throw err.withoutDetails();
      throw err;
    }
  }

  private answer<T extends object>(
    method: YouTubeMethodName,
    ctx: YouTubeServiceContext,
    part: string,
    args: ListArgs,
    handler: (parts: Set<string>, args: ListArgs, now: Date) => T,
    faultUsed: (fault: { spec: FaultSpec }) => void,
  ): T {
    const slow = this.findFault(method, (k) => k === 'slow');
    if (slow) {
      this.consume(slow);
      ctx.delay?.(slow.spec.latencyMs ?? DEFAULT_SLOW_MS);
    }
    const now = ctx.now();
    this.calls[method] += 1;
    const fault = this.findFault(method, (k) => k !== 'slow');
    if (fault) faultUsed(fault);
    // Injected refusals are not charged (the quota, backend and rate-limit errors cost nothing).
    const refusal = {
      quotaExceeded: youtubeErrors.quotaExceeded,
      backendError: youtubeErrors.backendError,
      forbidden: youtubeErrors.forbidden,
      rateLimit: youtubeErrors.rateLimitExceeded,
    }[fault?.spec.kind as 'quotaExceeded' | 'backendError' | 'forbidden' | 'rateLimit'] as
      ((m: YouTubeMethodName) => YouTubeServiceError) | undefined;
    if (fault && refusal) {
      this.consume(fault);
      throw refusal(method);
    }
    if (this.quota.wouldExceed(method, now)) throw youtubeErrors.quotaExceeded(method);
    // Every request that reaches the API costs its units, invalid ones included.
    this.quota.charge(method, now);
    if (fault?.spec.kind === 'notFound') {
      this.consume(fault);
      if (method === 'playlistItems.list') throw youtubeErrors.playlistNotFound(method);
      return this.emptyResponse(method) as T;
    }
    const parts = this.parseParts(method, part);
    const fields = stringArg(args, 'fields');
    let tree;
    try {
      tree = fields ? parseFields(fields) : null;
    } catch (err) {
      if (err instanceof FieldsSyntaxError) throw youtubeErrors.invalidParameter(method, 'Invalid field selection');
      throw err;
    }
    const response = handler(parts, args, now);
    return tree ? applyFields(response, tree) : response;
  }

  private parseParts(method: YouTubeMethodName, part: string): Set<string> {
    if (typeof part !== 'string' || part.trim() === '') {
      throw youtubeErrors.missingRequiredParameter(method, 'Required parameter: part');
    }
    const parts = new Set(
      part
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    );
    const { supported, accepted } = PARTS[method];
    for (const p of parts) {
      if (!supported.includes(p) && !accepted.includes(p)) {
        throw youtubeErrors.unknownPart(method, `'${p}'`);
      }
    }
    return parts;
  }

  private emptyResponse(method: YouTubeMethodName): object {
    const kind = {
      'channels.list': 'youtube#channelListResponse',
      'playlistItems.list': 'youtube#playlistItemListResponse',
      'videos.list': 'youtube#videoListResponse',
      'search.list': 'youtube#searchListResponse',
    }[method];
    const base = { kind, etag: etagOf(kind, 'empty'), pageInfo: { totalResults: 0, resultsPerPage: 0 } };
    return method === 'channels.list' ? base : { ...base, items: [] };
  }

  private maxResults(method: YouTubeMethodName, args: ListArgs): number {
    const raw = args.maxResults;
    if (raw === undefined || raw === null || raw === '') return DEFAULT_MAX_RESULTS;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > MAX_RESULTS) {
      throw youtubeErrors.invalidParameter(method, `Invalid value '${String(raw)}'. Values must be within the range: [0, 50]`);
    }
    return n;
  }

  private page<T>(method: YouTubeMethodName, all: T[], args: ListArgs): { items: T[]; offset: number; size: number } {
    const size = this.maxResults(method, args);
    const token = stringArg(args, 'pageToken');
    let offset = 0;
    if (token !== undefined) {
      const decoded = decodePageToken(token);
      if (decoded === null || decoded > all.length) throw youtubeErrors.invalidPageToken(method);
      offset = decoded;
    }
    return { items: all.slice(offset, offset + size), offset, size };
  }

  private pagedResponse<T>(kind: string, total: number, paged: { items: T[]; offset: number; size: number }) {
    const response: {
      kind: string;
      etag: string;
      nextPageToken?: string;
      prevPageToken?: string;
      pageInfo: { totalResults: number; resultsPerPage: number };
      items: T[];
    } = {
      kind,
      etag: etagOf(kind, String(total), String(paged.offset)),
      pageInfo: { totalResults: total, resultsPerPage: paged.size },
      items: paged.items,
    };
    const end = paged.offset + paged.items.length;
    if (paged.size > 0 && end < total) response.nextPageToken = encodePageToken(end);
    if (paged.offset > 0) response.prevPageToken = encodePageToken(Math.max(0, paged.offset - paged.size));
    return response;
  }

  private visible(entries: VideoEntry[], now: Date): VideoEntry[] {
    const t = now.getTime();
    return entries.filter((e) => e.publishedMs <= t);
  }

  // ------------------------------------------------------------------ channels.list

  private channelsList(parts: Set<string>, args: ListArgs, now: Date): GoogleAppsScript.YouTube.Schema.ChannelListResponse {
    const method = 'channels.list';
    const filters = ['forHandle', 'forUsername', 'id', 'mine'].filter((k) => args[k] !== undefined && args[k] !== '');
    if (filters.length === 0) {
      throw youtubeErrors.missingRequiredParameter(method, 'No filter selected. Expected one of: forUsername, id, mine, forHandle');
    }
    if (filters.length > 1) throw youtubeErrors.incompatibleParameters(method);
    let found: ChannelEntry[] = [];
    if (args.forHandle !== undefined) {
      const entry = this.channelsByHandle.get(normaliseHandle(String(args.forHandle)));
      if (entry) found = [entry];
    } else if (args.forUsername !== undefined) {
      const entry = this.channelsByUsername.get(String(args.forUsername).trim().toLowerCase());
      if (entry) found = [entry];
    } else if (args.id !== undefined) {
      const ids = listArg(args, 'id') ?? [];
      if (ids.length > MAX_IDS)
        throw youtubeErrors.invalidFilters(method, `The request specifies ${ids.length} ids; at most ${MAX_IDS} are allowed.`);
      found = ids.map((id) => this.channelsById.get(id)).filter((e): e is ChannelEntry => e !== undefined);
    }
    const kind = 'youtube#channelListResponse';
    const response: GoogleAppsScript.YouTube.Schema.ChannelListResponse = {
      kind,
      etag: etagOf(kind, ...found.map((e) => e.channel.id)),
      pageInfo: { totalResults: found.length, resultsPerPage: DEFAULT_MAX_RESULTS },
    };
    // As the real API: no `items` key at all when nothing matched.
    if (found.length > 0) response.items = found.map((e) => this.channelResource(e, parts, now));
    return response;
  }

  private channelResource(entry: ChannelEntry, parts: Set<string>, now: Date): GoogleAppsScript.YouTube.Schema.Channel {
    const c = entry.channel;
    const out: GoogleAppsScript.YouTube.Schema.Channel = { kind: 'youtube#channel', etag: etagOf(c.id, c.title), id: c.id };
    if (parts.has('snippet')) {
      out.snippet = {
        title: c.title,
        description: c.description ?? '',
        publishedAt: c.publishedAt,
        thumbnails: thumbnails((size) => `https://yt3.ggpht.example/${c.id}/${size}.jpg`),
        localized: { title: c.title, description: c.description ?? '' },
      };
      if (c.handle) out.snippet.customUrl = `@${normaliseHandle(c.handle)}`;
      if (c.country) out.snippet.country = c.country;
    }
    if (parts.has('contentDetails')) {
      out.contentDetails = { relatedPlaylists: { likes: '', uploads: uploadsPlaylistId(c.id) } };
    }
    if (parts.has('statistics')) {
      const pub = this.visible(entry.entries, now).filter((e) => !e.video.deleted && (e.video.privacy ?? 'public') === 'public');
      out.statistics = {
        viewCount: String(pub.reduce((sum, e) => sum + (e.video.views ?? 0), 0)),
        hiddenSubscriberCount: c.hiddenSubscriberCount ?? false,
        videoCount: String(pub.length),
      };
      if (!c.hiddenSubscriberCount) out.statistics.subscriberCount = String(c.subscriberCount ?? 0);
    }
    if (parts.has('status')) {
      out.status = { privacyStatus: 'public', isLinked: true, longUploadsStatus: 'longUploadsUnspecified' };
    }
    return out;
  }

  // ------------------------------------------------------------------ playlistItems.list

  /** The entries of UU…, UULF… or UUSH… at `now`; null when the playlist does not exist. */
  playlistEntries(playlistId: string, now: Date): { entries: VideoEntry[]; channel: DatasetChannel } | null {
    const match = /^(UULF|UUSH|UU)([\w-]{22})$/.exec(playlistId);
    if (!match) return null;
    const entry = this.channelsByPlaylistSuffix.get(match[2]!);
    if (!entry) return null;
    const visible = this.visible(entry.entries, now);
    const kind = match[1];
    if (kind === 'UU') return { entries: visible, channel: entry.channel };
    const shorts = kind === 'UUSH';
    const subset = visible.filter((e) => Boolean(e.video.short) === shorts);
    const override = shorts ? entry.channel.playlists?.shorts : entry.channel.playlists?.longForm;
    const exists = override ?? subset.length > 0;
    return exists ? { entries: subset, channel: entry.channel } : null;
  }

  private playlistItemsList(parts: Set<string>, args: ListArgs, now: Date): GoogleAppsScript.YouTube.Schema.PlaylistItemListResponse {
    const method = 'playlistItems.list';
    const playlistId = stringArg(args, 'playlistId');
    if (args.id !== undefined) throw youtubeErrors.invalidFilters(method, 'The fake supports playlistItems.list by playlistId only.');
    if (!playlistId) throw youtubeErrors.missingRequiredParameter(method, 'No filter selected. Expected one of: id, playlistId');
    const playlist = this.playlistEntries(playlistId, now);
    if (!playlist) throw youtubeErrors.playlistNotFound(method);
    let entries = playlist.entries;
    const videoId = stringArg(args, 'videoId');
    if (videoId) entries = entries.filter((e) => e.video.id === videoId);
    const paged = this.page(method, entries, args);
    const items = paged.items.map((e, i) => this.playlistItemResource(e, playlistId, paged.offset + i, parts));
    return this.pagedResponse('youtube#playlistItemListResponse', entries.length, { ...paged, items });
  }

  private playlistItemResource(
    entry: VideoEntry,
    playlistId: string,
    position: number,
    parts: Set<string>,
  ): GoogleAppsScript.YouTube.Schema.PlaylistItem {
    const v = entry.video;
    const c = entry.channel.channel;
    const hidden = v.deleted ? 'deleted' : v.privacy === 'private' ? 'private' : null;
    const id = Buffer.from(`${playlistId}.${v.id}`).toString('base64').replace(/=+$/, '');
    const out: GoogleAppsScript.YouTube.Schema.PlaylistItem = { kind: 'youtube#playlistItem', etag: etagOf(id), id };
    if (parts.has('snippet')) {
      out.snippet = {
        publishedAt: v.publishedAt,
        channelId: c.id,
        title: hidden === 'deleted' ? 'Deleted video' : hidden === 'private' ? 'Private video' : v.title,
        description:
          hidden === 'deleted' ? 'This video is unavailable.' : hidden === 'private' ? 'This video is private.' : (v.description ?? ''),
        thumbnails: hidden ? {} : videoThumbnails(v.id),
        channelTitle: c.title,
        playlistId,
        position,
        resourceId: { kind: 'youtube#video', videoId: v.id },
      };
      if (!hidden) Object.assign(out.snippet, { videoOwnerChannelTitle: c.title, videoOwnerChannelId: c.id });
    }
    if (parts.has('contentDetails')) {
      out.contentDetails = hidden ? { videoId: v.id } : { videoId: v.id, videoPublishedAt: v.publishedAt };
    }
    if (parts.has('status')) {
      out.status = { privacyStatus: hidden === 'deleted' ? 'privacyStatusUnspecified' : (v.privacy ?? 'public') };
    }
    return out;
  }

  // ------------------------------------------------------------------ videos.list

  private videosList(parts: Set<string>, args: ListArgs, now: Date): GoogleAppsScript.YouTube.Schema.VideoListResponse {
    const method = 'videos.list';
    const ids = listArg(args, 'id');
    if (args.chart !== undefined || args.myRating !== undefined) {
      throw youtubeErrors.invalidFilters(method, 'The fake supports videos.list by id only.');
    }
    if (!ids) throw youtubeErrors.missingRequiredParameter(method, 'No filter selected. Expected one of: chart, id, myRating');
    if (ids.length > MAX_IDS)
      throw youtubeErrors.invalidFilters(method, `The request specifies ${ids.length} ids; at most ${MAX_IDS} are allowed.`);
    const t = now.getTime();
    const items = ids
      .map((id) => this.videosById.get(id))
      .filter((e): e is VideoEntry => e !== undefined && !e.video.deleted && e.video.privacy !== 'private' && e.publishedMs <= t)
      .map((e) => this.videoResource(e, parts));
    const kind = 'youtube#videoListResponse';
    return { kind, etag: etagOf(kind, ...ids), items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } };
  }

  private videoResource(entry: VideoEntry, parts: Set<string>): GoogleAppsScript.YouTube.Schema.Video {
    const v = entry.video;
    const c = entry.channel.channel;
    const out: GoogleAppsScript.YouTube.Schema.Video = { kind: 'youtube#video', etag: etagOf(v.id, String(v.views ?? 0)), id: v.id };
    if (parts.has('snippet')) {
      out.snippet = {
        publishedAt: v.publishedAt,
        channelId: c.id,
        title: v.title,
        description: v.description ?? '',
        thumbnails: videoThumbnails(v.id),
        channelTitle: c.title,
        categoryId: v.categoryId ?? '28',
        liveBroadcastContent: 'none',
        localized: { title: v.title, description: v.description ?? '' },
      };
      // As the real API: no `tags` key when the video has none.
      if (v.tags && v.tags.length > 0) out.snippet.tags = [...v.tags];
    }
    if (parts.has('contentDetails')) {
      out.contentDetails = {
        duration: isoDuration(v.durationSeconds),
        dimension: '2d',
        definition: 'hd',
        caption: 'false',
        licensedContent: true,
        contentRating: {},
        projection: 'rectangular',
      };
    }
    if (parts.has('statistics')) {
      // Counts are strings in the real API.
      out.statistics = {
        viewCount: String(v.views ?? 0),
        likeCount: String(v.likes ?? 0),
        favoriteCount: '0',
        commentCount: String(v.comments ?? 0),
      };
    }
    if (parts.has('status')) {
      out.status = {
        uploadStatus: 'processed',
        privacyStatus: v.privacy ?? 'public',
        license: 'youtube',
        embeddable: true,
        publicStatsViewable: true,
      };
    }
    return out;
  }

  // ------------------------------------------------------------------ search.list

  private searchList(parts: Set<string>, args: ListArgs, now: Date): GoogleAppsScript.YouTube.Schema.SearchListResponse {
    const method = 'search.list';
    const types = listArg(args, 'type') ?? ['video', 'channel', 'playlist'];
    const q = (stringArg(args, 'q') ?? '').toLowerCase();
    const channelId = stringArg(args, 'channelId');
    const after = stringArg(args, 'publishedAfter');
    const before = stringArg(args, 'publishedBefore');
    const afterMs = after ? Date.parse(after) : -Infinity;
    const beforeMs = before ? Date.parse(before) : Infinity;
    if (Number.isNaN(afterMs) || Number.isNaN(beforeMs))
      throw youtubeErrors.invalidParameter(method, 'Invalid publishedAfter/publishedBefore');
    const results: GoogleAppsScript.YouTube.Schema.SearchResult[] = [];
    const snippetOf = (
      c: DatasetChannel,
      title: string,
      description: string,
      publishedAt: string,
      thumbs: GoogleAppsScript.YouTube.Schema.ThumbnailDetails,
    ) => ({
      publishedAt,
      channelId: c.id,
      title,
      description,
      thumbnails: thumbs,
      channelTitle: c.title,
      liveBroadcastContent: 'none',
      publishTime: publishedAt,
    });
    if (types.includes('channel') && !channelId && q) {
      for (const { channel: c } of this.channelsById.values()) {
        if (!c.title.toLowerCase().includes(q) && !(c.handle && normaliseHandle(c.handle).includes(q.replace(/^@/, '')))) continue;
        const result: GoogleAppsScript.YouTube.Schema.SearchResult = {
          kind: 'youtube#searchResult',
          etag: etagOf('s', c.id),
          id: { kind: 'youtube#channel', channelId: c.id },
        };
        if (parts.has('snippet'))
          result.snippet = snippetOf(
            c,
            c.title,
            c.description ?? '',
            c.publishedAt,
            thumbnails((s) => `https://yt3.ggpht.example/${c.id}/${s}.jpg`),
          );
        results.push(result);
      }
    }
    if (types.includes('video')) {
      const sources = channelId
        ? [this.channelsById.get(channelId)].filter((e): e is ChannelEntry => e !== undefined)
        : [...this.channelsById.values()];
      let matches = sources
        .flatMap((s) => this.visible(s.entries, now))
        .filter((e) => !e.video.deleted && (e.video.privacy ?? 'public') === 'public')
        .filter((e) => e.publishedMs > afterMs && e.publishedMs < beforeMs)
        .filter((e) => !q || e.video.title.toLowerCase().includes(q));
      const order = stringArg(args, 'order') ?? 'relevance';
      matches = [...matches].sort((a, b) =>
        order === 'viewCount'
          ? (b.video.views ?? 0) - (a.video.views ?? 0)
          : order === 'title'
            ? a.video.title.localeCompare(b.video.title)
            : b.publishedMs - a.publishedMs,
      );
      for (const e of matches) {
        const c = e.channel.channel;
        const result: GoogleAppsScript.YouTube.Schema.SearchResult = {
          kind: 'youtube#searchResult',
          etag: etagOf('s', e.video.id),
          id: { kind: 'youtube#video', videoId: e.video.id },
        };
        if (parts.has('snippet'))
          result.snippet = snippetOf(c, e.video.title, e.video.description ?? '', e.video.publishedAt, videoThumbnails(e.video.id));
        results.push(result);
      }
    }
    const paged = this.page(method, results, args);
    return { ...this.pagedResponse('youtube#searchListResponse', results.length, paged), regionCode: 'US' };
  }

  // ------------------------------------------------------------------ state

  /** A JSON-safe summary for the dev server's state endpoint and for tests. */
  summary(now: Date) {
    return {
      quota: {
        usedToday: this.quota.usedToday(now),
        limit: this.quota.limit,
        remaining: this.quota.remaining(now),
        resetAt: this.quota.resetAt(now).toISOString(),
        byMethod: this.quota.byMethod(now),
      },
      calls: { ...this.calls },
      faults: this.listFaults(),
      dataset: this.isDemo ? 'demo' : 'custom',
      channels: this.dataset.channels.map((c) => ({ id: c.id, handle: c.handle ?? null, title: c.title, uploads: c.videos.length })),
    };
  }

  resetCounters(): void {
    this.quota.reset();
    for (const m of YOUTUBE_METHODS) this.calls[m] = 0;
  }

  toJSON(): YouTubeFakeJSON {
    return {
      version: 1,
      dataset: this.isDemo ? 'demo' : this.dataset,
      quota: this.quota.toJSON(),
      calls: { ...this.calls },
      faults: this.listFaults(),
      ...(this.errorDetails ? {} : { errorDetails: false }),
    };
  }

  static fromJSON(json: YouTubeFakeJSON): YouTubeFake {
    const fake = json.dataset === 'demo' ? new YouTubeFake() : new YouTubeFake({ dataset: json.dataset });
    fake.quota = new QuotaMeter(json.quota.limit, json.quota);
    fake.calls = { ...fake.calls, ...json.calls };
    for (const f of json.faults) fake.injectFault(f);
    if (json.errorDetails === false) fake.errorDetails = false;
    return fake;
  }
}

export { YouTubeServiceError };
