/** Read-side helpers: job DTOs for a loaded snapshot, job detail, calendar grid, monitor. */
import { findConflicts } from '../domain/planner';
import { nextRuns } from '../domain/schedule';
import { wallTimeAt, instantOfWallTime, daysInMonth } from '../domain/timezone';
import { isValidTimeZone } from '../domain/timezone';
import type { JobConfig } from '../domain/job';
import type { CalendarDay, CalendarDto, ConflictWarningDto, JobDetailDto, JobDto, MonitorDto, MonitorProblemRunDto, MonitorWindowDto, RunDto } from './contract';
import { AppError } from './contract';
import { nextRunAt, type AppContext, type Loaded } from './context';
import { readQuota } from './quota';
import { quotaResetAt } from '../sync/quota-day';
import { invalidateMonitorRecord, mergeRunning, monitorFromRecord, MONITOR_RECORD_MAX_AGE_MS, readMonitorRecord, writeMonitorRecord, type MonitorRecord } from './monitor-record';
import { leaseActive, type JobRecord } from './records';
import type { MonitorProgress } from './runner';
import { isExecuted, runInstant, windowStats } from './stats';
import { plannerInputs } from './tick';
import { toJobRow, withScheduleText, type JobRow } from './views';
import { allAnomalies, anomalyDtos, freshnessBoard, freshnessDto } from './insights';

/** Every job as a list row (no schedule text: see withScheduleText). */
export function allJobRows(loaded: Loaded, now: Date): JobRow[] {
  return loaded.jobs().map((job) => jobRow(loaded, job, now));
}

function jobRow(loaded: Loaded, job: JobRecord, now: Date): JobRow {
  const state = loaded.state(job.id);
  return toJobRow(job, state, nextRunAt(job, state, now), now.getTime());
}

export function jobDto(loaded: Loaded, job: JobRecord, now: Date): JobDto {
  return withScheduleText(jobRow(loaded, job, now));
}

export function conflictsFor(ctx: AppContext, loaded: Loaded, candidate: { id?: string; config: JobConfig }, now: Date): ConflictWarningDto[] {
  let sheetId = '';
  try {
    sheetId = ctx.deps.spreadsheets.activeSpreadsheetId();
  } catch {
    sheetId = '';
  }
  return findConflicts(candidate, plannerInputs(loaded).jobs, now, 7, { activeSpreadsheetId: sheetId });
}

/** A retry (or a quota-deferred run) the planner will start, when it is still ahead. */
function pendingRetry(retryAt: string | null | undefined, now: Date): string | null {
  return retryAt && Date.parse(retryAt) > now.getTime() ? retryAt : null;
}

