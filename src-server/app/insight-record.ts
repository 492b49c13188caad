/**
 * What a job remembers for schedule intelligence (JobState.insight) and the pure step that updates
 * it when a run's execution is recorded: publish times per channel (upload patterns), the freshness
 * digest, the last runs' units and durations, and the anomalies found. Bounded: a few hundred bytes
 * per channel at most and JOB_UPLOADS_KEPT publish times a job (docs/insights.md).
 */
import { freshnessAnomaly, pushRun, runAnomalies, silenceAnomaly, type Anomaly, type RunHistory } from '../domain/anomalies';
import { addDelays, pruneDigest, runDelays, type FreshnessDigest } from '../domain/freshness';
import { decodeUploads, mergeUploads } from '../domain/upload-pattern';
import type { PublishedVideo } from '../sync';
import type { RunDto } from './contract';

/** Publish times kept per job, shared among its channels (at least 12, at most 60 each). */
export const JOB_UPLOADS_KEPT = 240;
export const MAX_ANOMALIES = 10;

export interface JobInsight {
  /** Publish times per channel (as the job names it), encodeUploads form. */
  up?: Record<string, string>;
  fr?: FreshnessDigest;
  /** The last runs: [units, seconds]. */
  rh?: RunHistory;
  /** Start of the last run that read the channels to its end (freshness counts videos after it). */
  ls?: string;
  /** Anomalies found at the last run. */
  an?: Anomaly[];
  /** Keys of anomalies already mailed (so each is mailed once). */
  ml?: string[];
}

export function uploadsCap(channelCount: number): number {
  return Math.max(12, Math.min(60, Math.floor(JOB_UPLOADS_KEPT / Math.max(1, channelCount))));
}

/**
 * One execution's contribution: publish times of what it read, and the delays of the videos it
 * added that were published after the previous complete run began.
 */
export function observeExecution(
  insight: JobInsight | undefined,
  channels: readonly string[],
  published: readonly PublishedVideo[] | undefined,
  writtenAtMs: number,
): JobInsight {
  const next: JobInsight = { ...(insight ?? {}) };
  const list = published ?? [];
  const cap = uploadsCap(channels.length);
  const up: Record<string, string> = {};
  for (const channel of channels) {
    const seen = list.filter((p) => p.channel === channel).map((p) => p.publishedMs);
    const merged = mergeUploads(insight?.up?.[channel], seen, cap);
    if (merged) up[channel] = merged;
  }
  next.up = up;
  const since = insight?.ls ? Date.parse(insight.ls) : null;
  const delays = runDelays(
    list.filter((p) => p.added).map((p) => p.publishedMs),
    writtenAtMs,
    since !== null && !Number.isNaN(since) ? since : null,
  );
  next.fr = addDelays(insight?.fr, delays, writtenAtMs);
  if (next.fr.length === 0) delete next.fr;
  return next;
}

/**
 * A run ended: its units and duration join the history, the anomaly rules run, and `fresh` lists
 * the anomalies not mailed yet. A run that did not read its channels to the end (failed, deferred)
 * does not move the freshness mark nor the run history.
 */
export function observeRunEnd(
  insight: JobInsight | undefined,
  channels: readonly string[],
  labels: Record<string, string>,
  row: RunDto,
  nowMs: number,
): { insight: JobInsight; fresh: Anomaly[] } {
  const next: JobInsight = { ...(insight ?? {}) };
  const at = new Date(nowMs).toISOString();
  const found: Anomaly[] = [];
  const completed = row.status === 'succeeded' || row.status === 'partial';
  if (completed) {
    const seconds = (row.duration_ms ?? 0) / 1000;
    found.push(...runAnomalies(insight?.rh, row.quota_units, seconds, row.run_id, at));
    next.rh = pushRun(insight?.rh, row.quota_units, seconds);
    if (row.started_at) next.ls = row.started_at;
  }
  for (const channel of channels) {
    const silent = silenceAnomaly(labels[channel] ?? channel, decodeUploads(next.up?.[channel]), nowMs, at);
    if (silent) found.push(silent);
  }
  const fr = freshnessAnomaly(next.fr, nowMs, at);
  if (fr) found.push(fr);
  if (next.fr) next.fr = pruneDigest(next.fr, nowMs);
  // Run anomalies describe one run: they stay until a later run ends; the others while they hold.
  const previous = new Map((insight?.an ?? []).map((a) => [a.key, a]));
  next.an = found.map((a) => previous.get(a.key) ?? a).slice(0, MAX_ANOMALIES);
  if (next.an.length === 0) delete next.an;
  const current = new Set(found.map((a) => a.key));
  const mailed = (insight?.ml ?? []).filter((k) => current.has(k));
  if (mailed.length) next.ml = mailed;
  else delete next.ml;
  return { insight: next, fresh: found.filter((a) => !mailed.includes(a.key)) };
}

/** Remembers that these anomalies were mailed. */
export function markMailed(insight: JobInsight, anomalies: readonly Anomaly[]): JobInsight {
  return { ...insight, ml: [...new Set([...(insight.ml ?? []), ...anomalies.map((a) => a.key)])].slice(-MAX_ANOMALIES * 2) };
}
