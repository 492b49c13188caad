/** Run statistics over the last 24 h, 7 d and 30 d, per job and overall, from the run history. */
import type { RunDto, WindowStats } from './contract';

const HOUR_MS = 3_600_000;
export const STAT_WINDOWS: { window: WindowStats['window']; ms: number }[] = [
  { window: '24h', ms: 24 * HOUR_MS },
  { window: '7d', ms: 7 * 24 * HOUR_MS },
  { window: '30d', ms: 30 * 24 * HOUR_MS },
];

/**
 * Statuses of runs that executed to an end: succeeded, failed and partial (missed and skipped did no
 * work; a deferred run stopped for the quota and goes on as a retry). A partial run is counted apart and is not a success:
 * the success rate says how many runs did all their work.
 */
export function isExecuted(run: RunDto): boolean {
  return run.status === 'succeeded' || run.status === 'failed' || run.status === 'partial';
}

export function runInstant(run: RunDto): number {
  const text = run.finished_at ?? run.started_at ?? run.scheduled_for;
  return text ? Date.parse(text) : NaN;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

export function windowStats(runs: readonly RunDto[], window: WindowStats['window'], sinceMs: number): WindowStats {
  let count = 0;
  let succeeded = 0;
  let failed = 0;
  let partial = 0;
  let videos = 0;
  let units = 0;
  let refresh = 0;
  const durations: number[] = [];
  for (const run of runs) {
    const at = runInstant(run);
    if (!(at >= sinceMs)) continue;
    // Units and videos count whatever the status: a deferred run may have written rows before it stopped.
    units += run.quota_units;
    refresh += run.refresh_units ?? 0;
    videos += run.videos_added + run.videos_updated;
    if (!isExecuted(run)) continue;
    count++;
    if (run.status === 'succeeded') succeeded++;
    else if (run.status === 'failed') failed++;
    else partial++;
    if (run.duration_ms !== null) durations.push(run.duration_ms);
  }
  durations.sort((a, b) => a - b);
  const mean = durations.length ? durations.reduce((s, d) => s + d, 0) / durations.length : null;
  return {
    window,
    runs: count,
    succeeded,
    failed,
    partial,
    success_rate: count ? succeeded / count : null,
    mean_duration_ms: mean === null ? null : Math.round(mean),
    p95_duration_ms: percentile(durations, 95),
    videos_written: videos,
    quota_units: units,
    refresh_units: refresh,
  };
}

export function allWindows(runs: readonly RunDto[], nowMs: number): WindowStats[] {
  return STAT_WINDOWS.map(({ window, ms }) => windowStats(runs, window, nowMs - ms));
}
