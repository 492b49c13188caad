/**
 * The YouTube fake's data: channels with their uploads, as plain JSON.
 *
 * Model (documented in emulator/README.md):
 * - `videos` is the channel's uploads playlist (UU…) in playlist order, NEWEST FIRST. Private and
 *   deleted uploads stay in it as placeholders, as on YouTube.
 * - A video whose `publishedAt` is later than the virtual "now" is not visible yet (a scheduled
 *   upload): it appears in playlists, videos.list and search once the clock passes it.
 * - UULF… (long-form) and UUSH… (Shorts) are derived from the uploads: UULF exists when the channel has
 *   at least one visible non-Short upload, UUSH when it has at least one visible Short (private and
 *   deleted placeholders count). `playlists.longForm` / `playlists.shorts` override that for a channel.
 *   A playlist that does not exist answers 404 playlistNotFound.
 */
import { readFileSync } from 'node:fs';

export type DatasetPrivacy = 'public' | 'unlisted' | 'private';

export interface DatasetVideo {
  /** 11-character video id. */
  id: string;
  title: string;
  description?: string;
  /** ISO instant of publication (also the time it was added to the uploads playlist). */
  publishedAt: string;
  /** Length in seconds; the API reports it as an ISO 8601 duration (contentDetails.duration). */
  durationSeconds: number;
  /** A Short (belongs to UUSH, not UULF). */
  short?: boolean;
  privacy?: DatasetPrivacy; // default public
  /** Deleted: still listed in the playlist as 'Deleted video', unknown to videos.list. */
  deleted?: boolean;
  views?: number;
  likes?: number;
  comments?: number;
  tags?: string[];
  categoryId?: string;
}

export interface DatasetChannel {
  /** 'UC' + 22 characters. The uploads playlist id is 'UU' + id.slice(2). */
  id: string;
  title: string;
  /** '@handle' (matched case-insensitively, with or without '@'). */
  handle?: string;
  /** Legacy username (youtube.com/user/<name>), matched case-insensitively by forUsername. */
  username?: string;
  description?: string;
  publishedAt: string;
  country?: string;
  subscriberCount?: number;
  hiddenSubscriberCount?: boolean;
  /** Override the derived existence of the UULF / UUSH playlists. */
  playlists?: { longForm?: boolean; shorts?: boolean };
  /** Uploads, newest first. */
  videos: DatasetVideo[];
}

export interface YouTubeDataset {
  version: 1;
  channels: DatasetChannel[];
}

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') throw new DatasetError(`${where}.${key}: expected a non-empty string`);
  return value;
}

function optionalType(obj: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean', where: string): void {
  const value = obj[key];
  if (value !== undefined && typeof value !== type) throw new DatasetError(`${where}.${key}: expected a ${type}`);
}

function requireIso(obj: Record<string, unknown>, key: string, where: string): string {
  const value = requireString(obj, key, where);
  if (Number.isNaN(Date.parse(value))) throw new DatasetError(`${where}.${key}: not an ISO date: ${value}`);
  return value;
}

function validateVideo(raw: unknown, where: string): DatasetVideo {
  if (!isRecord(raw)) throw new DatasetError(`${where}: expected an object`);
  requireString(raw, 'id', where);
  if (typeof raw.title !== 'string') throw new DatasetError(`${where}.title: expected a string`);
  requireIso(raw, 'publishedAt', where);
  if (typeof raw.durationSeconds !== 'number' || !(raw.durationSeconds >= 0)) {
    throw new DatasetError(`${where}.durationSeconds: expected a number >= 0`);
  }
  for (const key of ['description'] as const) optionalType(raw, key, 'string', where);
  for (const key of ['views', 'likes', 'comments'] as const) optionalType(raw, key, 'number', where);
  for (const key of ['short', 'deleted'] as const) optionalType(raw, key, 'boolean', where);
  if (raw.privacy !== undefined && !['public', 'unlisted', 'private'].includes(raw.privacy as string)) {
    throw new DatasetError(`${where}.privacy: expected public, unlisted or private`);
  }
  if (raw.tags !== undefined && (!Array.isArray(raw.tags) || raw.tags.some((t) => typeof t !== 'string'))) {
    throw new DatasetError(`${where}.tags: expected an array of strings`);
  }
  return raw as unknown as DatasetVideo;
}

function validateChannel(raw: unknown, where: string): DatasetChannel {
  if (!isRecord(raw)) throw new DatasetError(`${where}: expected an object`);
  const id = requireString(raw, 'id', where);
  if (!/^UC[\w-]{22}$/.test(id)) throw new DatasetError(`${where}.id: expected 'UC' followed by 22 characters, got ${id}`);
  requireString(raw, 'title', where);
  requireIso(raw, 'publishedAt', where);
  for (const key of ['handle', 'username', 'description', 'country'] as const) optionalType(raw, key, 'string', where);
  if (typeof raw.handle === 'string' && !/^@[\w.-]{3,30}$/.test(raw.handle)) {
    throw new DatasetError(`${where}.handle: expected '@' followed by 3-30 letters, digits, '_', '-' or '.'`);
  }
  if (!Array.isArray(raw.videos)) throw new DatasetError(`${where}.videos: expected an array`);
  raw.videos.forEach((v, i) => validateVideo(v, `${where}.videos[${i}]`));
  return raw as unknown as DatasetChannel;
}

/** Checks a parsed JSON value and returns it typed; throws DatasetError naming the field and problem. */
export function validateDataset(raw: unknown): YouTubeDataset {
  if (!isRecord(raw)) throw new DatasetError('dataset: expected an object');
  if (raw.version !== 1) throw new DatasetError('dataset.version: expected 1');
  if (!Array.isArray(raw.channels)) throw new DatasetError('dataset.channels: expected an array');
  const channels = raw.channels.map((c, i) => validateChannel(c, `dataset.channels[${i}]`));
  const seenChannels = new Set<string>();
  const seenHandles = new Set<string>();
  const seenVideos = new Set<string>();
  channels.forEach((channel, i) => {
    if (seenChannels.has(channel.id)) throw new DatasetError(`dataset.channels[${i}].id: duplicate channel ${channel.id}`);
    seenChannels.add(channel.id);
    if (channel.handle) {
      const key = normaliseHandle(channel.handle);
      if (seenHandles.has(key)) throw new DatasetError(`dataset.channels[${i}].handle: duplicate handle ${channel.handle}`);
      seenHandles.add(key);
    }
    channel.videos.forEach((video, j) => {
      if (seenVideos.has(video.id)) {
        throw new DatasetError(`dataset.channels[${i}].videos[${j}].id: duplicate video ${video.id}`);
      }
      seenVideos.add(video.id);
    });
  });
  return { version: 1, channels };
}

export function parseDataset(json: string): YouTubeDataset {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new DatasetError(`dataset: not valid JSON (${(err as Error).message})`);
  }
  return validateDataset(raw);
}

export function loadDatasetFile(path: string): YouTubeDataset {
  return parseDataset(readFileSync(path, 'utf8'));
}

/** '@MKBHD', 'mkbhd' and '@mkbhd' all name the same channel. */
export function normaliseHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

export function uploadsPlaylistId(channelId: string): string {
  return `UU${channelId.slice(2)}`;
}

/** ISO 8601 duration as the API writes it: PT4M13S, PT1H2M, PT0S, P1DT2H (over a day). */
export function isoDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  let time = '';
  if (h) time += `${h}H`;
  if (m) time += `${m}M`;
  if (s || (!h && !m && !days)) time += `${s}S`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
