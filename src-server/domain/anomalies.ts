/**
 * Anomalies, each measured against the job's (or channel's) own history, never a global threshold:
 * - channel_silent: a channel that uploaded regularly has gone quiet far beyond its usual gaps;
 * - run_units / run_duration: a run cost far more YouTube units, or took far longer, than the job's
 *   recent runs;
 * - freshness: videos reach the sheet much later than they used to.
 * Rules and thresholds are documented in docs/insights.md.
 */
import { summarizeFreshness, periodOf, type FreshnessDigest } from './freshness';
import { formatDelay } from './schedule-suggest';
import { recentUploads, uploadGaps } from './upload-pattern';

const DAY_MS = 86_400_000;

export const ANOMALY_KINDS = ['channel_silent', 'run_units', 'run_duration', 'freshness'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Anomaly {
  kind: AnomalyKind;
  /** Stable for one occurrence of the anomaly (a mail is sent once per key). */
  key: string;
  /** ISO instant it was found. */
  at: string;
  message: string;
}

/** Runs remembered per job for the run rules: [units, duration in seconds], oldest first. */
export type RunHistory = [number, number][];
export const RUN_HISTORY_KEPT = 20;
/** Runs needed before a run can be called unusual. */
export const MIN_RUN_HISTORY = 5;
export const MIN_SILENCE_UPLOADS = 6;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function pushRun(history: RunHistory | null | undefined, units: number, durationSeconds: number): RunHistory {
  const list = Array.isArray(history) ? history.filter((e) => Array.isArray(e) && e.length === 2) : [];
  return [...list, [Math.max(0, Math.round(units)), Math.max(0, Math.round(durationSeconds))] as [number, number]].slice(-RUN_HISTORY_KEPT);
}

/**
 * The run rules, judged against the runs before it: units above max(3 × median, median + 10), or a
 * duration above max(3 × median, median + 60 s).
 */
export function runAnomalies(
  before: RunHistory | null | undefined,
  units: number,
  durationSeconds: number,
  runId: string,
  atIso: string,
): Anomaly[] {
  const history = Array.isArray(before) ? before : [];
  if (history.length < MIN_RUN_HISTORY) return [];
  const out: Anomaly[] = [];
  const mu = median(history.map((h) => h[0]));
  if (units > Math.max(3 * mu, mu + 10)) {
    out.push({
      kind: 'run_units',
      key: `units:${runId}`,
      at: atIso,
      message: `A run used ${units} YouTube units; the job's last ${history.length} runs used ${mu} (median).`,
    });
  }
  const md = median(history.map((h) => h[1]));
  if (durationSeconds > Math.max(3 * md, md + 60)) {
    out.push({
      kind: 'run_duration',
      key: `duration:${runId}`,
      at: atIso,
      message: `A run took ${Math.round(durationSeconds)} s; the job's last ${history.length} runs took ${md} s (median).`,
    });
  }
  return out;
}

/**
 * A channel is silent when it has not uploaded for longer than max(4 × its median gap, 2 × its
 * longest usual gap (p90), 2 days), judged on its last uploads (at least MIN_SILENCE_UPLOADS).
 */
export function silenceAnomaly(label: string, uploads: readonly number[], nowMs: number, atIso: string): Anomaly | null {
  const recent = recentUploads(uploads, nowMs, 30);
  if (recent.length < MIN_SILENCE_UPLOADS) return null;
  const gaps = uploadGaps(recent);
  const med = median(gaps);
  const p90 = gaps[Math.min(gaps.length - 1, Math.ceil(0.9 * gaps.length) - 1)]!;
  const limit = Math.max(4 * med, 2 * p90, 2 * DAY_MS);
  const last = recent[0]!;
  const quiet = nowMs - last;
  if (quiet <= limit) return null;
  return {
    kind: 'channel_silent',
    key: `silent:${label}:${last}`,
    at: atIso,
    message: `${label} has not uploaded for ${formatDelay(quiet / 60_000)}; it usually uploads every ${formatDelay(med / 60_000)} (its usual longest gap: ${formatDelay(p90 / 60_000)}).`,
  };
}

/**
 * Freshness degrades when the p90 delay of the last two periods (5–10 days) exceeds
 * max(2 × the p90 of the periods before, that p90 + 1 h), with enough videos on both sides.
 */
export function freshnessAnomaly(digest: FreshnessDigest | null | undefined, nowMs: number, atIso: string): Anomaly | null {
  const current = periodOf(nowMs);
  const recent = summarizeFreshness(digest, nowMs, current - 1);
  const before = summarizeFreshness(digest, nowMs, -Infinity, current - 2);
  if (recent.samples < 5 || before.samples < 10 || recent.p90Minutes === null || before.p90Minutes === null) return null;
  if (recent.p90Minutes <= Math.max(2 * before.p90Minutes, before.p90Minutes + 60)) return null;
  return {
    kind: 'freshness',
    key: `freshness:${current}`,
    at: atIso,
    message: `Videos now reach the sheet within ${formatDelay(recent.p90Minutes)} (p90, last ${recent.samples} videos), against ${formatDelay(before.p90Minutes)} before.`,
  };
}
