/**
 * SyncState: what a job remembers between runs (watermarks, resolved channel ids, one checkpoint),
 * stored by the app as one JSON value.
 *
 * Bounded by design: it holds no text from YouTube or from the user. Channel inputs are stored as a
 * 13-character slot (two 32-bit hashes of the channel key), titles are not stored at all, and every
 * other field is an id or a number whose length is checked before it is kept. So the JSON of the
 * largest possible state — 50 channels, every field at its longest, a checkpoint with the longest page
 * token kept — is at most MAX_SYNC_STATE_BYTES (ASCII only: bytes = characters), whatever the channel
 * handles or titles (CJK, emoji, quotes that JSON escapes). The worst case, field by field:
 *
 *   {"v":2,"tg":"<7>","rf":"<7>","hc":"<7>","ch":{ … },"cp":{ … }}  header ≈ 55
 *   per channel  "<slot 13>":["<id ≤ 32>","<11>","<7>",<flags ≤ 1>,"<uploads ≤ 34>",<count ≤ 10>,"<7>"],
 *                = 16 + 34 + 13 + 9 + 1 + 36 + 10 + 9 + 9 separators = 137; × 50 = 6,850
 *   checkpoint   r ≤ 64, k 13, p ≤ MAX_PAGE_TOKEN (200), w 11, d 7, n ≤ 5 digits, o ≤ 9, f ≤ 2 ≈ 380
 *
 * => at most ~7.3 KB (checked by test/unit/sync/state.test.ts with every field at its maximum), under
 * the 9 KB of a Script Property and far under the 50,000 characters of a sheet cell.
 */
import type { ChannelRef } from '../domain/channels';
import { utf8Length } from '../domain/text';

/**
 * One channel of the job: [channelId, watermarkVideoId, watermarkTime36, flags, uploadsId,
 * videoCount, readAt36]. Empty string: not known. videoCount is the channel's public video count as
 * channels.list reported it BEFORE the last complete read of the channel, and readAt36 when that read
 * began; both are kept only for a read done from the top to its end in one execution (change
 * detection, see run.ts and docs/sync.md).
 */
export type ChannelEntry = [string, string?, string?, number?, string?, number?, string?];

/** Positions in a ChannelEntry. */
export const E_ID = 0;
export const E_WATERMARK = 1;
export const E_WATERMARK_TIME = 2;
export const E_FLAGS = 3;
export const E_UPLOADS = 4;
export const E_COUNT = 5;
export const E_READ_AT = 6;

export interface Checkpoint {
  /** Run that wrote it (a different run resumes it too; only overwrite restarts). */
  r: string;
  /** Slot of the channel being read. */
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
  v: 2;
  /** Fingerprint of spreadsheet + tab + video_filter the watermarks belong to. */
  tg?: string;
  /** Resolved channels by slot (see slotOf). Only the job's current channels are kept. */
  ch: Record<string, ChannelEntry>;
  cp?: Checkpoint;
  /** When the statistics of existing rows were last refreshed (base 36 seconds). */
  rf?: string;
  /** Fingerprint of the columns whose header the tab was last seen with (a change opens the tab first). */
  hc?: string;
}

/** Flag bits of ChannelEntry[E_FLAGS]. */
export const FLAG_FILTERED_PLAYLIST_MISSING = 1;

/** Longest page token kept in a checkpoint; a longer one restarts the channel from the top on resume. */
export const MAX_PAGE_TOKEN = 200;
/** Longest run id kept as is; longer ones are kept as a fingerprint. */
export const MAX_RUN_TAG = 64;
/** Upper bound of the stored JSON of any state (see the module comment and its test). */
export const MAX_SYNC_STATE_BYTES = 7_500;

// Real channel ids are 'UC' + 22 characters; a little slack is tolerated, and counted in the bound.
const CHANNEL_ID_RE = /^UC[\w-]{10,30}$/;
const VIDEO_ID_RE = /^[\w-]{11}$/;
const PLAYLIST_ID_RE = /^[\w-]{2,34}$/;
const TIME36_RE = /^[0-9a-z]{1,7}$/;
const MAX_COUNT = 9_999_999_999;

