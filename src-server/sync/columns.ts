/**
 * Columns: what each one needs from YouTube, how its cell value is built, and its number format.
 *
 * Where values come from (the rule that decides whether videos.list is called):
 * - playlistItems.list (always read) gives video_id, title, published_at, url, channel, thumbnail and
 *   description, so a job with only these columns never calls videos.list;
 * - videos.list part `statistics` for views, likes, comments; `contentDetails` for duration, and for
 *   is_short unless the playlist already says (UUSH = Shorts, UULF = long-form); `snippet` for tags.
 * is_short: true for items of the Shorts playlist (UUSH), false for the long-form one (UULF); when the
 * job reads the full uploads playlist (UU), a video of 180 seconds or less counts as a Short (YouTube's
 * Shorts limit; a short regular video is misread as a Short — the only signal short of extra calls).
 */
import type { Column } from '../domain/catalogue';
import type { YouTubePlaylistItem, YouTubeVideo } from '../ports';

export const SHORTS_MAX_SECONDS = 180;

export type VideoPart = 'snippet' | 'contentDetails' | 'statistics';

export const STAT_COLUMNS: readonly Column[] = ['views', 'likes', 'comments'];

/** Number formats per column: '@' keeps YouTube text as literal text; dates and durations are real values. */
export const COLUMN_FORMATS: Record<Column, string> = {
  video_id: '@',
  title: '@',
  published_at: 'yyyy-mm-dd hh:mm:ss',
  url: '@',
  views: '#,##0',
  likes: '#,##0',
  comments: '#,##0',
  duration: '[h]:mm:ss',
  channel: '@',
  thumbnail: '@',
  tags: '@',
  description: '@',
  is_short: 'General',
};

/** Whether is_short is known from the playlist read: true/false, or null when durations must decide. */
export type ShortsKnowledge = boolean | null;

/** videos.list parts needed for new videos of a job. Empty: the playlist read is enough. */
export function partsForNewVideos(columns: readonly Column[], shortKnown: ShortsKnowledge, filterByDuration: boolean): VideoPart[] {
  const parts: VideoPart[] = [];
  if (columns.includes('tags')) parts.push('snippet');
  if (columns.includes('duration') || (columns.includes('is_short') && shortKnown === null) || filterByDuration) {
    parts.push('contentDetails');
  }
  if (columns.some((c) => STAT_COLUMNS.includes(c))) parts.push('statistics');
  return parts;
}

/** Columns a videos.list answer with these parts can refresh on an existing row. */
export function columnsFromParts(parts: readonly string[], columns: readonly Column[]): Set<Column> {
  const out = new Set<Column>();
  for (const c of columns) {
    if (parts.includes('statistics') && STAT_COLUMNS.includes(c)) out.add(c);
    if (parts.includes('contentDetails') && c === 'duration') out.add(c);
    if (parts.includes('snippet') && (c === 'title' || c === 'description' || c === 'tags' || c === 'thumbnail' || c === 'channel')) {
      out.add(c);
    }
  }
  return out;
}

/** Seconds of an ISO 8601 duration (PT1H2M3S, P1DT2H); null when unreadable. */
export function durationSeconds(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m) return null;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

export function videoUrl(videoId: string): string {
  return `https://www.youtube.com/watch?v=${videoId}`;
}

/** The video id in a watch / shorts / youtu.be URL (for tabs keyed by the url column). */
export function videoIdFromUrl(url: string): string | null {
  const m = /(?:[?&]v=|\/shorts\/|youtu\.be\/)([\w-]{11})/.exec(url);
  return m ? m[1]! : null;
}

export interface VideoRecord {
  id: string;
  item: YouTubePlaylistItem | null;
  video: YouTubeVideo | null;
  channelTitle: string;
  short: ShortsKnowledge;
}

/** True when the video counts as a Short (see the module comment). Null when unknown. */
export function isShort(rec: VideoRecord): boolean | null {
  if (rec.short !== null) return rec.short;
  const secs = durationSeconds(rec.video?.durationIso);
  return secs === null ? null : secs > 0 && secs <= SHORTS_MAX_SECONDS;
}

const blank = (v: number | null | undefined): number | string => (v === null || v === undefined ? '' : v);

function publishedDate(rec: VideoRecord): Date | string {
  const iso = rec.item?.publishedAt || rec.video?.publishedAt;
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? '' : new Date(ms);
}

/** One cell. Strings are returned as they are: the Sheets adapter stores them as literal text. */
export function cellValue(column: Column, rec: VideoRecord): unknown {
  const { item, video } = rec;
  switch (column) {
    case 'video_id':
      return rec.id;
    case 'title':
      return video?.title || item?.title || '';
    case 'published_at':
      return publishedDate(rec);
    case 'url':
      return videoUrl(rec.id);
    case 'views':
      return blank(video?.views);
    case 'likes':
      return blank(video?.likes);
    case 'comments':
      return blank(video?.comments);
    case 'duration': {
      const secs = durationSeconds(video?.durationIso);
      return secs === null ? '' : secs / 86400; // a Sheets duration: a fraction of a day
    }
    case 'channel':
      return item?.channelTitle || video?.channelTitle || rec.channelTitle;
    case 'thumbnail':
      return item?.thumbnailUrl || video?.thumbnailUrl || '';
    case 'tags':
      return (video?.tags ?? []).join(', ');
    case 'description':
      return item?.description ?? video?.description ?? '';
    case 'is_short': {
      const s = isShort(rec);
      return s === null ? '' : s;
    }
  }
}

export function buildRow(columns: readonly Column[], rec: VideoRecord): unknown[] {
  return columns.map((c) => cellValue(c, rec));
}

/** An existing row with only the columns a refresh knows replaced. */
export function mergeRow(columns: readonly Column[], existing: readonly unknown[], rec: VideoRecord, fresh: Set<Column>): unknown[] {
  return columns.map((c, i) => (fresh.has(c) ? cellValue(c, rec) : (existing[i] ?? '')));
}

export function formatRow(columns: readonly Column[]): string[] {
  return columns.map((c) => COLUMN_FORMATS[c]);
}
