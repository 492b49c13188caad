/**
 * SyncState: what a job remembers between runs, stored by the app as JSON in one Script Property.
 * Kept compact (a property value holds 9 KB and a job may have 50 channels): at most ~120 bytes per
 * channel, one shared checkpoint (channels are synced one after the other, so at most one is mid-way).
 */
import type { ChannelRef } from '../domain/channels';

/** A resolved channel: [channelId, title (≤ 28 UTF-8 bytes), watermarkVideoId, watermarkTime36, flags, uploadsId]. */
export type ChannelTuple = [string, string, string?, string?, number?, string?];

export interface Checkpoint {
  /** Run that wrote it (a different run resumes it too; only overwrite restarts). */
  r: string;
  /** Channel key being read. */
  k: string;
  /** Page token of the next page to read; null: start of the playlist. */
  p: string | null;
  /** The new watermark (newest video taken in this channel by this run) and its time (base 36 seconds). */
  w?: string;
  d?: string;
  /** Videos taken so far from this channel in this run (max_videos). */
  n: number;
  /** Rows this run has inserted at the top so far (upsert places resumed batches below them). */
  o: number;
  /** Channels of this run that failed permanently in earlier executions. */
  f?: number;
}

export interface SyncState {
  v: 1;
  /** Fingerprint of spreadsheet + tab + video_filter the watermarks belong to. */
  tg?: string;
  /** Resolved channels by channel key (see channelKey). */
  ch: Record<string, ChannelTuple>;
  cp?: Checkpoint;
}

/** Flag bits of ChannelTuple[4]. */
export const FLAG_FILTERED_PLAYLIST_MISSING = 1;

export const STATE_TITLE_BYTES = 28;

export function emptySyncState(): SyncState {
  return { v: 1, ch: {} };
}

/** Reads a stored state defensively: anything unexpected starts afresh (a full re-read dedupes by key). */
export function normalizeSyncState(raw: unknown): SyncState {
  if (!raw || typeof raw !== 'object') return emptySyncState();
  const s = raw as Partial<SyncState>;
  if (s.v !== 1 || !s.ch || typeof s.ch !== 'object') return emptySyncState();
  const ch: Record<string, ChannelTuple> = {};
  for (const [key, tuple] of Object.entries(s.ch)) {
    if (Array.isArray(tuple) && typeof tuple[0] === 'string' && typeof tuple[1] === 'string') ch[key] = [...tuple] as ChannelTuple;
  }
  const out: SyncState = { v: 1, ch };
  if (typeof s.tg === 'string') out.tg = s.tg;
  const cp = s.cp;
  if (cp && typeof cp === 'object' && typeof cp.k === 'string' && typeof cp.r === 'string') out.cp = { ...cp };
  return out;
}

/** Short, stable key of a channel input: '@handle' (lower case), the UC id, or 'u/name'. */
export function channelKey(ref: ChannelRef): string {
  if (ref.kind === 'handle') return `@${ref.handle.toLowerCase()}`;
  if (ref.kind === 'id') return ref.id;
  return `u/${ref.username.toLowerCase()}`;
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Cuts text to at most `maxBytes` UTF-8 bytes, on a character boundary, marking the cut with '…'. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = '';
  for (const ch of text) {
    if (utf8Bytes(out + ch) + 3 > maxBytes) break;
    out += ch;
  }
  return `${out}…`;
}

export function toBase36Seconds(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000).toString(36);
}

export function fromBase36Seconds(text: string | undefined): number | null {
  if (!text) return null;
  const n = parseInt(text, 36);
  return Number.isNaN(n) ? null : n * 1000;
}

/** 32-bit FNV-1a in base 36: a short fingerprint, not a security measure. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function defaultUploadsId(channelId: string): string {
  return `UU${channelId.slice(2)}`;
}

export function uploadsIdOf(tuple: ChannelTuple): string {
  return tuple[5] ?? defaultUploadsId(tuple[0]);
}

/** Trailing undefined entries are dropped so JSON stays short (JSON would write them as null). */
export function compactTuple(tuple: ChannelTuple): ChannelTuple {
  const out = [...tuple];
  while (out.length > 2 && out[out.length - 1] === undefined) out.pop();
  return out.map((v) => (v === undefined ? '' : v)) as ChannelTuple;
}