export function emptySyncState(): SyncState {
  return { v: 2, ch: {} };
}

export const isChannelId = (text: unknown): text is string => typeof text === 'string' && CHANNEL_ID_RE.test(text);
export const isVideoId = (text: unknown): text is string => typeof text === 'string' && VIDEO_ID_RE.test(text);
export const isPlaylistId = (text: unknown): text is string => typeof text === 'string' && PLAYLIST_ID_RE.test(text);
const isTime36 = (text: unknown): text is string => typeof text === 'string' && TIME36_RE.test(text);

/** A video count as stored: a whole number, capped so that it stays ≤ 10 digits. */
export function storedCount(count: number | null | undefined): number | undefined {
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) return undefined;
  return Math.min(Math.floor(count), MAX_COUNT);
}

/** Keeps only well-formed fields of an entry (anything else is dropped, which costs at most a re-read). */
function cleanEntry(raw: readonly unknown[]): ChannelEntry | null {
  if (!isChannelId(raw[E_ID])) return null;
  const e: ChannelEntry = [raw[E_ID]];
  if (isVideoId(raw[E_WATERMARK])) e[E_WATERMARK] = raw[E_WATERMARK];
  if (isTime36(raw[E_WATERMARK_TIME])) e[E_WATERMARK_TIME] = raw[E_WATERMARK_TIME];
  const flags = raw[E_FLAGS];
  if (typeof flags === 'number' && flags > 0 && flags <= FLAG_FILTERED_PLAYLIST_MISSING) e[E_FLAGS] = flags;
  if (isPlaylistId(raw[E_UPLOADS]) && raw[E_UPLOADS] !== defaultUploadsId(e[E_ID])) e[E_UPLOADS] = raw[E_UPLOADS];
  const count = storedCount(raw[E_COUNT] as number);
  if (count !== undefined) e[E_COUNT] = count;
  if (isTime36(raw[E_READ_AT])) e[E_READ_AT] = raw[E_READ_AT];
  return compactEntry(e);
}

/**
 * Reads a stored state defensively: anything unexpected is dropped (a full re-read dedupes by key).
 * Version 1 states (keyed by channel key, with titles) are converted, watermarks kept.
 */
export function normalizeSyncState(raw: unknown): SyncState {
  if (!raw || typeof raw !== 'object') return emptySyncState();
  const s = raw as { v?: unknown; tg?: unknown; ch?: unknown; cp?: unknown; rf?: unknown };
  if ((s.v !== 1 && s.v !== 2) || !s.ch || typeof s.ch !== 'object') return emptySyncState();
  const v1 = s.v === 1;
  const ch: Record<string, ChannelEntry> = {};
  for (const [key, tuple] of Object.entries(s.ch as Record<string, unknown>)) {
    if (!Array.isArray(tuple)) continue;
    // v1: [channelId, title, watermark, time36, flags, uploadsId] keyed by channel key.
    const fields = v1 ? [tuple[0], tuple[2], tuple[3], tuple[4], tuple[5]] : tuple;
    const entry = cleanEntry(fields);
    if (entry) ch[v1 ? slotOf(key) : key] = entry;
  }
  const out: SyncState = { v: 2, ch };
  if (typeof s.tg === 'string' && s.tg.length <= 8) out.tg = s.tg;
  if (isTime36(s.rf)) out.rf = s.rf;
  if (typeof (s as { hc?: unknown }).hc === 'string' && (s as { hc: string }).hc.length <= 8) out.hc = (s as { hc: string }).hc;
  const cp = s.cp as Partial<Checkpoint> | undefined;
  if (cp && typeof cp === 'object' && typeof cp.k === 'string' && typeof cp.r === 'string') {
    const k = v1 ? slotOf(cp.k) : cp.k;
    const c: Checkpoint = { r: runTag(cp.r), k, p: typeof cp.p === 'string' && cp.p.length <= MAX_PAGE_TOKEN ? cp.p : null, n: 0, o: 0 };
    // A checkpoint without its page token restarts the channel: its progress restarts with it.
    if (c.p !== null || cp.p === null) {
      if (isVideoId(cp.w)) c.w = cp.w;
      if (isTime36(cp.d)) c.d = cp.d;
      c.n = smallInt(cp.n);
    }
    c.o = smallInt(cp.o);
    if (smallInt(cp.f) > 0) c.f = smallInt(cp.f);
    if (k.length <= 16) out.cp = c;
  }
  return out;
}

