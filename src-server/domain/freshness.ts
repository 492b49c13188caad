/**
 * Freshness: how long after a video is published the run that writes it into the sheet ends. Kept per
 * job as a small histogram per 5-day period (never a row per video): 24 bins of delay, six periods,
 * so the window is the last 25–30 days and the digest stays under half a kilobyte. Median and p90 are
 * read from the bins by linear interpolation inside the bin where the rank falls.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Upper edges of the delay bins, in minutes; the last bin is open ended. */
export const FRESHNESS_BIN_EDGES = [
  2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880, 4320, 7200, 10080, 20160,
] as const;
export const FRESHNESS_BINS = FRESHNESS_BIN_EDGES.length + 1;
export const PERIOD_DAYS = 5;
/** Periods kept: the current one and five before it (25–30 days). */
export const PERIODS_KEPT = 6;
export const FRESHNESS_WINDOW_DAYS = PERIOD_DAYS * PERIODS_KEPT;

/** [period number, counts by bin (trailing zeros dropped)], oldest first. */
export type FreshnessDigest = [number, number[]][];

export interface FreshnessSummary {
  samples: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export function periodOf(ms: number): number {
  return Math.floor(ms / (PERIOD_DAYS * DAY_MS));
}

export function binOf(minutes: number): number {
  for (let i = 0; i < FRESHNESS_BIN_EDGES.length; i++) if (minutes < FRESHNESS_BIN_EDGES[i]!) return i;
  return FRESHNESS_BIN_EDGES.length;
}

function trim(counts: number[]): number[] {
  const out = [...counts];
  while (out.length > 0 && out[out.length - 1] === 0) out.pop();
  return out;
}

/** Drops periods that left the window, and damaged entries. */
export function pruneDigest(digest: FreshnessDigest | null | undefined, nowMs: number): FreshnessDigest {
  const oldest = periodOf(nowMs) - (PERIODS_KEPT - 1);
  if (!Array.isArray(digest)) return [];
  return digest.filter(
    (e) => Array.isArray(e) && typeof e[0] === 'number' && Array.isArray(e[1]) && e[0] >= oldest && e[0] <= periodOf(nowMs),
  );
}

/** Adds the delays (ms) of the videos a run wrote at `atMs`. */
export function addDelays(digest: FreshnessDigest | null | undefined, delaysMs: readonly number[], atMs: number): FreshnessDigest {
  const out = pruneDigest(digest, atMs).map(([p, c]) => [p, [...c]] as [number, number[]]);
  if (delaysMs.length === 0) return out;
  const period = periodOf(atMs);
  let entry = out.find((e) => e[0] === period);
  if (!entry) {
    entry = [period, []];
    out.push(entry);
    out.sort((a, b) => a[0] - b[0]);
  }
  const counts = entry[1];
  for (const d of delaysMs) {
    const bin = binOf(Math.max(0, d) / MINUTE_MS);
    while (counts.length <= bin) counts.push(0);
    counts[bin]! += 1;
  }
  entry[1] = trim(counts);
  return out;
}

function totals(entries: FreshnessDigest): number[] {
  const sum = new Array<number>(FRESHNESS_BINS).fill(0);
  for (const [, counts] of entries) counts.forEach((c, i) => (sum[i]! += c));
  return sum;
}

function quantile(bins: readonly number[], q: number): number | null {
  const n = bins.reduce((s, c) => s + c, 0);
  if (n === 0) return null;
  const rank = q * n;
  let before = 0;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i]!;
    if (c > 0 && before + c >= rank) {
      const lo = i === 0 ? 0 : FRESHNESS_BIN_EDGES[i - 1]!;
      const hi = i < FRESHNESS_BIN_EDGES.length ? FRESHNESS_BIN_EDGES[i]! : lo * 2;
      return Math.round(lo + ((rank - before) / c) * (hi - lo));
    }
    before += c;
  }
  return null;
}

/** Median and p90 over the periods from `fromPeriod` on (default: the whole window). */
export function summarizeFreshness(
  digest: FreshnessDigest | null | undefined,
  nowMs: number,
  fromPeriod = -Infinity,
  toPeriod = Infinity,
): FreshnessSummary {
  const entries = pruneDigest(digest, nowMs).filter(([p]) => p >= fromPeriod && p <= toPeriod);
  const bins = totals(entries);
  const samples = bins.reduce((s, c) => s + c, 0);
  return { samples, medianMinutes: quantile(bins, 0.5), p90Minutes: quantile(bins, 0.9) };
}

/**
 * The delays a run's execution contributes: videos it added that were published after the previous
 * run that read the channels began (older ones are a backfill, not a measure of the schedule).
 */
export function runDelays(addedPublishMs: readonly number[], writtenAtMs: number, previousRunStartMs: number | null): number[] {
  if (previousRunStartMs === null) return [];
  return addedPublishMs.filter((p) => p > previousRunStartMs && p <= writtenAtMs).map((p) => writtenAtMs - p);
}
