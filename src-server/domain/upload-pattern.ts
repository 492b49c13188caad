/**
 * A channel's upload pattern from the publish times of its videos: when in the week it uploads (day ×
 * hour, in a given IANA zone, so DST moves nothing a local schedule would not move), how often, and
 * how regular it is. Publish times are kept compactly (encodeUploads) in the job's state and cache;
 * everything here is pure and takes `now` as an argument. docs/insights.md explains the measures.
 */
import { wallMsAt } from './timezone';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Uploads older than this play no part in a pattern: channels change their habits. */
export const PATTERN_LOOKBACK_DAYS = 182;
/** At most this many of the newest uploads make a pattern. */
export const PATTERN_MAX_UPLOADS = 100;
/** Fewer uploads than this in the lookback: no pattern can be told. */
export const MIN_PATTERN_UPLOADS = 4;

export const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

// ---------------------------------------------------------------- compact storage

/**
 * Publish times -> "<newest minute>.<gap>.<gap>…" in base 36 (minutes since 1970, then the gaps to
 * each older upload): about 4 characters an upload. Newest first, duplicates dropped, at most `cap`.
 */
export function encodeUploads(times: readonly number[], cap: number): string {
  const minutes = [...new Set(times.filter((t) => Number.isFinite(t)).map((t) => Math.floor(t / MINUTE_MS)))]
    .sort((a, b) => b - a)
    .slice(0, Math.max(0, cap));
  if (minutes.length === 0) return '';
  const parts = [minutes[0]!.toString(36)];
  for (let i = 1; i < minutes.length; i++) parts.push((minutes[i - 1]! - minutes[i]!).toString(36));
  return parts.join('.');
}

/** The publish times (ms, newest first) of an encodeUploads string; '' or damage gives []. */
export function decodeUploads(text: string | null | undefined): number[] {
  if (!text) return [];
  const parts = text.split('.');
  const out: number[] = [];
  let current = parseInt(parts[0]!, 36);
  if (!Number.isFinite(current)) return [];
  out.push(current * MINUTE_MS);
  for (let i = 1; i < parts.length; i++) {
    const gap = parseInt(parts[i]!, 36);
    if (!Number.isFinite(gap) || gap < 0) break;
    current -= gap;
    out.push(current * MINUTE_MS);
  }
  return out;
}

/** Known and newly seen publish times, merged (newest first, at most `cap`). */
export function mergeUploads(stored: string | null | undefined, seen: readonly number[], cap: number): string {
  return encodeUploads([...decodeUploads(stored), ...seen], cap);
}

// ---------------------------------------------------------------- local time

/** Weekday (0 = Sunday) and minute of the day of an instant in a zone. */
export function localSlot(timeZone: string, ms: number): { day: number; minute: number } {
  const wall = wallMsAt(timeZone, ms);
  const dayNo = Math.floor(wall / DAY_MS);
  return { day: (((dayNo + 4) % 7) + 7) % 7, minute: Math.floor((wall - dayNo * DAY_MS) / MINUTE_MS) };
}

/** The uploads a pattern is made of: the newest, within the lookback, none in the future. */
export function recentUploads(times: readonly number[], nowMs: number, max = PATTERN_MAX_UPLOADS): number[] {
  const since = nowMs - PATTERN_LOOKBACK_DAYS * DAY_MS;
  return times
    .filter((t) => t <= nowMs && t >= since)
    .sort((a, b) => b - a)
    .slice(0, max);
}

// ---------------------------------------------------------------- the pattern

export interface UploadPattern {
  /** Uploads the pattern is made of. */
  uploads: number;
  /** Counts by local weekday (0 = Sunday) and hour: heatmap[day][hour]. */
  heatmap: number[][];
  /** Uploads per week over the span they cover. */
  perWeek: number;
  /**
   * 0..1: the share of uploads that fall in the channel's busiest day-hour cells (twice as many cells
   * as it uploads per week), less what chance would put there; 0 = no better than chance.
   */
  regularity: number;
  /** Days (0 = Sunday) holding 90 % of the uploads; all seven for a channel without favourite days. */
  days: number[];
  /** The shortest hour range (local, [from, to) with to ≤ from + 24) holding 80 % of them; null: no such range under 12 h. */
  hours: [number, number] | null;
  lastUploadMs: number | null;
  /** Median time between consecutive uploads. */
  medianGapMs: number | null;
  /** "mostly Tue and Thu 16:00–18:00"; "no upload in the last 26 weeks". */
  summary: string;
}

function hh(hour: number): string {
  return `${String(hour % 24).padStart(2, '0')}:00`;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Gaps between consecutive uploads (newest first in), ascending. */
export function uploadGaps(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => b - a);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i - 1]! - sorted[i]!);
  return gaps.sort((a, b) => a - b);
}

