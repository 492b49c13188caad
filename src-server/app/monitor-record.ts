/**
 * The monitor's cached record: one entry of the Cache port holding everything the sidebar monitor shows
 * (runs in progress, quota, the 24 h figures), so that a poll costs one cache read instead of an
 * execution that reads the store and the run log.
 *
 * - Runs write their progress into it as they go (reportProgress, the runner's one call site).
 * - The store part (quota, 24 h figures) is rebuilt from the store when the record is missing (the
 *   cache may evict it any time: it is never the only copy), when it passes `valid_until` (at most
 *   MONITOR_RECORD_MAX_AGE_MS, earlier when a run leaves the 24 h window or the quota day ends), or
 *   after a change invalidated it (a run recorded, a tick that ran something, settings saved).
 * - Progress entries are trusted for PROGRESS_TRUST_MS after their last write; an older one is
 *   checked against the store (the run's record) on the next read, so an entry lost or left behind by
 *   two executions writing the record at once never lingers.
 * Writers do read-modify-write without a lock (progress must not wait for the script lock); the
 * rules above bound what a lost write can cost: a few seconds of stale progress.
 */
import type { Cache } from '../ports';
import type { MonitorDto, MonitorProblemRunDto, MonitorWindowDto } from './contract';

/** A run in progress as the monitor shows it. */
export interface MonitorProgress {
  job_id: string;
  job_name: string;
  run_id: string;
  started_at: string;
  processed: number;
  expected: number | null;
  phase: string;
}

/** Versioned: a record of an older shape is never read as this one. */
export const MONITOR_RECORD_KEY = 'y2s:monitor:v3';
/** How long the store part of the record is used without a rebuild. */
export const MONITOR_RECORD_MAX_AGE_MS = 5 * 60_000;
/** A progress entry older than this is confirmed against the store before it is shown again. */
export const PROGRESS_TRUST_MS = 20_000;
/** The cache keeps entries at most 6 hours; validity is decided by the record's own fields. */
const RECORD_TTL_SECONDS = 21_600;
/** More runs than this at once cannot happen (about 30 simultaneous executions per user). */
const MAX_ENTRIES = 60;

export interface MonitorEntry extends MonitorProgress {
  /** When this entry was last written or confirmed (ISO). */
  updated_at: string;
}

export interface MonitorRecord {
  v: 3;
  /** Epoch ms until which quota, last_24h and recent_problems stand; 0 when they must be rebuilt. */
  valid_until: number;
  quota: MonitorDto['quota'] | null;
  last_24h: MonitorWindowDto | null;
  recent_problems: MonitorProblemRunDto[];
  running: MonitorEntry[];
  /** The daily limits with the day's projection, from the last rebuild. */
  limits?: MonitorDto['limits'];
}

export function emptyMonitorRecord(): MonitorRecord {
  return { v: 3, valid_until: 0, quota: null, last_24h: null, recent_problems: [], running: [] };
}

/** The record, or null when it is missing or damaged. */
export function readMonitorRecord(cache: Cache): MonitorRecord | null {
  const text = cache.get(MONITOR_RECORD_KEY);
  if (!text) return null;
  try {
    const rec = JSON.parse(text) as Partial<MonitorRecord>;
    if (rec.v !== 3 || typeof rec.valid_until !== 'number' || !Array.isArray(rec.running) || !Array.isArray(rec.recent_problems))
      return null;
    return rec as MonitorRecord;
  } catch {
    return null;
  }
}

export function writeMonitorRecord(cache: Cache, rec: MonitorRecord): void {
  const trimmed = rec.running.length > MAX_ENTRIES ? { ...rec, running: rec.running.slice(-MAX_ENTRIES) } : rec;
  cache.put(MONITOR_RECORD_KEY, JSON.stringify(trimmed), RECORD_TTL_SECONDS);
}

/**
 * A run's progress (or null once the run left the monitor) into the record. Best effort: a cache
 * failure never fails a run.
 */
export function reportProgress(cache: Cache, runId: string, progress: MonitorProgress | null, nowMs: number): void {
  try {
    const rec = readMonitorRecord(cache) ?? emptyMonitorRecord();
    const running = rec.running.filter((e) => e.run_id !== runId);
    if (progress) running.push({ ...progress, updated_at: new Date(nowMs).toISOString() });
    writeMonitorRecord(cache, { ...rec, running });
  } catch {
    // The monitor is best effort.
  }
}

/** Marks the store part stale (keeping progress entries, which other executions may be writing). */
export function invalidateMonitorRecord(cache: Cache): void {
  try {
    const rec = readMonitorRecord(cache);
    if (rec && rec.valid_until !== 0) writeMonitorRecord(cache, { ...rec, valid_until: 0 });
  } catch {
    // best effort
  }
}

/** The monitor from the record alone, or null when the record cannot answer by itself. */
export function monitorFromRecord(rec: MonitorRecord | null, nowMs: number): MonitorDto | null {
  if (!rec || !rec.quota || !rec.last_24h || nowMs >= rec.valid_until) return null;
  if (rec.running.some((e) => !(nowMs - Date.parse(e.updated_at) <= PROGRESS_TRUST_MS))) return null;
  return {
    now: new Date(nowMs).toISOString(),
    // The monitor lists at most 20 (queries.ts MONITOR_RUNNING); the record holds at most MAX_ENTRIES.
    running: rec.running.slice(0, 20).map(({ updated_at: _updated, ...progress }) => progress),
    running_total: rec.running.length,
    quota: rec.quota,
    last_24h: rec.last_24h,
    recent_problems: rec.recent_problems,
    ...(rec.limits ? { limits: rec.limits } : {}),
  };
}

/**
 * Runs in progress after a rebuild: the store says which runs exist (a job's active run); the
 * record adds their live progress. Entries of runs the store no longer has are dropped; the others
 * count as confirmed now.
 */
export function mergeRunning(fromStore: readonly MonitorProgress[], rec: MonitorRecord | null, nowMs: number): MonitorEntry[] {
  const live = new Map((rec?.running ?? []).map((e) => [e.run_id, e]));
  const updated_at = new Date(nowMs).toISOString();
  return fromStore.map((run) => {
    const entry = live.get(run.run_id);
    // The record's entry is newer than the store's totals when it reports at least as much progress.
    const progress = entry && entry.processed >= run.processed ? { ...entry } : run;
    return { ...progress, job_name: run.job_name, updated_at };
  });
}