function smallInt(n: unknown): number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 1e9 ? n : 0;
}

/** Short, stable key of a channel input: '@handle' (lower case), the UC id, or 'u/name'. */
export function channelKey(ref: ChannelRef): string {
  if (ref.kind === 'handle') return `@${ref.handle.toLowerCase()}`;
  if (ref.kind === 'id') return ref.id;
  return `u/${ref.username.toLowerCase()}`;
}

/**
 * The state's slot of a channel key: two independent 32-bit FNV-1a hashes in base 36 (13 characters
 * at most), so a 30-character CJK handle takes as little room as an ASCII one. Two keys of one job
 * sharing a slot (odds about 1 in 10^16 for 50 channels) are told apart by assignSlots.
 */
export function slotOf(key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x0100019d) >>> 0;
  }
  return `${a.toString(36)}.${b.toString(36)}`.slice(0, 13);
}

/** Slots of the job's channel keys, in order; a (never yet seen) collision gets a rehashed slot. */
export function assignSlots(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const key of keys) {
    if (out.has(key)) continue;
    let slot = slotOf(key);
    for (let n = 1; used.has(slot); n++) slot = slotOf(`${key}\u0000${n}`);
    used.add(slot);
    out.set(key, slot);
  }
  return out;
}

/** The run id as a checkpoint keeps it: itself, or its fingerprint when unusually long. */
export function runTag(runId: string): string {
  return runId.length <= MAX_RUN_TAG ? runId : `#${fingerprint(runId)}`;
}

/** Cuts text so that `size` of it (summed per character) is at most `maxBytes`, marking a cut with '…' (3 bytes). */
function cutTo(text: string, maxBytes: number, size: (ch: string) => number): string {
  let total = 0;
  for (const ch of text) total += size(ch);
  if (total <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const s = size(ch);
    if (used + s + 3 > maxBytes) break;
    out += ch;
    used += s;
  }
  return `${out}…`;
}

/** Cuts text to at most `maxBytes` UTF-8 bytes, on a character boundary, marking the cut with '…'. */
export function truncateUtf8(text: string, maxBytes: number): string {
  return cutTo(text, maxBytes, utf8Length);
}

/**
 * Cuts text so that its JSON string form (quotes excluded) takes at most `maxBytes` UTF-8 bytes:
 * quotes, backslashes and control characters count as JSON writes them. Marks a cut with '…'.
 */
export function truncateJson(text: string, maxBytes: number): string {
  return cutTo(text, maxBytes, (ch) => utf8Length(JSON.stringify(ch)) - 2);
}

export function toBase36Seconds(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms < 0 ? undefined : Math.floor(ms / 1000).toString(36);
}

export function msToBase36(ms: number): string {
  return Math.max(0, Math.floor(ms / 1000)).toString(36);
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

export function uploadsIdOf(entry: ChannelEntry): string {
  return entry[E_UPLOADS] || defaultUploadsId(entry[E_ID]);
}

/** Trailing empty entries are dropped and inner ones written as '' so JSON stays short. */
export function compactEntry(entry: ChannelEntry): ChannelEntry {
  const out: unknown[] = [...entry];
  while (out.length > 1 && (out[out.length - 1] === undefined || out[out.length - 1] === '')) out.pop();
  return out.map((v) => (v === undefined ? '' : v)) as ChannelEntry;
}