export function listDays(days: readonly number[]): string {
  const names = days.map((d) => DAY_SHORT[d]!);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The pattern of a channel's uploads (any order) in `timeZone`, as of `nowMs`. */
export function uploadPattern(times: readonly number[], timeZone: string, nowMs: number): UploadPattern {
  const recent = recentUploads(times, nowMs);
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const dayCounts = new Array<number>(7).fill(0);
  for (const t of recent) {
    const { day, minute } = localSlot(timeZone, t);
    heatmap[day]![Math.floor(minute / 60)]! += 1;
    dayCounts[day]! += 1;
  }
  const n = recent.length;
  const last = times.length ? Math.max(...times.filter((t) => t <= nowMs), -Infinity) : -Infinity;
  const lastUploadMs = Number.isFinite(last) ? last : null;
  const gaps = uploadGaps(recent);
  const base = { uploads: n, heatmap, lastUploadMs, medianGapMs: median(gaps) };
  if (n < MIN_PATTERN_UPLOADS) {
    const summary =
      n === 0
        ? `no upload in the last ${Math.round(PATTERN_LOOKBACK_DAYS / 7)} weeks`
        : `only ${n} upload${n === 1 ? '' : 's'} in the last ${Math.round(PATTERN_LOOKBACK_DAYS / 7)} weeks`;
    return { ...base, perWeek: n / (PATTERN_LOOKBACK_DAYS / 7), regularity: 0, days: [], hours: null, summary };
  }
  const spanMs = Math.max(WEEK_MS, nowMs - recent[recent.length - 1]!);
  const perWeek = n / (spanMs / WEEK_MS);

  const cells = heatmap.flat().sort((a, b) => b - a);
  const k = Math.min(84, Math.max(1, Math.round(2 * perWeek)));
  const share = cells.slice(0, k).reduce((s, c) => s + c, 0) / n;
  const chance = k / 168;
  const regularity = Math.max(0, Math.min(1, (share - chance) / (1 - chance)));

  const byCount = [0, 1, 2, 3, 4, 5, 6].sort((a, b) => dayCounts[b]! - dayCounts[a]! || a - b);
  const days: number[] = [];
  let covered = 0;
  for (const d of byCount) {
    if (covered >= 0.9 * n) break;
    days.push(d);
    covered += dayCounts[d]!;
  }
  days.sort((a, b) => a - b);

  const hourCounts = new Array<number>(24).fill(0);
  for (const d of days) for (let h = 0; h < 24; h++) hourCounts[h]! += heatmap[d]![h]!;
  const inDays = hourCounts.reduce((s, c) => s + c, 0);
  let hours: [number, number] | null = null;
  for (let len = 1; len < 12 && !hours; len++) {
    let best = -1;
    let bestFrom = 0;
    for (let from = 0; from < 24; from++) {
      let sum = 0;
      for (let i = 0; i < len; i++) sum += hourCounts[(from + i) % 24]!;
      if (sum > best) {
        best = sum;
        bestFrom = from;
      }
    }
    if (best >= 0.8 * inDays) hours = [bestFrom, bestFrom + len];
  }
  const dayText = days.length >= 6 ? 'every day' : listDays(days);
  const hourText = hours ? `${hh(hours[0])}–${hh(hours[1])}` : 'at varying hours';
  let summary = regularity < 0.25 && !hours ? `irregularly, about ${formatRate(perWeek)}` : `mostly ${dayText} ${hourText}`;
  const quietMs = lastUploadMs === null ? 0 : nowMs - lastUploadMs;
  if (base.medianGapMs !== null && quietMs > Math.max(4 * base.medianGapMs, 14 * DAY_MS))
    summary += `, none for ${Math.round(quietMs / DAY_MS)} days`;
  return { ...base, perWeek, regularity, days, hours, summary };
}

/** "3 a week", "2 a day", "1 every 2 weeks". */
export function formatRate(perWeek: number): string {
  if (perWeek >= 14) return `${Math.round(perWeek / 7)} a day`;
  if (perWeek >= 0.95) return `${Math.round(perWeek)} a week`;
  if (perWeek <= 0) return 'none';
  return `1 every ${Math.max(2, Math.round(1 / perWeek))} weeks`;
}

/** Heatmaps added cell by cell (a job's channels together). */
export function addHeatmaps(maps: readonly number[][][]): number[][] {
  const out = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const m of maps) for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) out[d]![h]! += m[d]?.[h] ?? 0;
  return out;
}

/** "New York time" for America/New_York, "UTC" for UTC. */
export function zoneLabel(timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const city = timeZone.split('/').pop() ?? timeZone;
  return `${city.replace(/_/g, ' ')} time`;
}

export { HOUR_MS, DAY_MS, WEEK_MS, MINUTE_MS };