export function jobDetail(ctx: AppContext, loaded: Loaded, job: JobRecord, now: Date, runs: readonly RunDto[] | null): JobDetailDto {
  const recent: RunDto[] = [];
  if (runs) {
    for (let i = runs.length - 1; i >= 0 && recent.length < 10; i--) if (runs[i]!.job_id === job.id) recent.push(runs[i]!);
  }
  return {
    ...jobDto(loaded, job, now),
    next_runs: nextRuns(job.config, now, 5, { anchor: new Date(job.created_at) }).map((d) => d.toISOString()),
    pending_retry_at: pendingRetry(loaded.state(job.id).planner.retry_at, now),
    recent_runs: recent,
    conflicts: conflictsFor(ctx, loaded, { id: job.id, config: job.config }, now),
    freshness: freshnessDto(loaded.state(job.id).insight, now.getTime()),
    anomalies: anomalyDtos(job, loaded.state(job.id)),
  };
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MAX_SCHEDULED_PER_JOB = 750;

function localDate(zone: string, ms: number): string {
  const w = wallTimeAt(zone, ms);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** Month grid in the viewer's zone: scheduled occurrences ahead, run history behind. */
export function calendarGrid(loaded: Loaded, runs: readonly RunDto[], month: string, timeZone: string, now: Date): CalendarDto {
  const m = MONTH_RE.exec(month ?? '');
  if (!m) throw new AppError(422, 'validation_failed', 'month: expected YYYY-MM, e.g. 2026-03', [{ path: 'month', message: 'expected YYYY-MM' }]);
  if (!isValidTimeZone(timeZone)) throw new AppError(422, 'validation_failed', 'time_zone: expected an IANA time zone', [{ path: 'time_zone', message: 'unknown time zone' }]);
  const year = Number(m[1]);
  const mon = Number(m[2]);
  const count = daysInMonth(year, mon);
  const startMs = instantOfWallTime(timeZone, { year, month: mon, day: 1, hour: 0, minute: 0 });
  const endMs = instantOfWallTime(timeZone, { year: mon === 12 ? year + 1 : year, month: mon === 12 ? 1 : mon + 1, day: 1, hour: 0, minute: 0 });
  const days = new Map<string, CalendarDay>();
  for (let d = 1; d <= count; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    days.set(date, { date, entries: [], run_count: 0 });
  }
  for (const job of loaded.jobs()) {
    if (!job.config.enabled || job.paused) continue;
    const from = new Date(Math.max(startMs - 1, now.getTime()));
    let cursor = from;
    let taken = 0;
    while (taken < MAX_SCHEDULED_PER_JOB) {
      const batch = nextRuns(job.config, cursor, 50, { anchor: new Date(job.created_at) });
      let done = batch.length < 50;
      for (const at of batch) {
        if (at.getTime() >= endMs) {
          done = true;
          break;
        }
        days.get(localDate(timeZone, at.getTime()))?.entries.push({ job_id: job.id, job_name: job.config.name, at: at.toISOString(), kind: 'scheduled' });
        taken++;
      }
      if (done || batch.length === 0) break;
      cursor = batch[batch.length - 1]!;
    }
  }
  for (const run of runs) {
    const at = run.scheduled_for ?? run.started_at;
    if (!at) continue;
    const t = Date.parse(at);
    if (!(t >= startMs && t < endMs)) continue;
    const day = days.get(localDate(timeZone, t));
    if (!day) continue;
    day.entries.push({ job_id: run.job_id, job_name: run.job_name, at, kind: run.status });
    if (isExecuted(run)) day.run_count++;
  }
  for (const day of days.values()) day.entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { month, time_zone: timeZone, days: [...days.values()] };
}

const MONITOR_WINDOW_MS = 86_400_000;
const MONITOR_PROBLEMS = 5;

interface MonitorSummary {
  last_24h: MonitorWindowDto;
  recent_problems: MonitorProblemRunDto[];
  /** When the 24 h figures next change by time alone: the oldest run in the window leaves it. */
  changes_at: number;
}

/** The 24 h figures: counts as the run statistics count them, and that window's failed and partial runs. */
export function monitorSummary(runs: readonly RunDto[], nowMs: number): MonitorSummary {
  const sinceMs = nowMs - MONITOR_WINDOW_MS;
  const w = windowStats(runs, '24h', sinceMs);
  const problems: { run: RunDto; at: number; order: number }[] = [];
  let changesAt = Number.POSITIVE_INFINITY;
  runs.forEach((run, order) => {
    const at = runInstant(run);
    if (at >= sinceMs && at + MONITOR_WINDOW_MS < changesAt) changesAt = at + MONITOR_WINDOW_MS;
    if (run.status !== 'failed' && run.status !== 'partial') return;
    if (at >= sinceMs) problems.push({ run, at, order });
  });
  // Newest first; the log's order breaks ties (a later row was written later).
  problems.sort((a, b) => b.at - a.at || b.order - a.order);
  return {
    last_24h: { since: new Date(sinceMs).toISOString(), runs: w.runs, succeeded: w.succeeded, failed: w.failed, partial: w.partial, success_rate: w.success_rate },
    recent_problems: problems.slice(0, MONITOR_PROBLEMS).map(({ run, at }) => ({
      run_id: run.run_id,
      job_id: run.job_id,
      job_name: run.job_name,
      status: run.status as MonitorProblemRunDto['status'],
      at: new Date(at).toISOString(),
      error: run.error,
    })),
    changes_at: changesAt,
  };
}

/** Runs in progress as the store knows them: every job with an active run. */
function runningFromStore(loaded: Loaded, nowMs: number): MonitorProgress[] {
  const out: MonitorProgress[] = [];
  for (const job of loaded.jobs()) {
    const state = loaded.state(job.id);
    const active = state.active;
    if (!active) continue;
    out.push({
      job_id: job.id,
      job_name: job.config.name,
      run_id: active.run_id,
      started_at: active.started_at,
      processed: active.processed ?? 0,
      expected: active.expected ?? null,
      phase: leaseActive(state, nowMs) ? 'running' : 'waiting for the next execution',
    });
  }
  return out;
}

/**
 * Monitor, rebuilt from the store (and the run log when the cached 24 h figures are stale), with the
 * live progress of the cached record; the result is cached as the record the next polls read.
 * `cached` is the record when the caller has read it already.
 */
export function monitorView(ctx: AppContext, loaded: Loaded, now: Date, cached?: MonitorRecord | null): MonitorDto {
  const cache = ctx.deps.cache;
  const nowMs = now.getTime();
  let rec: MonitorRecord | null = null;
  try {
    rec = cached === undefined ? readMonitorRecord(cache) : cached;
  } catch {
    rec = null;
  }
  const fresh = rec && rec.last_24h && nowMs < rec.valid_until ? rec : null;
  const summary: MonitorSummary = fresh
    ? { last_24h: fresh.last_24h!, recent_problems: fresh.recent_problems, changes_at: fresh.valid_until }
    : monitorSummary(ctx.logs.runs.all(), nowMs);
  const quota = { used_today: readQuota(loaded.snapshot, now).used, daily_budget: loaded.settings.daily_quota_budget };
  const running = mergeRunning(runningFromStore(loaded, nowMs), rec, nowMs);
  const validUntil = Math.min(nowMs + MONITOR_RECORD_MAX_AGE_MS, quotaResetAt(now).getTime(), summary.changes_at);
  try {
    writeMonitorRecord(cache, { v: 3, valid_until: validUntil, quota, last_24h: summary.last_24h, recent_problems: summary.recent_problems, running });
  } catch {
    // best effort: the next poll rebuilds
  }
  return {
    now: now.toISOString(),
    running: running.map(({ updated_at: _updated, ...progress }) => progress),
    quota,
    last_24h: summary.last_24h,
    recent_problems: summary.recent_problems,
    freshness: freshnessBoard(loaded, now.getTime()),
    anomalies: allAnomalies(loaded).slice(0, 5),
  };
}

/** The monitor for a poll: one cache read when the record can answer, else rebuilt from the store. */
export function monitorPoll(ctx: AppContext, load: () => Loaded, now: Date): MonitorDto {
  let rec: MonitorRecord | null = null;
  try {
    rec = readMonitorRecord(ctx.deps.cache);
  } catch {
    rec = null;
  }
  return monitorFromRecord(rec, now.getTime()) ?? monitorView(ctx, load(), now, rec);
}

/** Something the monitor shows changed in the store: the next poll rebuilds the record. */
export function invalidateMonitor(ctx: AppContext): void {
  invalidateMonitorRecord(ctx.deps.cache);
}
